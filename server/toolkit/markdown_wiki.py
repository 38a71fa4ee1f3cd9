"""Markdown to HTML for apps (web2py's ``gluon.contrib.markdown``), on the maintained
``markdown`` package. Raw HTML in the text is shown as text, not passed through: like
web2py's default ``safe_mode='escape'``, what a user typed cannot inject markup."""

from __future__ import annotations

import markdown as markdown_package
from markdown.extensions import Extension
from yatl.helpers import XML


class _EscapeRawHtml(Extension):
    """Turn off Markdown's raw-HTML pass-through, so ``<b>`` renders as ``&lt;b&gt;``."""

    def extendMarkdown(self, md):  # noqa: N802 - the package's hook name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def markdown(text, safe_mode: str | bool = "escape", extensions=None, **options) -> str:
    """The HTML of Markdown ``text``; ``safe_mode=False`` lets raw HTML through."""
    chosen = list(extensions or ["extra"])
    if safe_mode:
        chosen.append(_EscapeRawHtml())
    return markdown_package.markdown(str(text), extensions=chosen, **options)


def WIKI(text, encoding: str = "utf8", safe_mode: str | bool = "escape",  # noqa: N802
         html4tags: bool = False, extensions=None, **attributes) -> XML:
    """web2py's ``WIKI(text)``: the rendered Markdown as an ``XML`` helper."""
    if isinstance(text, bytes):
        text = text.decode(encoding)
    options = {"output_format": "html"} if html4tags else {}
    return XML(markdown(text, safe_mode, extensions, **options), **attributes)
