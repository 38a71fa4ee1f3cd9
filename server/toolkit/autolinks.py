"""Turning bare URLs into what they point to (web2py's ``gluon.contrib.autolinks``): an image
URL becomes an ``<img>``, audio and video files players, YouTube and Vimeo pages an embedded
player, a document a viewer frame, any other URL a link.

Nothing is fetched: web2py asked oEmbed services over the network; here a ``cdict`` may still
carry oEmbed answers (``{url: {'html': ...}}`` or ``{url: {'url': ...}}``) that the app got.
``javascript:``, ``vbscript:`` and ``data:`` URLs are shown as text, never linked.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, quote, urlsplit

URL_RE = re.compile(r"(?<![\w/])(?:https?|ftp)://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
UNSAFE_RE = re.compile(r"^\s*(javascript|vbscript|data):", re.I)
SKIPPED_TAGS = {"a", "script", "style", "pre", "code", "embed", "object", "audio", "video",
                "textarea", "iframe"}


def _attribute(url: str) -> str:
    return html.escape(url, quote=True)


def image(url: str) -> str:
    return f'<img src="{_attribute(url)}" style="max-width:100%"/>'


def audio(url: str) -> str:
    return (f'<audio controls="controls" style="max-width:100%"><source src="{_attribute(url)}" />'
            "</audio>")


def video(url: str) -> str:
    return (f'<video controls="controls" style="max-width:100%"><source src="{_attribute(url)}" />'
            "</video>")


def document_viewer(url: str) -> str:
    return (f'<iframe src="https://docs.google.com/viewer?url={quote(url, safe="")}'
            '&amp;embedded=true" style="max-width:100%"></iframe>')


EXTENSION_MAPS = {
    **dict.fromkeys(("png", "gif", "jpg", "jpeg", "svg", "webp"), image),
    **dict.fromkeys(("wav", "ogg", "mp3", "m4a"), audio),
    **dict.fromkeys(("mp4", "mpeg", "mov", "webm", "ogv"), video),
    **dict.fromkeys(("pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx"), document_viewer),
}


def extension(url: str) -> str:
    return url.split("?")[0].split("#")[0].rsplit(".", 1)[-1].lower()


def _player(url: str) -> str | None:
    """An embedded player for YouTube and Vimeo pages (built from the URL alone)."""
    parts = urlsplit(url)
    host = parts.netloc.lower().removeprefix("www.")
    video_id = None
    if host in ("youtube.com", "m.youtube.com") and parts.path == "/watch":
        video_id = (parse_qs(parts.query).get("v") or [""])[0] or None
    elif host == "youtu.be":
        video_id = parts.path.strip("/")
    if video_id and re.fullmatch(r"[\w\-]{6,20}", video_id):
        return (f'<iframe width="560" height="315" src="https://www.youtube.com/embed/{video_id}"'
                ' frameborder="0" allowfullscreen></iframe>')
    vimeo = re.fullmatch(r"/(\d+)", parts.path) if host == "vimeo.com" else None
    if vimeo:
        return (f'<iframe src="https://player.vimeo.com/video/{vimeo.group(1)}" width="500" '
                'height="281" frameborder="0" allowfullscreen></iframe>')
    return None


def expand_one(url: str, cdict: dict | None = None) -> str:
    """The HTML that ``url`` turns into."""
    if UNSAFE_RE.match(url):
        return f'<span class="markmin_unsafe">{_attribute(url)}</span>'
    if "@" in url and "://" not in url:
        return f'<a href="mailto:{_attribute(url)}">{_attribute(url)}</a>'
    known = (cdict or {}).get(url) or {}
    if "html" in known:
        return known["html"]
    url = known.get("url", url)
    mapped = EXTENSION_MAPS.get(extension(url))
    if mapped:
        return mapped(url)
    return _player(url) or f'<a href="{_attribute(url)}">{_attribute(url)}</a>'


class _Expander(HTMLParser):
    """Copies the HTML through, expanding URLs in text outside links, code and media."""

    def __init__(self, cdict):
        super().__init__(convert_charrefs=False)
        self.cdict, self.out, self.open_skipped = cdict, [], []

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag in SKIPPED_TAGS:
            self.open_skipped.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        if tag in self.open_skipped:
            del self.open_skipped[len(self.open_skipped) - 1 - self.open_skipped[::-1].index(tag):]

    def handle_data(self, data):
        if self.open_skipped:
            self.out.append(data)
        else:
            self.out.append(URL_RE.sub(lambda m: expand_one(html.unescape(m.group(0)),
                                                            self.cdict), data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")


def expand_html(text: str, cdict: dict | None = None) -> str:
    """``text`` (HTML) with its bare URLs expanded; comments are dropped, as in web2py."""
    expander = _Expander(cdict)
    expander.feed(text)
    expander.close()
    return "".join(expander.out)
