"""web2py's ``gluon.contenttype``: ``contenttype('.png') == 'image/png'``."""

from server.toolkit.contenttype import contenttype

__all__ = ["contenttype"]
