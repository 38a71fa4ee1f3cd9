"""Completion words, and Scintilla's list appearing while typing in a real editor."""

from PySide6.QtCore import Qt

from desktop.editor.code_editor import CodeEditor
from desktop.editor.completion import CompletionWords
from tests.desktop.editor.helpers import show_focused


def test_framework_names_are_offered_by_prefix():
    words = CompletionWords()
    assert "request" in words.candidates("req")
    assert "IS_NOT_EMPTY" in words.candidates("IS_N")
    assert "request" not in words.candidates("request")
    assert words.candidates("zzzq") == []


def test_extra_words_are_added_sorted_and_invalid_ones_dropped():
    words = CompletionWords()
    words.set_extra_words(["person", "person_name", "not a name", "2bad"])
    assert words.candidates("pers") == ["person", "person_name"]
    assert "not a name" not in words.words()
    assert words.words() == sorted(words.words())


def _editor(qtbot, tmp_path):
    path = tmp_path / "default.py"
    path.write_text("")
    editor = CodeEditor.from_file(path)
    qtbot.addWidget(editor)
    show_focused(qtbot, editor)
    return editor


def test_typing_three_characters_opens_the_list(qtbot, tmp_path):
    editor = _editor(qtbot, tmp_path)
    qtbot.keyClicks(editor, "re")
    assert not editor.autoCActive()
    qtbot.keyClicks(editor, "s")
    assert editor.autoCActive()
    assert bytes(editor.autoCCurrentText()) == b"response"


def test_app_words_complete_and_enter_inserts(qtbot, tmp_path):
    editor = _editor(qtbot, tmp_path)
    editor.set_completion_words(["customer"])
    qtbot.keyClicks(editor, "cust")
    assert editor.autoCActive()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "customer"


def test_ctrl_space_completes_short_prefixes(qtbot, tmp_path):
    editor = _editor(qtbot, tmp_path)
    qtbot.keyClicks(editor, "re")
    assert not editor.autoCActive()
    qtbot.keyClick(editor, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)
    assert editor.autoCActive()
    assert bytes(editor.autoCCurrentText()).startswith(b"re")
