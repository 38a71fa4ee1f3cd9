"""RSS 2.0 feeds as objects (web2py's ``gluon.contrib.rss2``, the PyRSS2Gen API):
``RSS2(title=, link=, description=, items=[RSSItem(...)]).to_xml()``.

Dates may be ``datetime`` objects (written in RFC 822 form, as RSS requires) or ready strings.
"""

from __future__ import annotations

import datetime
import email.utils
import io
from typing import Any
from xml.sax.saxutils import XMLGenerator

GENERATOR = "Pocketweb RSS2"
DOCS = "https://www.rssboard.org/rss-specification"
# An XMLGenerator; typed loosely because it takes attributes as plain dicts, where typeshed
# asks for AttributesImpl.
Handler = Any


def rfc822(value: datetime.datetime | str) -> str:
    if isinstance(value, datetime.datetime):
        return email.utils.format_datetime(value.astimezone(datetime.UTC)
                                           if value.tzinfo else value.replace(
                                               tzinfo=datetime.UTC), usegmt=True)
    return str(value)


def _element(handler: XMLGenerator, name: str, value, attributes=None) -> None:
    """One ``<name>value</name>``; None writes nothing, objects with ``publish`` write
    themselves, dates become RFC 822."""
    if value is None:
        return
    if hasattr(value, "publish"):
        value.publish(handler)
        return
    handler.startElement(name, attributes or {})  # type: ignore[arg-type] # a dict serves
    handler.characters(rfc822(value))
    handler.endElement(name)


class _Publishable:
    """Something that writes itself into a feed, and reads as its XML on its own."""

    def publish(self, handler: Handler) -> None:
        raise NotImplementedError

    def to_xml(self, encoding: str = "utf-8") -> str:
        out = io.StringIO()
        handler = XMLGenerator(out, encoding)
        handler.startDocument()
        self.publish(handler)
        handler.endDocument()
        return out.getvalue()

    def write_xml(self, outfile, encoding: str = "utf-8") -> None:
        outfile.write(self.to_xml(encoding))


class Guid(_Publishable):
    def __init__(self, guid: str, isPermaLink: bool = True) -> None:  # noqa: N803 - RSS's name
        self.guid, self.isPermaLink = guid, isPermaLink

    def publish(self, handler: Handler) -> None:
        _element(handler, "guid", self.guid,
                 {"isPermaLink": "true" if self.isPermaLink else "false"})


class Enclosure(_Publishable):
    def __init__(self, url: str, length: int, type: str) -> None:  # noqa: A002 - RSS's name
        self.url, self.length, self.type = url, length, type

    def publish(self, handler: Handler) -> None:
        handler.startElement("enclosure", {"url": self.url, "length": str(self.length),
                                           "type": self.type})
        handler.endElement("enclosure")


class Source(_Publishable):
    def __init__(self, name: str, url: str) -> None:
        self.name, self.url = name, url

    def publish(self, handler: Handler) -> None:
        _element(handler, "source", self.name, {"url": self.url})


class Category(_Publishable):
    def __init__(self, category: str, domain: str | None = None) -> None:
        self.category, self.domain = category, domain

    def publish(self, handler: Handler) -> None:
        _element(handler, "category", self.category, {"domain": self.domain} if self.domain else {})


class Image(_Publishable):
    def __init__(self, url: str, title: str, link: str, width: Any = None, height: Any = None,
                 description: Any = None) -> None:
        self.url, self.title, self.link = url, title, link
        self.width, self.height, self.description = width, height, description

    def publish(self, handler: Handler) -> None:
        handler.startElement("image", {})
        for name in ("url", "title", "link", "width", "height", "description"):
            _element(handler, name, getattr(self, name))
        handler.endElement("image")


def _categories(handler, categories) -> None:
    for category in categories or ():
        _element(handler, "category", category if hasattr(category, "publish")
                 else Category(category))


class RSSItem(_Publishable):
    """One ``<item>``: at least a title or a description."""

    FIELDS = ("title", "link", "description", "author", "comments", "enclosure", "guid",
              "pubDate", "source")

    def __init__(self, title: Any = None, link: Any = None, description: Any = None,
                 author: Any = None, categories: Any = None, comments: Any = None,
                 enclosure: Any = None, guid: Any = None,
                 pubDate: Any = None, source: Any = None) -> None:  # noqa: N803
        if title is None and description is None:
            raise TypeError("an RSS item needs a title or a description")
        self.title, self.link, self.description, self.author = title, link, description, author
        self.categories = list(categories or [])
        self.comments, self.enclosure, self.guid = comments, enclosure, guid
        self.pubDate, self.source = pubDate, source

    def publish(self, handler: Handler) -> None:
        handler.startElement("item", {})
        for name in self.FIELDS[:4]:
            _element(handler, name, getattr(self, name))
        _categories(handler, self.categories)
        guid = self.guid if self.guid is None or hasattr(self.guid, "publish") else Guid(self.guid)
        for name, value in (("comments", self.comments), ("enclosure", self.enclosure),
                            ("guid", guid), ("pubDate", self.pubDate), ("source", self.source)):
            _element(handler, name, value)
        handler.endElement("item")


class RSS2(_Publishable):
    """A whole ``<rss version="2.0">`` document with its channel and items."""

    CHANNEL_FIELDS = ("title", "link", "description", "language", "copyright",
                      "managingEditor", "webMaster", "pubDate", "lastBuildDate")

    def __init__(self, title: Any, link: Any, description: Any,  # noqa: N803 - RSS's names
                 language: Any = None, copyright: Any = None,  # noqa: A002
                 managingEditor: Any = None, webMaster: Any = None, pubDate: Any = None,
                 lastBuildDate: Any = None, categories: Any = None, generator: str = GENERATOR,
                 docs: str = DOCS, cloud: Any = None, ttl: Any = None, image: Any = None,
                 rating: Any = None, textInput: Any = None, skipHours: Any = None,
                 skipDays: Any = None, items: Any = None) -> None:
        self.title, self.link, self.description = title, link, description
        self.language, self.copyright = language, copyright
        self.managingEditor, self.webMaster = managingEditor, webMaster
        self.pubDate = pubDate
        self.lastBuildDate = lastBuildDate or datetime.datetime.now(datetime.UTC)
        self.categories = list(categories or [])
        self.generator, self.docs, self.cloud, self.ttl = generator, docs, cloud, ttl
        self.image, self.rating, self.textInput = image, rating, textInput
        self.skipHours, self.skipDays = skipHours, skipDays
        self.items = list(items or [])

    def publish(self, handler: Handler) -> None:
        handler.startElement("rss", {"version": "2.0"})
        handler.startElement("channel", {})
        for name in self.CHANNEL_FIELDS:
            _element(handler, name, getattr(self, name))
        _categories(handler, self.categories)
        for name in ("generator", "docs", "cloud", "ttl", "image", "rating", "textInput"):
            _element(handler, name, getattr(self, name))
        for item in self.items:
            item.publish(handler)
        handler.endElement("channel")
        handler.endElement("rss")
