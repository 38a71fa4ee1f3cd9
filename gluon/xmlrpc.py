"""web2py's ``gluon.xmlrpc``: ``handler(request, response, methods)``."""

from server.toolkit.xmlrpc import handler

__all__ = ["handler"]
