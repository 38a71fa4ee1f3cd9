"""web2py's ``gluon.xmlrpc``: ``handler(request, response, methods)``."""

from server.xmlrpc import handler

__all__ = ["handler"]
