"""Syntax colouring for ``CODE``: Pygments reads the code, web2py's token names style it.

Each piece of code becomes a ``<span style="...">``, the style looked up by web2py's token
name (``KEYWORD``, ``STRING``, ``COMMENT``, ``NUMBER``, ``PUNC``, ``WEB2PY``, ``MAGIC``,
``TAG``, ``PREPROCESSOR``, ``CPPKEYWORD``, ``GOTOHTML``/``GOTOPYTHON`` for ``{{``/``}}``, ...),
so ``CODE(..., styles={'KEYWORD': 'color: blue'})`` restyles one kind as in web2py. The styles
are inline, so a page needs no stylesheet and nothing from the network.

Languages: ``python``; ``web2py`` (Python whose ``}}`` opens HTML until the next ``{{``, as in a
view's code); ``html`` (HTML with ``{{ }}`` Python); ``html_plain``; ``c``; ``cpp`` / ``c++``.
With ``link='/docs/'`` web2py's own names (``request``, ``DIV``, ``IS_EMAIL`` ...) link to
``/docs/<name>``.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import quote

import pydal.validators
from pygments.lexer import Lexer
from pygments.lexers.c_cpp import CLexer, CppLexer  # by module, not pygments.lexers' lazy
from pygments.lexers.html import HtmlLexer  # names, so the bundle's import scan finds them
from pygments.lexers.python import PythonLexer
from pygments.token import Comment, Keyword, Name, Number, Operator, Punctuation, String

STYLES = {
    "COMMENT": "color: #008000; font-style: italic",
    "PREPROCESSOR": "color: #c000c0; font-style: italic",
    "XMLCRAP": "color: #0000c0; font-style: italic",
    "KEYWORD": "color: #185369; font-weight: bold",
    "CPPKEYWORD": "color: #0000d0; font-weight: bold",
    "MAGIC": "color: #185369; font-weight: bold",
    "STRING": "color: #e07040",
    "MULTILINESTRING": "color: #b03020",
    "NUMBER": "color: #d00000",
    "PUNC": "font-weight: bold",
    "WEB2PY": "color: #ff5c1f; text-decoration: none",
    "TAG": "color: #8b0000; font-weight: bold",
    "GOTOHTML": "color: #d00000",
    "GOTOPYTHON": "color: #d00000",
}
LANGUAGES = ("python", "web2py", "html", "html_plain", "c", "cpp", "c++")

# The words of C++ that C does not have: web2py colours them apart.
CPP_ONLY = frozenset(
    "bool catch class delete explicit export friend inline mutable namespace new operator "
    "private protected public template this throw try typeid typename using virtual".split())
MAGIC = frozenset(("self", "None", "cls"))
WEB2PY_NAMES = frozenset(
    [*pydal.validators.__all__, "request", "response", "session", "cache", "T", "redirect",
     "HTTP", "URL", "LOAD", "DAL", "Field", "SQLFORM", "SQLTABLE", "local_import", "A", "B",
     "BEAUTIFY", "BODY", "BR", "BUTTON", "CAT", "CENTER", "CODE", "COL", "COLGROUP", "DIV", "EM",
     "EMBED", "FIELDSET", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEAD", "HR", "HTML", "I",
     "IFRAME", "IMG", "INPUT", "LABEL", "LEGEND", "LI", "LINK", "MARKMIN", "MENU", "META",
     "OBJECT", "OL", "ON", "OPTION", "P", "PRE", "SCRIPT", "SELECT", "SPAN", "STYLE", "TABLE",
     "TAG", "TBODY", "TD", "TEXTAREA", "TFOOT", "TH", "THEAD", "TITLE", "TR", "TT", "UL",
     "XHTML", "XML", "embed64", "xmlescape"])
TEMPLATE_MARK = re.compile(r"(\{\{|\}\})")


def colour(code: str, language: str, link: str | None = None,
           styles: dict | None = None) -> str:
    """``code`` as escaped HTML with coloured spans; an unknown language is only escaped."""
    language = (language or "python").lower()
    if language not in LANGUAGES:
        return escape(code, quote=False)
    writer = _SpanWriter({**STYLES, **(styles or {})}, link)
    if language in ("web2py", "html"):
        _template(code, writer, python_first=language == "web2py")
    else:
        _lexed(code, _lexer(language), language, writer)
    return writer.finish().expandtabs(4)


def _lexer(language: str) -> Lexer:
    options = dict(stripnl=False, ensurenl=False)
    if language in ("html", "html_plain"):
        return HtmlLexer(**options)
    if language == "c":
        return CLexer(**options)
    if language in ("cpp", "c++"):
        return CppLexer(**options)
    return PythonLexer(**options)


def _template(code: str, writer: _SpanWriter, python_first: bool) -> None:
    """Python and HTML taking turns at each ``{{`` / ``}}``, as in a web2py view."""
    in_python = python_first
    for piece in TEMPLATE_MARK.split(code):
        if piece in ("{{", "}}"):
            writer.write(piece, "GOTOPYTHON" if piece == "{{" else "GOTOHTML")
            in_python = piece == "{{"
        elif piece:
            language = "python" if in_python else "html"
            _lexed(piece, _lexer(language), language, writer)


def _lexed(code: str, lexer: Lexer, language: str, writer: _SpanWriter) -> None:
    for kind, text in lexer.get_tokens(code):
        writer.write(text, _token_name(kind, text, language))


def _token_name(kind, text: str, language: str) -> str | None:
    """web2py's name for a Pygments token (None: plain text)."""
    if kind in Comment.Preproc or kind in Comment.PreprocFile:
        return "XMLCRAP" if language.startswith("html") else "PREPROCESSOR"
    if kind in Comment:
        return "COMMENT"
    if text in MAGIC and (kind in Name or kind in Keyword):
        return "MAGIC"
    if kind in Keyword:
        return "CPPKEYWORD" if language in ("cpp", "c++") and text in CPP_ONLY else "KEYWORD"
    if kind in String.Doc:
        return "MULTILINESTRING"
    if kind in String:
        return "STRING" if not language.startswith("html") else None
    if kind in Number:
        return "NUMBER"
    if kind in Name.Tag or (language.startswith("html") and kind in Punctuation):
        return "TAG"
    if kind in Operator or kind in Punctuation:
        return "PUNC"
    if kind is Name and text in WEB2PY_NAMES and language == "python":
        return "WEB2PY"
    return None


class _SpanWriter:
    """Collects text, opening a span only when the style changes (whitespace keeps the
    current one), so a run of one kind is one span; no span crosses a line end, so each line
    of the result is whole markup (CODE numbers and highlights lines)."""

    def __init__(self, styles: dict, link: str | None):
        self.styles = styles
        self.parts: list[str] = []
        self.open_style: str | None = None
        self.link = (link if link.endswith("/") else link + "/") if link else None

    def write(self, text: str, name: str | None) -> None:
        if "\n" in text:
            for number, piece in enumerate(text.split("\n")):
                if number:
                    self._switch(None)
                    self.parts.append("\n")
                if piece:
                    self.write(piece, name)
            return
        if name == "WEB2PY" and self.link:
            self._switch(None)
            self.parts.append(f'<a href="{escape(self.link + quote(text))}" '
                              f'style="{escape(self.styles[name])}">{escape(text)}</a>')
            return
        style = self.styles.get(name) if name else None
        if text.isspace() and self.open_style is not None:
            style = self.open_style
        self._switch(style)
        self.parts.append(escape(text, quote=False))

    def _switch(self, style: str | None) -> None:
        if style == self.open_style:
            return
        if self.open_style is not None:
            self.parts.append("</span>")
        if style is not None:
            self.parts.append(f'<span style="{escape(style)}">')
        self.open_style = style

    def finish(self) -> str:
        self._switch(None)
        return "".join(self.parts)
