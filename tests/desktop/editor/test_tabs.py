"""EditorTabs with real files: open, edit, save, close, outside changes, refusals."""

import os
from pathlib import Path

import pytest
from modal import ModalAnswer
from PySide6.QtCore import QProcess, Qt
from PySide6.QtWidgets import QMessageBox

from desktop.editor.tabs import MODIFIED_MARK, EditorTabs, distinct_titles
from tests.desktop.editor.helpers import show_focused

Answer = QMessageBox.StandardButton


class Recorder:
    """Answers the tabs' questions from a script and remembers what was asked."""

    def __init__(self, answer=None):
        self.answer = answer
        self.calls = []

    def __call__(self, *args):
        self.calls.append(args)
        return self.answer


@pytest.fixture
def tabs(qtbot):
    tabs = EditorTabs()
    qtbot.addWidget(tabs)
    tabs.confirm_save = Recorder(Answer.Cancel)
    tabs.confirm_reload = Recorder(False)
    tabs.report_error = Recorder()
    return tabs


@pytest.fixture
def source(tmp_path) -> Path:
    path = tmp_path / "controllers" / "default.py"
    path.parent.mkdir()
    path.write_text("def index():\n    return dict()\n")
    return path


def type_text(qtbot, tabs, editor, text):
    """Type like a user; QTest cannot click '\\n', so lines are separated with Return."""
    show_focused(qtbot, tabs, editor)
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


def test_open_edit_save_round_trip(qtbot, tabs, source):
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "# hi\n")
    with qtbot.waitSignal(tabs.fileSaved) as saved:
        assert tabs.save_current()
    assert saved.args == [source.resolve()]
    assert source.read_text() == "# hi\ndef index():\n    return dict()\n"


def test_tab_title_tooltip_and_modified_marker(qtbot, tabs, source):
    editor = tabs.open_file(source)
    assert tabs.tabText(0) == "default.py"
    assert tabs.tabToolTip(0) == str(source.resolve())
    type_text(qtbot, tabs, editor, "x")
    assert tabs.tabText(0) == MODIFIED_MARK + "default.py"
    assert "modified" in editor.accessibleName()
    tabs.save_current()
    assert tabs.tabText(0) == "default.py"
    editor.undo()  # back before the save point: modified again
    assert tabs.tabText(0).startswith(MODIFIED_MARK)


def test_opening_an_open_file_focuses_it_and_jumps_to_the_line(tabs, source, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("a\nb\nc\n")
    first = tabs.open_file(source)
    tabs.open_file(other)
    again = tabs.open_file(source.parent / ".." / "controllers" / "default.py", line=2)
    assert again is first
    assert tabs.count() == 2
    assert tabs.current_editor() is first
    assert first.caret_line() == 2
    assert tabs.open_paths() == [source.resolve(), other.resolve()]


def test_current_file_changed_signal(qtbot, tabs, source, tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("b")
    tabs.open_file(source)
    with qtbot.waitSignal(tabs.currentFileChanged) as changed:
        tabs.open_file(other)
    assert changed.args == [other.resolve()]
    tabs.close_tab(1)
    with qtbot.waitSignal(tabs.currentFileChanged) as changed:
        tabs.close_tab(0)
    assert changed.args == [None]


def test_close_with_changes_cancel_keeps_the_tab(qtbot, tabs, source):
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "x")
    assert not tabs.close_tab(0)
    assert tabs.confirm_save.calls == [(source.resolve(),)]
    assert tabs.count() == 1 and editor.is_modified()


def test_close_with_changes_discard_closes_without_writing(qtbot, tabs, source):
    before = source.read_text()
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "x")
    tabs.confirm_save.answer = Answer.Discard
    assert tabs.close_tab(0)
    assert tabs.count() == 0
    assert source.read_text() == before


def test_close_with_changes_save_writes_then_closes(qtbot, tabs, source):
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "x")
    tabs.confirm_save.answer = Answer.Save
    assert tabs.close_tab(0)
    assert source.read_text().startswith("xdef index")


@pytest.mark.parametrize(("button", "closed", "written"), [
    ("Save", True, True), ("Discard", True, False), ("Cancel", False, False)])
def test_the_real_save_prompt_asks_and_obeys(qtbot, source, button, closed, written):
    """The real QMessageBox behind ``confirm_save``, answered by clicking one of its buttons."""
    tabs = EditorTabs()
    qtbot.addWidget(tabs)
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "x")
    with ModalAnswer(lambda box: box.button(getattr(Answer, button)).click()) as answered:
        assert tabs.close_tab(0) is closed
    assert (answered.title, answered.text) == (
        "Unsaved changes", "Save the changes to default.py before closing?")
    assert tabs.count() == (0 if closed else 1)
    assert source.read_text().startswith("xdef index") is written


def test_unmodified_tab_closes_without_asking(tabs, source):
    tabs.open_file(source)
    assert tabs.close_tab(0)
    assert tabs.confirm_save.calls == []


def test_maybe_close_all_stops_at_cancel(qtbot, tabs, source, tmp_path):
    other = tmp_path / "b.py"
    other.write_text("")
    for path in (source, other):
        editor = tabs.open_file(path)
        type_text(qtbot, tabs, editor, "y")
    assert not tabs.maybe_close_all()
    assert len(tabs.confirm_save.calls) == 1
    tabs.confirm_save.answer = Answer.Save
    assert tabs.maybe_close_all()
    assert source.read_text().startswith("y") and other.read_text() == "y"


def test_save_all_saves_only_modified_files(qtbot, tabs, source, tmp_path):
    other = tmp_path / "b.py"
    other.write_text("b = 1\n")
    tabs.open_file(other)
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "z")
    saved = []
    tabs.fileSaved.connect(saved.append)
    assert tabs.save_all()
    assert saved == [source.resolve()]
    assert source.read_text().startswith("z")


def test_syntax_error_is_shown_after_save_and_the_file_kept(qtbot, tabs, source):
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "if x\n")
    with qtbot.waitSignal(editor.syntaxChecked, timeout=10_000):
        assert tabs.save_current()
    assert source.read_text().startswith("if x\n")
    assert editor.syntax_problem.line == 1
    assert bytes(editor.annotationText(0)).startswith(b"SyntaxError")


def test_binary_file_is_refused_with_a_message(tabs, tmp_path):
    image = tmp_path / "logo.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR")
    assert tabs.open_file(image) is None
    assert tabs.count() == 0
    [(title, message)] = tabs.report_error.calls
    assert title == "Cannot open file" and "binary" in message


def test_failed_save_keeps_the_edits_and_reports(qtbot, tabs, source):
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "keep me ")
    source.unlink()
    source.mkdir()  # the path is now a folder: writing must fail
    assert not tabs.save_current()
    assert editor.is_modified() and editor.text().startswith("keep me ")
    [(title, message)] = tabs.report_error.calls
    assert title == "Cannot save file" and str(source.resolve()) in message


def test_external_change_reloads_an_unmodified_file(qtbot, tabs, source):
    editor = tabs.open_file(source, line=2)
    source.write_text("def index():\n    return 'changed'\n")
    qtbot.waitUntil(lambda: "changed" in editor.text(), timeout=3000)
    assert editor.caret_line() == 2
    assert tabs.confirm_reload.calls == []
    assert not editor.is_modified()


def test_external_change_to_a_modified_file_asks_first(qtbot, tabs, source):
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "mine ")
    source.write_text("theirs\n")
    qtbot.waitUntil(lambda: len(tabs.confirm_reload.calls) == 1, timeout=3000)
    assert editor.text().startswith("mine ")  # declined: edits kept
    tabs.confirm_reload.answer = True
    source.write_text("theirs again\n")
    qtbot.waitUntil(lambda: editor.text() == "theirs again\n", timeout=3000)
    assert len(tabs.confirm_reload.calls) == 2


def test_atomic_replace_is_noticed_again_and_again(qtbot, tabs, source):
    editor = tabs.open_file(source)
    for version in range(3):
        replacement = source.with_name("default.py.tmp")
        replacement.write_text(f"version = {version}\n")
        os.replace(replacement, source)
        qtbot.waitUntil(lambda v=version: editor.text() == f"version = {v}\n", timeout=3000)


def test_own_save_is_not_taken_for_an_outside_change(qtbot, tabs, source):
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "a")
    with qtbot.waitSignal(tabs._watcher.fileChanged, timeout=5000):  # the save is seen...
        tabs.save_current()
    type_text(qtbot, tabs, editor, "b")
    qtbot.waitUntil(lambda: not tabs._settle_timer.isActive(), timeout=5000)  # ...and handled
    assert tabs.confirm_reload.calls == []
    assert editor.text().startswith("abdef")


def test_theme_and_completion_words_reach_new_editors(tabs, source):
    tabs.set_theme("dark")
    tabs.set_completion_words(["customer"])
    editor = tabs.open_file(source)
    assert editor.theme == "dark"
    editor.setText("")
    editor.insertText(0, "cus")
    editor.gotoPos(3)
    editor.show_completions()
    assert bytes(editor.autoCCurrentText()) == b"customer"


def test_tabs_are_accessible(tabs, source):
    editor = tabs.open_file(source)
    assert tabs.accessibleName()
    assert editor.accessibleName().startswith("Code editor: default.py")
    assert tabs.tabsClosable()


def test_closing_a_tab_during_its_syntax_check_is_harmless(qtbot, tabs, source):
    editor = tabs.open_file(source)
    type_text(qtbot, tabs, editor, "if x\n")
    tabs.save_current()
    (check,) = editor.findChildren(QProcess)
    ended = []
    check.destroyed.connect(lambda: ended.append(True))
    assert tabs.close_tab(0)
    qtbot.waitUntil(lambda: bool(ended), timeout=10_000)  # gone with its editor: no error surfaced
    assert tabs.count() == 0 and source.read_text().startswith("if x\n")


def test_distinct_titles_grow_only_where_names_collide():
    paths = [Path("/r/applications/blog/controllers/default.py"),
             Path("/r/applications/shop/controllers/default.py"),
             Path("/r/applications/shop/models/db.py")]
    assert distinct_titles(paths) == ["blog/controllers/default.py",
                                      "shop/controllers/default.py", "db.py"]
    assert distinct_titles([Path("/a/x.py")]) == ["x.py"]


def test_same_named_files_get_telling_titles(tabs, tmp_path):
    for app in ("blog", "shop"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "default.py").write_text("")
    tabs.open_file(tmp_path / "blog" / "default.py")
    assert tabs.tabText(0) == "default.py"
    tabs.open_file(tmp_path / "shop" / "default.py")
    assert [tabs.tabText(i) for i in range(2)] == ["blog/default.py", "shop/default.py"]
    tabs.close_tab(0)
    assert tabs.tabText(0) == "default.py"
