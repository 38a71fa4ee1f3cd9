"""web2py's ``gluon.contrib.markmin.markmin2html``."""

from server.toolkit.markmin import markmin2html, markmin_escape, render

__all__ = ["markmin2html", "markmin_escape", "render"]
