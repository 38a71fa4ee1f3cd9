"""web2py's built-in wiki (``auth.wiki()``): pages in markmin or HTML, tags, search, media."""

from server.wiki.wiki import Wiki

__all__ = ["Wiki"]
