"""The find / replace / go-to-line bar shown under the editor tabs (Ctrl+F, Ctrl+H, Ctrl+G)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)
from pyside6_scintilla import Scintilla

from desktop.editor.code_editor import CodeEditor

NOT_FOUND = -1
INVALID_PATTERN = -2


class FindReplaceBar(QWidget):
    """Searches the editor returned by ``editor_provider`` (the current tab's, or None)."""

    def __init__(self, editor_provider: Callable[[], CodeEditor | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor_provider = editor_provider
        self.setAccessibleName("Find and replace")
        self.setAutoFillBackground(True)
        self._build_fields()
        self._build_layout()
        self._connect()
        self.hide()

    # ----- building ------------------------------------------------------------------------

    def _build_fields(self) -> None:
        # Mnemonics avoid Alt+A/F/H/S/V, which the main window's menus use.
        self.find_field = _line_edit("Find text")
        self.replace_field = _line_edit("Replace with")
        self.line_field = QSpinBox()
        self.line_field.setRange(1, 1)
        self.line_field.setAccessibleName("Line number")
        self.match_case = QCheckBox("Match &case")
        self.whole_word = QCheckBox("&Whole word")
        self.regex = QCheckBox("Regular e&xpression")
        self.previous_button = QPushButton("&Previous")
        self.next_button = QPushButton("&Next")
        self.replace_button = QPushButton("&Replace")
        self.replace_all_button = QPushButton("Replac&e all")
        self.go_button = QPushButton("&Go")
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close find bar")
        self.status = QLabel()
        self.status.setAccessibleName("Search result")
        self.find_label = _buddy_label("Fin&d:", self.find_field)
        self.replace_label = _buddy_label("Replace wi&th:", self.replace_field)
        self.line_label = _buddy_label("Go to &line:", self.line_field)

    def _build_layout(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.addWidget(self.find_label, 0, 0)
        grid.addWidget(self.find_field, 0, 1)
        grid.addLayout(_row(self.previous_button, self.next_button, self.match_case,
                            self.whole_word, self.regex, self.status), 0, 2)
        grid.addWidget(self.close_button, 0, 3)
        grid.addWidget(self.replace_label, 1, 0)
        grid.addWidget(self.replace_field, 1, 1)
        grid.addLayout(_row(self.replace_button, self.replace_all_button), 1, 2)
        grid.addWidget(self.line_label, 2, 0)
        grid.addWidget(self.line_field, 2, 1)
        grid.addLayout(_row(self.go_button), 2, 2)
        self._find_row = (self.find_label, self.find_field, self.previous_button,
                          self.next_button, self.match_case, self.whole_word, self.regex,
                          self.status)
        self._replace_row = (self.replace_label, self.replace_field, self.replace_button,
                             self.replace_all_button)
        self._line_row = (self.line_label, self.line_field, self.go_button)
        focus_chain = (self.find_field, self.replace_field, self.previous_button,
                       self.next_button, self.match_case, self.whole_word, self.regex,
                       self.replace_button, self.replace_all_button, self.line_field,
                       self.go_button, self.close_button)
        for first, second in pairwise(focus_chain):
            self.setTabOrder(first, second)

    def _connect(self) -> None:
        self.find_field.returnPressed.connect(self.find_next)
        self.replace_field.returnPressed.connect(self.replace_one)
        self.line_field.editingFinished.connect(self._go_if_focused)
        self.next_button.clicked.connect(self.find_next)
        self.previous_button.clicked.connect(self.find_previous)
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.go_button.clicked.connect(self.go_to_line)
        self.close_button.clicked.connect(self.close_bar)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.close_bar)

    # ----- showing -------------------------------------------------------------------------

    def show_find(self) -> None:
        self._show_rows(find=True, replace=False, line=False)
        self._prefill_from_selection()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def show_replace(self) -> None:
        self._show_rows(find=True, replace=True, line=False)
        self._prefill_from_selection()
        self.find_field.setFocus()
        self.find_field.selectAll()

    def show_go_to_line(self) -> None:
        editor = self._editor_provider()
        if editor is None:
            return
        self._show_rows(find=False, replace=False, line=True)
        self.line_field.setRange(1, editor.lineCount())
        self.line_field.setValue(editor.caret_line())
        self.line_field.setFocus()
        self.line_field.selectAll()

    def close_bar(self) -> None:
        """Hide the bar and give the keyboard back to the editor (Escape)."""
        self.hide()
        editor = self._editor_provider()
        if editor is not None:
            editor.focus_editor()

    def _show_rows(self, find: bool, replace: bool, line: bool) -> None:
        for widgets, visible in ((self._find_row, find), (self._replace_row, replace),
                                 (self._line_row, line)):
            for widget in widgets:
                widget.setVisible(visible)
        self.status.clear()
        self.show()
        self.raise_()

    def _prefill_from_selection(self) -> None:
        editor = self._editor_provider()
        if editor is None or editor.selectionEmpty():
            return
        selected = bytes(editor.getSelText()).decode("utf-8", "replace")
        if "\n" not in selected:
            self.find_field.setText(selected)

    # ----- searching -----------------------------------------------------------------------

    def search_flags(self) -> int:
        flags = Scintilla.FindOption.None_
        if self.match_case.isChecked():
            flags |= Scintilla.FindOption.MatchCase
        if self.whole_word.isChecked():
            flags |= Scintilla.FindOption.WholeWord
        if self.regex.isChecked():
            flags |= Scintilla.FindOption.RegExp | Scintilla.FindOption.Cxx11RegEx
        return int(flags)

    def find_next(self) -> bool:
        """Select the next match after the selection, wrapping around the end."""
        editor = self._editor_provider()
        if editor is None or not self.find_field.text():
            return False
        start = editor.selectionEnd()
        found = self._search(editor, start, editor.length())
        if found == NOT_FOUND and start > 0:
            found = self._search(editor, 0, start)
        return self._select_result(editor, found)

    def find_previous(self) -> bool:
        """Select the previous match before the selection, wrapping around the start."""
        editor = self._editor_provider()
        if editor is None or not self.find_field.text():
            return False
        start = editor.selectionStart()
        found = self._search(editor, start, 0)
        if found == NOT_FOUND and start < editor.length():
            found = self._search(editor, editor.length(), start)
        return self._select_result(editor, found)

    def replace_one(self) -> bool:
        """Replace the selected match (if the selection is one) and select the next match."""
        editor = self._editor_provider()
        if editor is None or not self.find_field.text():
            return False
        if self._selection_is_match(editor):
            self._replace_target(editor)
            editor.setSel(editor.targetEnd(), editor.targetEnd())
        return self.find_next()

    def replace_all(self) -> int:
        """Replace every match in the document as one undo step; returns how many."""
        editor = self._editor_provider()
        if editor is None or not self.find_field.text():
            return 0
        count, position, found = 0, 0, NOT_FOUND
        editor.beginUndoAction()
        try:
            while (found := self._search(editor, position, editor.length())) >= 0:
                empty_match = editor.targetEnd() == found
                self._replace_target(editor)
                count += 1
                position = editor.targetEnd()
                if empty_match:  # step over one character so `x*` or `^` cannot loop forever
                    if position >= editor.length():
                        break
                    position = editor.positionAfter(position)
        finally:
            editor.endUndoAction()
        if found != INVALID_PATTERN:
            self.status.setText(f"Replaced {count}" if count else "Not found")
        return count

    def go_to_line(self) -> None:
        editor = self._editor_provider()
        if editor is None:
            return
        editor.go_to_line(self.line_field.value())
        self.hide()
        editor.focus_editor()

    def _go_if_focused(self) -> None:
        if self.line_field.hasFocus():
            self.go_to_line()

    def _search(self, editor: CodeEditor, start: int, end: int) -> int:
        """Search between ``start`` and ``end`` (backwards when end < start)."""
        pattern = self.find_field.text()
        editor.setStatus(Scintilla.Status.Ok)
        editor.setSearchFlags(self.search_flags())
        editor.setTargetRange(start, end)
        found = editor.searchInTarget(len(pattern.encode()), pattern)
        if found == INVALID_PATTERN or editor.status() == Scintilla.Status.RegEx:
            editor.setStatus(Scintilla.Status.Ok)
            self.status.setText("Invalid regular expression")
            return INVALID_PATTERN
        return found

    def _selection_is_match(self, editor: CodeEditor) -> bool:
        start, end = editor.selectionStart(), editor.selectionEnd()
        return start != end and self._search(editor, start, end) == start \
            and editor.targetEnd() == end

    def _replace_target(self, editor: CodeEditor) -> None:
        replacement = self.replace_field.text()
        size = len(replacement.encode())
        if self.regex.isChecked():
            editor.replaceTargetRE(size, replacement)
        else:
            editor.replaceTarget(size, replacement)

    def _select_result(self, editor: CodeEditor, found: int) -> bool:
        if found < 0:
            if found == NOT_FOUND:
                self.status.setText("Not found")
            return False
        self.status.clear()
        editor.setSel(editor.targetStart(), editor.targetEnd())
        editor.scrollCaret()
        return True


def _line_edit(accessible_name: str) -> QLineEdit:
    field = QLineEdit()
    field.setAccessibleName(accessible_name)
    field.setClearButtonEnabled(True)
    return field


def _buddy_label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
