"""Markdown to HTML for apps (web2py's ``gluon.contrib.markdown``), on the maintained
``markdown`` package. Raw HTML in the text is shown as text, not passed through: like
web2py's default ``safe_mode='escape'``, what a user typed cannot inject markup."""

from __future__ import annotations

from typing import Any

import markdown as markdown_package
from markdown.extensions import Extension
from yatl.helpers import XML


class _EscapeRawHtml(Extension):
    """Turn off Markdown's raw-HTML pass-through, so ``<b>`` renders as ``&lt;b&gt;``."""

    def extendMarkdown(self, md):  # noqa: N802 - the package's hook name
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def markdown(text: Any, safe_mode: str | bool = "escape", extensions: list | None = None,
             **options: Any) -> str:
    """The HTML of Markdown ``text``; ``safe_mode=False`` lets raw HTML through."""
    chosen = list(extensions or ["extra"])
    if safe_mode:
        chosen.append(_EscapeRawHtml())
    return markdown_package.markdown(str(text), extensions=chosen, **options)


def WIKI(text: str | bytes, encoding: str = "utf8",  # noqa: N802
         safe_mode: str | bool = "escape", html4tags: bool = False,
         extensions: list | None = None, **attributes: Any) -> XML:
    """web2py's ``WIKI(text)``: the rendered Markdown as an ``XML`` helper."""
    if isinstance(text, bytes):
        text = text.decode(encoding)
    options = {"output_format": "html"} if html4tags else {}
    return XML(markdown(text, safe_mode, extensions, **options), **attributes)
