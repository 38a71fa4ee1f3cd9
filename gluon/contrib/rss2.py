"""web2py's ``gluon.contrib.rss2`` (the PyRSS2Gen API)."""

from server.toolkit.rss2 import RSS2, Category, Enclosure, Guid, Image, RSSItem, Source

__all__ = ["RSS2", "Category", "Enclosure", "Guid", "Image", "RSSItem", "Source"]
