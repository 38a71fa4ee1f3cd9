"""web2py's ``gluon.contrib.markdown``: ``WIKI(text)`` over the maintained ``markdown`` package."""

from server.toolkit.markdown_wiki import WIKI, markdown

__all__ = ["WIKI", "markdown"]
