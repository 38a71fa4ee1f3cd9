"""The one theme table: light and dark colours keyed by lexilla style tags, plus editor chrome.

Colours are written as ``#rrggbb`` for people and converted to Scintilla's 0xBBGGRR by
``scintilla_colour``.  ``apply_theme`` colours any ScintillaEdit by looking up, for every
style number of its current lexer, that style's tags (see ``desktop.editor.lexers.style_tags``)
in this table -- so no lexer has colour code of its own.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase
from pyside6_scintilla import Scintilla

from desktop.editor.lexers import style_tags

THEMES: dict[str, dict[str, str]] = {
    "light": {
        # syntax, keyed by tag
        "default": "#1f2328",
        "comment": "#6a737d",
        "string": "#0a7d32",
        "keyword": "#0000c8",
        "number": "#b35900",
        "operator": "#5c2d91",
        "identifier": "#1f2328",
        "error": "#d00000",
        "tag": "#22863a",
        "attribute": "#6f42c1",
        "preprocessor": "#c2185b",
        "literal": "#005cc5",
        "regex": "#b31d28",
        # chrome
        "background": "#ffffff",
        "caret": "#000000",
        "caret_line": "#f2f6fc",
        "selection": "#c8dcf8",
        "margin_fore": "#8c959f",
        "margin_back": "#f6f8fa",
        "fold_marker": "#8c959f",
        "brace_match": "#d6f5d6",
        "brace_bad": "#ffd6d6",
        "annotation_fore": "#8b0000",
        "annotation_back": "#ffeaea",
        "template_region": "#c2185b",
        "find_match": "#ffb000",
    },
    "dark": {
        "default": "#d4d4d4",
        "comment": "#7f8c98",
        "string": "#ce9178",
        "keyword": "#569cd6",
        "number": "#b5cea8",
        "operator": "#c586c0",
        "identifier": "#d4d4d4",
        "error": "#f44747",
        "tag": "#4ec9b0",
        "attribute": "#9cdcfe",
        "preprocessor": "#dcdcaa",
        "literal": "#4fc1ff",
        "regex": "#d16969",
        "background": "#1e1e1e",
        "caret": "#f0f0f0",
        "caret_line": "#2a2d2e",
        "selection": "#264f78",
        "margin_fore": "#858585",
        "margin_back": "#252526",
        "fold_marker": "#858585",
        "brace_match": "#2f5f2f",
        "brace_bad": "#7a2020",
        "annotation_fore": "#ffb4b4",
        "annotation_back": "#4b1d1d",
        "template_region": "#dcdcaa",
        "find_match": "#d7a700",
    },
}

# A style gets the colour of its most telling tag: "error literal string" is an error,
# "comment documentation" a comment, "literal numeric" a number.
TAG_PRIORITY: tuple[tuple[str, str], ...] = (
    ("error", "error"),
    ("comment", "comment"),
    ("regex", "regex"),
    ("string", "string"),
    ("numeric", "number"),
    ("keyword", "keyword"),
    ("preprocessor", "preprocessor"),
    ("operator", "operator"),
    ("tag", "tag"),
    ("attribute", "attribute"),
    ("identifier", "identifier"),
    ("literal", "literal"),
)

STYLE_DEFAULT = Scintilla.StylesCommon.Default
STYLE_LINE_NUMBER = Scintilla.StylesCommon.LineNumber
STYLE_BRACE_LIGHT = Scintilla.StylesCommon.BraceLight
STYLE_BRACE_BAD = Scintilla.StylesCommon.BraceBad
FOLD_MARKERS = range(25, 32)  # SC_MARKNUM_FOLDEREND .. SC_MARKNUM_FOLDEROPEN


def theme_names() -> list[str]:
    return list(THEMES)


def scintilla_colour(hex_colour: str) -> int:
    """``#rrggbb`` -> Scintilla's 0xBBGGRR."""
    red, green, blue = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return red | green << 8 | blue << 16


def colour_key_for_tags(tags: str) -> str:
    """The theme key for a style's tags, e.g. ``'client python literal string'`` -> ``'string'``."""
    words = set(tags.split())
    for tag, key in TAG_PRIORITY:
        if tag in words:
            return key
    return "default"


def colour(theme: str, key: str) -> int:
    """One colour of a theme, as 0xBBGGRR."""
    return scintilla_colour(THEMES[theme][key])


def apply_theme(editor, theme: str) -> None:
    """Style ``editor`` (a ScintillaEdit whose lexer is already set) with ``theme``."""
    _apply_default_style(editor, theme)
    editor.styleClearAll()
    for style, tags in style_tags(editor).items():
        editor.styleSetFore(style, colour(theme, colour_key_for_tags(tags)))
    _apply_chrome(editor, theme)


def _apply_default_style(editor, theme: str) -> None:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    editor.styleSetFont(STYLE_DEFAULT, font.family())
    editor.styleSetSize(STYLE_DEFAULT, max(font.pointSize(), 10))
    editor.styleSetFore(STYLE_DEFAULT, colour(theme, "default"))
    editor.styleSetBack(STYLE_DEFAULT, colour(theme, "background"))


def _apply_chrome(editor, theme: str) -> None:
    editor.styleSetFore(STYLE_LINE_NUMBER, colour(theme, "margin_fore"))
    editor.styleSetBack(STYLE_LINE_NUMBER, colour(theme, "margin_back"))
    editor.styleSetBack(STYLE_BRACE_LIGHT, colour(theme, "brace_match"))
    editor.styleSetBold(STYLE_BRACE_LIGHT, True)
    editor.styleSetBack(STYLE_BRACE_BAD, colour(theme, "brace_bad"))
    editor.setCaretFore(colour(theme, "caret"))
    editor.setCaretLineBack(colour(theme, "caret_line"))
    editor.setSelBack(True, colour(theme, "selection"))
    editor.setFoldMarginColour(True, colour(theme, "margin_back"))
    editor.setFoldMarginHiColour(True, colour(theme, "margin_back"))
    for marker in FOLD_MARKERS:
        editor.markerSetFore(marker, colour(theme, "margin_back"))
        editor.markerSetBack(marker, colour(theme, "fold_marker"))
