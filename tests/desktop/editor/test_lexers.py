"""Lexer choice by extension, checked on a real Scintilla widget."""

from pathlib import Path

import pytest
from pyside6_scintilla import ScintillaEdit

from desktop.editor.lexers import install_lexer, lexer_for_path, style_tags


@pytest.mark.parametrize(("name", "lexer"), [
    ("default.py", "python"),
    ("index.html", "hypertext"),
    ("layout.load", "hypertext"),
    ("style.CSS", "css"),
    ("app.js", "cpp"),
    ("data.json", "json"),
    ("README", "null"),
    ("notes.txt", "null"),
])
def test_lexer_on_the_editor_follows_the_extension(qtbot, name, lexer):
    editor = ScintillaEdit()
    qtbot.addWidget(editor)
    install_lexer(editor, lexer_for_path(Path(name)))
    assert bytes(editor.lexerLanguage()).decode() == lexer


def test_folding_and_yatl_template_mode_are_switched_on(qtbot):
    editor = ScintillaEdit()
    qtbot.addWidget(editor)
    install_lexer(editor, lexer_for_path(Path("views/default/index.html")))
    assert bytes(editor.property("fold")) == b"1"
    assert bytes(editor.property("lexer.html.django")) == b"1"


def test_python_keywords_are_styled_as_keywords(qtbot):
    editor = ScintillaEdit()
    qtbot.addWidget(editor)
    install_lexer(editor, lexer_for_path(Path("m.py")))
    editor.setText("def f(): pass\n")
    editor.colourise(0, -1)
    tags = style_tags(editor)
    assert tags[editor.styleAt(0)] == "keyword"  # 'def'
    assert tags[editor.styleAt(4)] != "keyword"  # 'f'


@pytest.mark.parametrize(("name", "sample", "position", "expected"), [
    ("s.css", "/* note */ p { color: red; }", 1, "comment"),
    ("d.json", '{"key": 12}', 8, "literal numeric"),
])
def test_untagged_lexers_get_tags_from_the_table(qtbot, name, sample, position, expected):
    editor = ScintillaEdit()
    qtbot.addWidget(editor)
    install_lexer(editor, lexer_for_path(Path(name)))
    editor.setText(sample)
    editor.colourise(0, -1)
    assert style_tags(editor)[editor.styleAt(position)] == expected
