"""Which lexilla lexer colours which file, and what each of its styles means.

A ``LexerSpec`` is plain data: the lexilla lexer name, its keyword lists and its
properties.  ``install_lexer`` turns one into a live lexer on an editor.  Colours are
not chosen here: the theme maps the *tags* of each style (``style_tags``) to colours.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from pathlib import Path

import lexilla

HTML_WORDS = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas "
    "caption cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img "
    "input ins kbd label legend li link main map mark meta meter nav noscript object ol optgroup "
    "option output p param picture pre progress q rp rt ruby s samp script section select small "
    "source span strong style sub summary sup table tbody td template textarea tfoot th thead "
    "time title tr track u ul var video wbr "
    "accept action alt async autocomplete autofocus charset checked class cols colspan content "
    "crossorigin defer dir disabled download enctype for height hidden href id integrity lang "
    "list max maxlength media method min multiple name novalidate pattern placeholder readonly "
    "rel required role rows rowspan selected size src srcset step style tabindex target title "
    "type value width aria-label aria-hidden aria-describedby data-toggle data-target"
)

JAVASCRIPT_WORDS = (
    "async await break case catch class const continue debugger default delete do else export "
    "extends false finally for function if import in instanceof let new null of return static "
    "super switch this throw true try typeof undefined var void while with yield"
)

CSS_PROPERTIES = (
    "align-content align-items align-self animation background background-color "
    "background-image background-position background-repeat background-size border "
    "border-bottom border-collapse border-color border-left border-radius border-right "
    "border-style border-top border-width bottom box-shadow box-sizing clear color content "
    "cursor display flex flex-direction flex-grow flex-shrink flex-wrap float font "
    "font-family font-size font-style font-weight gap grid grid-template-columns height "
    "justify-content left letter-spacing line-height list-style margin margin-bottom "
    "margin-left margin-right margin-top max-height max-width min-height min-width opacity "
    "outline overflow padding padding-bottom padding-left padding-right padding-top position "
    "right text-align text-decoration text-transform top transform transition vertical-align "
    "visibility white-space width word-wrap z-index"
)

CSS_PSEUDO_CLASSES = (
    "active checked disabled empty enabled first-child focus hover last-child link not "
    "nth-child visited"
)

# CSS and JSON lexers publish no style tags; this says in tag words what their styles are.
UNTAGGED_STYLE_TAGS: dict[str, dict[int, str]] = {
    "css": {
        0: "default", 1: "tag", 2: "identifier", 3: "keyword", 4: "error", 5: "operator",
        6: "keyword", 7: "error", 8: "literal", 9: "comment", 10: "identifier",
        11: "keyword", 12: "preprocessor", 13: "literal string", 14: "literal string",
        15: "keyword", 16: "attribute", 17: "keyword", 18: "keyword", 19: "keyword",
        20: "keyword", 21: "keyword", 22: "preprocessor", 23: "identifier",
    },
    "json": {
        0: "default", 1: "literal numeric", 2: "literal string", 3: "error literal string",
        4: "attribute", 5: "literal string", 6: "comment", 7: "comment", 8: "operator",
        9: "literal string", 10: "literal", 11: "keyword", 12: "keyword", 13: "error",
    },
}


@dataclass(frozen=True)
class LexerSpec:
    """How to set up one lexilla lexer: its name, keyword lists and properties."""

    name: str
    keywords: dict[int, str] = field(default_factory=dict)
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def is_python(self) -> bool:
        return self.name == "python"

    @property
    def is_template(self) -> bool:
        """yatl views: HTML with ``{{ python }}`` regions."""
        return self.name == "hypertext"


PYTHON = LexerSpec(
    "python", {0: " ".join(keyword.kwlist)}, {"fold": "1", "fold.quotes.python": "1"}
)
# lexilla's django mode lexes {{ ... }} and {% ... %} as embedded Python: the closest thing
# lexilla has to yatl.  The editor also boxes those regions with an indicator.
YATL = LexerSpec(
    "hypertext",
    {0: HTML_WORDS, 1: JAVASCRIPT_WORDS, 3: " ".join(keyword.kwlist)},
    {"fold": "1", "fold.html": "1", "lexer.html.django": "1"},
)
CSS = LexerSpec("css", {0: CSS_PROPERTIES, 1: CSS_PSEUDO_CLASSES}, {"fold": "1"})
JAVASCRIPT = LexerSpec(
    "cpp", {0: JAVASCRIPT_WORDS}, {"fold": "1", "lexer.cpp.backquoted.strings": "1"}
)
JSON = LexerSpec("json", {0: "true false null"}, {"fold": "1", "lexer.json.allow.comments": "1"})
PLAIN_TEXT = LexerSpec("null")

BY_SUFFIX: dict[str, LexerSpec] = {
    ".py": PYTHON,
    ".html": YATL,
    ".htm": YATL,
    ".load": YATL,
    ".css": CSS,
    ".js": JAVASCRIPT,
    ".mjs": JAVASCRIPT,
    ".json": JSON,
}


def lexer_for_path(path: Path) -> LexerSpec:
    """The lexer for a file, by its extension; plain text when unknown."""
    return BY_SUFFIX.get(path.suffix.lower(), PLAIN_TEXT)


def install_lexer(editor, spec: LexerSpec) -> None:
    """Create the lexer for ``spec`` and hand its ownership to ``editor`` (a ScintillaEdit)."""
    lexer = lexilla.create_lexer(spec.name)
    for key, value in spec.properties.items():
        lexer.property_set(key, value)
    for index, words in spec.keywords.items():
        lexer.word_list_set(index, words)
    editor.setILexer(lexer.detach())


def style_tags(editor) -> dict[int, str]:
    """Style number -> space-separated tags for the lexer currently on ``editor``."""
    count = editor.namedStyles()
    tags = {style: bytes(editor.tagsOfStyle(style)).decode() for style in range(count)}
    if any(tags.values()):
        return tags
    language = bytes(editor.lexerLanguage()).decode()
    return dict(UNTAGGED_STYLE_TAGS.get(language, {}))
