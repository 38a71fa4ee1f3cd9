"""Breakpoints in an editor's symbol margin: a click (or F9 at the caret) toggles one, and the
line where a request is paused carries an arrow. Lines here are 1-based, as in tracebacks.

Scintilla moves markers with the text as lines are added or removed, so :func:`marked_lines`
is where the breakpoints of an edited file really are (read again after a save).
"""

from __future__ import annotations

from collections.abc import Callable

from pyside6_scintilla import Scintilla

from desktop.editor.code_editor import LINE_NUMBER_MARGIN, MARKER_MARGIN, CodeEditor

BREAKPOINT_MARKER = 1
PAUSED_MARKER = 2
BREAKPOINT_COLOUR = 0x2D31D0  # Scintilla colours are 0xBBGGRR: #d0312d, the error red
PAUSED_COLOUR = 0x00C0FF  # #ffc000, amber


def enable_breakpoints(editor: CodeEditor, toggled: Callable[[CodeEditor, int, bool], None]
                       ) -> None:
    """Make ``editor``'s margins toggle breakpoints; ``toggled(editor, line, on)`` says so."""
    if getattr(editor, "breakpoints_enabled", False):  # (setProperty is Scintilla's here)
        return
    editor.breakpoints_enabled = True
    mask = editor.marginMaskN(MARKER_MARGIN) | 1 << BREAKPOINT_MARKER | 1 << PAUSED_MARKER
    editor.setMarginMaskN(MARKER_MARGIN, mask)
    editor.markerDefine(BREAKPOINT_MARKER, Scintilla.MarkerSymbol.Circle)
    editor.markerSetBack(BREAKPOINT_MARKER, BREAKPOINT_COLOUR)
    editor.markerSetFore(BREAKPOINT_MARKER, BREAKPOINT_COLOUR)
    editor.markerDefine(PAUSED_MARKER, Scintilla.MarkerSymbol.ShortArrow)
    editor.markerSetBack(PAUSED_MARKER, PAUSED_COLOUR)
    for margin in (LINE_NUMBER_MARGIN, MARKER_MARGIN):
        editor.setMarginSensitiveN(margin, True)
        editor.setMarginCursorN(margin, 2)  # SC_CURSORARROW: a margin, not text

    def clicked(position: int, _modifiers: int, margin: int) -> None:
        if margin in (LINE_NUMBER_MARGIN, MARKER_MARGIN):
            toggle_breakpoint(editor, editor.lineFromPosition(position) + 1, toggled)

    editor.marginClicked.connect(clicked)


def toggle_breakpoint(editor: CodeEditor, line: int,
                      toggled: Callable[[CodeEditor, int, bool], None]) -> None:
    on = not has_breakpoint(editor, line)
    if on:
        editor.markerAdd(line - 1, BREAKPOINT_MARKER)
    else:
        editor.markerDelete(line - 1, BREAKPOINT_MARKER)
    toggled(editor, line, on)


def has_breakpoint(editor: CodeEditor, line: int) -> bool:
    return bool(editor.markerGet(line - 1) & 1 << BREAKPOINT_MARKER)


def marked_lines(editor: CodeEditor, marker: int = BREAKPOINT_MARKER) -> list[int]:
    lines, line = [], editor.markerNext(0, 1 << marker)
    while line >= 0:
        lines.append(line + 1)
        line = editor.markerNext(line + 1, 1 << marker)
    return lines


def show_breakpoints(editor: CodeEditor, lines: list[int]) -> None:
    editor.markerDeleteAll(BREAKPOINT_MARKER)
    for line in lines:
        editor.markerAdd(line - 1, BREAKPOINT_MARKER)


def show_paused_line(editor: CodeEditor, line: int | None) -> None:
    editor.markerDeleteAll(PAUSED_MARKER)
    if line is not None:
        editor.markerAdd(line - 1, PAUSED_MARKER)
