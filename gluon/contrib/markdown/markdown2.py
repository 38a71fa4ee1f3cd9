"""web2py's ``gluon.contrib.markdown.markdown2``: ``markdown(text)``."""

from server.toolkit.markdown_wiki import markdown

__all__ = ["markdown"]
