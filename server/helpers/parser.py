"""``TAG(html_text)``: markup parsed into a tree of helpers, web2py's way (unclosed tags are
closed by the next matching end tag; ``input`` and ``link`` never take content)."""

from __future__ import annotations

from html.parser import HTMLParser

from server.helpers.base import CAT, DIV, TagDiv

EMPTY_TAGS = frozenset({"input", "link", "br", "hr", "img", "meta", "col", "embed"})


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.open = CAT()

    def handle_starttag(self, tag, attrs):
        empty = tag in EMPTY_TAGS
        element = TagDiv(tag + "/" if empty else tag,
                         **{f"_{key}": (value if value is not None else True) for key, value in attrs})
        self.open.append(element)
        if not empty:
            self.open = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in EMPTY_TAGS:
            self.handle_endtag(tag)

    def handle_data(self, data):
        self.open.append(data)

    def handle_endtag(self, tag):
        node = self.open
        while isinstance(node, DIV) and node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root and node is not None:
            self.open = node.parent  # closes the tag and any left open inside it


def parse_html(text: str | bytes) -> CAT:
    """The helpers of ``text`` (str or bytes) under one CAT."""
    if isinstance(text, bytes):
        text = text.decode("utf8", "replace")
    builder = _TreeBuilder()
    builder.feed(str(text))
    builder.close()
    return builder.root
