"""The find / replace / go-to-line bar driving a real editor."""

import re

import pytest
from PySide6.QtCore import Qt

from desktop.editor.code_editor import CodeEditor
from desktop.editor.find_replace import FindReplaceBar
from desktop.editor.tabs import EditorTabs
from tests.desktop.editor.helpers import show_focused

TEXT = "name = 'Name'\nrename(name)\nnames = [name]\n"


@pytest.fixture
def editor(qtbot, tmp_path):
    path = tmp_path / "m.py"
    path.write_text(TEXT)
    editor = CodeEditor.from_file(path)
    qtbot.addWidget(editor)
    return editor


@pytest.fixture
def bar(qtbot, editor):
    bar = FindReplaceBar(lambda: editor)
    qtbot.addWidget(bar)
    return bar


def selected(editor):
    return editor.selectionStart(), editor.selectionEnd()


def spans(pattern, flags=0):
    """Where Python's own regex engine finds ``pattern`` in TEXT (all ASCII: bytes = chars)."""
    return [match.span() for match in re.finditer(pattern, TEXT, flags)]


def walk(bar, editor, steps, step=FindReplaceBar.find_next):
    found = []
    for _ in range(steps):
        assert step(bar)
        found.append(selected(editor))
    return found


def test_find_next_walks_matches_ignoring_case_and_wraps(bar, editor):
    bar.find_field.setText("name")
    expected = spans("name", re.IGNORECASE)
    assert len(expected) == 6
    assert walk(bar, editor, 8) == expected + expected[:2]


def test_match_case(bar, editor):
    bar.find_field.setText("name")
    bar.match_case.setChecked(True)
    assert walk(bar, editor, 5) == spans("name")  # 'Name' skipped


def test_whole_word(bar, editor):
    bar.find_field.setText("name")
    bar.whole_word.setChecked(True)
    assert walk(bar, editor, 4) == spans(r"\bname\b", re.IGNORECASE)  # not in rename/names


def test_find_previous_goes_backwards_and_wraps(bar, editor):
    bar.find_field.setText("name")
    bar.match_case.setChecked(True)
    expected = spans("name")
    editor.gotoPos(expected[2][0])
    assert walk(bar, editor, 3, FindReplaceBar.find_previous) == [
        expected[1], expected[0], expected[-1]]


def test_regular_expression_and_invalid_pattern(bar, editor):
    bar.regex.setChecked(True)
    bar.find_field.setText(r"\[\w+\]")
    assert bar.find_next()
    assert [selected(editor)] == spans(r"\[\w+\]")
    bar.find_field.setText("(unclosed")
    assert not bar.find_next()
    assert bar.status.text() == "Invalid regular expression"


def test_not_found_is_reported(bar, editor):
    bar.find_field.setText("absent")
    assert not bar.find_next()
    assert bar.status.text() == "Not found"
    assert editor.selectionEmpty()


def test_replace_one_replaces_the_selected_match_then_selects_the_next(bar, editor):
    bar.find_field.setText("name")
    bar.match_case.setChecked(True)
    bar.whole_word.setChecked(True)
    bar.replace_field.setText("title")
    bar.find_next()
    bar.replace_one()
    assert editor.text().startswith("title = 'Name'\n")
    assert bytes(editor.getSelText()) == b"name"


def test_replace_all_is_one_undo_step(bar, editor):
    bar.find_field.setText("name")
    bar.match_case.setChecked(True)
    bar.replace_field.setText("n")
    assert bar.replace_all() == 5
    assert editor.text() == "n = 'Name'\nren(n)\nns = [n]\n"
    assert bar.status.text() == "Replaced 5"
    editor.undo()
    assert editor.text() == TEXT


def test_replace_all_with_regex_groups_and_empty_matches(bar, editor):
    bar.regex.setChecked(True)
    bar.find_field.setText(r"(\w+)\(")
    bar.replace_field.setText(r"call_\1(")
    assert bar.replace_all() == 1
    assert "call_rename(name)" in editor.text()
    bar.find_field.setText("^")
    bar.replace_field.setText("# ")
    assert bar.replace_all() == 4  # three lines plus the empty last one
    assert editor.text().startswith("# name = 'Name'\n# call_rename")


def test_go_to_line(bar, editor):
    bar.show_go_to_line()
    assert bar.line_field.maximum() == editor.lineCount()
    bar.line_field.setValue(3)
    bar.go_to_line()
    assert editor.caret_line() == 3
    assert bar.isHidden()


def test_every_field_is_labelled_for_screen_readers(bar):
    for field, label in ((bar.find_field, bar.find_label),
                         (bar.replace_field, bar.replace_label),
                         (bar.line_field, bar.line_label)):
        assert field.accessibleName()
        assert label.buddy() is field
    assert bar.close_button.accessibleName() == "Close find bar"


def test_shortcuts_open_the_right_rows_and_escape_closes(qtbot, tmp_path):
    tabs = EditorTabs()
    qtbot.addWidget(tabs)
    tabs.resize(700, 400)
    (tmp_path / "m.py").write_text(TEXT)
    editor = tabs.open_file(tmp_path / "m.py")
    show_focused(qtbot, tabs, editor)
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(editor, Qt.Key.Key_F, ctrl)
    bar = tabs.find_bar
    assert bar.isVisible() and bar.find_field.hasFocus()
    assert not bar.replace_field.isVisible()
    qtbot.keyClicks(bar.find_field, "rename")
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Return)
    assert selected(editor) == (14, 20)
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Escape)
    assert bar.isHidden() and editor.hasFocus()
    qtbot.keyClick(editor, Qt.Key.Key_H, ctrl)
    assert bar.replace_field.isVisible()
    assert bar.find_field.text() == "rename"  # the selection pre-fills the field
    assert bar.geometry().bottom() == tabs.rect().bottom()
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Escape)
    qtbot.keyClick(editor, Qt.Key.Key_G, ctrl)
    assert bar.line_field.isVisible() and not bar.find_field.isVisible()


def test_tab_moves_from_find_to_replace_to_the_buttons(qtbot, bar):
    bar.resize(900, 120)
    bar.show_replace()
    show_focused(qtbot, bar, bar.find_field)
    qtbot.keyClick(bar.find_field, Qt.Key.Key_Tab)
    assert bar.replace_field.hasFocus()
    qtbot.keyClick(bar.replace_field, Qt.Key.Key_Tab)
    assert bar.previous_button.hasFocus()
