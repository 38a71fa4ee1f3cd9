"""Breakpoints in the editor's margin: a click toggles one, the markers move with the text,
and the paused line has its own marker."""

import pytest

from desktop.editor.breakpoint_margin import (
    PAUSED_MARKER,
    enable_breakpoints,
    has_breakpoint,
    marked_lines,
    show_breakpoints,
    show_paused_line,
    toggle_breakpoint,
)
from desktop.editor.code_editor import CodeEditor
from tests.desktop.editor.helpers import click_margin


@pytest.fixture
def editor(qtbot, tmp_path):
    path = tmp_path / "default.py"
    path.write_text("def index():\n    a = 1\n    b = 2\n    return a + b\n")
    widget = CodeEditor.from_file(path)
    qtbot.addWidget(widget)
    widget.resize(500, 300)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_margin_click_toggles_a_breakpoint_and_says_so(qtbot, editor):
    said = []
    enable_breakpoints(editor, lambda widget, line, on: said.append((line, on)))
    enable_breakpoints(editor, lambda widget, line, on: said.append("twice"))  # once only
    click_margin(qtbot, editor, 3)
    assert marked_lines(editor) == [3] and has_breakpoint(editor, 3)
    click_margin(qtbot, editor, 3)
    assert marked_lines(editor) == [] and said == [(3, True), (3, False)]


def test_markers_move_with_the_text_and_the_paused_line_is_marked(editor):
    toggle_breakpoint(editor, 2, lambda *_: None)
    editor.insertText(0, "import os\n\n")
    assert marked_lines(editor) == [4]
    show_breakpoints(editor, [1, 5])
    assert marked_lines(editor) == [1, 5]
    show_paused_line(editor, 5)
    assert marked_lines(editor, PAUSED_MARKER) == [5]
    show_paused_line(editor, None)
    assert marked_lines(editor, PAUSED_MARKER) == []
