"""web2py's ``gluon.contrib.autolinks``: ``expand_one(url, cdict)`` and ``expand_html(html)``."""

from server.toolkit.autolinks import expand_html, expand_one

__all__ = ["expand_html", "expand_one"]
