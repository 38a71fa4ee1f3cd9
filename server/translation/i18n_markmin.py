"""``T.M(...)``: a message written in markmin, translated, then rendered as HTML.

The translation is looked up as for ``T``; markmin turns it into HTML (line breaks as
``<br />``, no automatic links, no id prefix, as web2py does for ``T.M``); the symbols are
escaped before they are put in, so a user's text can't add markup.
"""

from __future__ import annotations

from typing import Any

from server.helpers.base import xmlescape
from server.toolkit.markmin import markmin2html
from server.translation.i18n import lazyT


def _escaped(symbols):
    if isinstance(symbols, dict):
        return {key: value if isinstance(value, (int, float)) else xmlescape(value)
                for key, value in symbols.items()}
    if not isinstance(symbols, tuple):
        symbols = (symbols,)
    return tuple(value if isinstance(value, (int, float)) else xmlescape(value)
                 for value in symbols)


class markminT(lazyT):  # noqa: N801 - reads like web2py's lazyT beside it
    """A lazy markmin message: its text (and ``.xml()``) is the rendered HTML."""

    __slots__ = ()

    def __str__(self) -> str:
        if self.translator is None:
            text = self.message
        else:
            text = self.translator.translate(self.message, None, self.language)
        html = markmin2html(text, sep="br", autolinks=None, id_prefix="")
        if self.symbols is None or self.symbols == {} or self.symbols == ():
            return html
        try:
            return html % _escaped(self.symbols)
        except (TypeError, ValueError, KeyError):
            return html

    def xml(self) -> str:
        return str(self)

    def __mod__(self, symbols) -> markminT:
        return markminT(self.message, symbols, self.translator, self.language)


def markmin_message(translator: Any, message: str, symbols: Any = None,
                    language: str | None = None, lazy: bool | None = None) -> markminT | str:
    """What ``T.M(message, symbols)`` returns: lazy unless ``lazy=False`` (or ``T.lazy``)."""
    made = markminT(message, symbols, translator, language)
    if lazy is None:
        lazy = translator.lazy
    return made if lazy else str(made)
