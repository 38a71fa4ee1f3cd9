"""The Debugger panel: breakpoints set in the editor's margin, and a request paused at one —
its call stack, each frame's locals (expandable), Continue / Step over / Step into / Step out /
Stop, and an expression evaluated in the chosen frame.

The debugging itself is :class:`server.hosting.debugger.Debugger`, which the server's app is
wrapped in (:meth:`DebuggerPanel.wrap_factory`). A pause (and a request going on) is reported
from the request's thread and reaches the panel as a queued signal, which may come late: the
panel then shows what the debugger says waits now, never the report's pause itself (one
reported after the user already resumed it must not be shown again, and hide the next).
Requests paused at once are all listed; one is shown at a time. ``pauseShown(file, line)``
asks the window to come forward on the shown line. Evaluations wait for the paused thread, so
they are waited for off the GUI thread (:class:`desktop.paused_evaluations.Evaluations`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.editor.breakpoint_margin import (
    enable_breakpoints,
    marked_lines,
    show_breakpoints,
    show_paused_line,
    toggle_breakpoint,
)
from desktop.paused_evaluations import Evaluations
from desktop.status_label import StatusLabel
from server.hosting.debugger import Debugger, Pause, canonical
from server.hosting.frame_values import Variable

# (command, button text, accessible name); the shortcuts are the window's (desktop.actions)
STEPS = (("continue", "&Continue", "Continue to the next breakpoint (F8)"),
         ("next", "Step &over", "Step over: run the current line (F10)"),
         ("step", "Step i&nto", "Step into the function called on this line (F11)"),
         ("return", "Step o&ut", "Step out: run until this function returns (Shift+F11)"),
         ("stop", "Sto&p", "Stop the request: it ends with an error ticket (Shift+F8)"))
PATH_ROLE = Qt.ItemDataRole.UserRole


class PauseSignals(QObject):
    paused = Signal(object)  # Pause, from the request's thread
    resumed = Signal(object)
    finished = Signal(str)  # the thread of a traced request that ended


class DebuggerPanel(QWidget):
    pauseShown = Signal(Path, int)  # the window opens the file there and comes forward
    pausedChanged = Signal(bool)  # a request is (no longer) shown paused
    breakpointsChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.signals = PauseSignals(self)
        self.signals.paused.connect(self._follow)
        self.signals.resumed.connect(self._follow)
        self.signals.finished.connect(self._finished)
        self.debugger = Debugger(self.signals.paused.emit, self.signals.resumed.emit,
                                 self.signals.finished.emit)
        self.evaluations = Evaluations(self)
        self.pause: Pause | None = None
        self.listed: list[Pause] = []  # the paused requests the requests box lists
        self.stepping = ""  # the thread of the request stepped: shown at its next pause
        self.editors: list = []
        self.current_editor: Callable[[], object] = lambda: None  # the window's, for F9
        self._build()
        self._show_pause(None)
        self._list_requests()

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.status_label = StatusLabel("Debugger")
        self.step_buttons: dict[str, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        for command, text, name in STEPS:
            button = QPushButton(text, self, clicked=lambda _=False, c=command: self.resume(c))
            button.setAccessibleName(name)
            button.setToolTip(name)
            self.step_buttons[command] = button
            buttons.addWidget(button)
        self.requests_box = QComboBox(self)
        self.requests_box.setAccessibleName("Paused requests: the one shown in the panel")
        self.requests_box.activated.connect(self._request_chosen)
        self.stack_list = QListWidget(self)
        self.stack_list.setAccessibleName("Call stack of the paused request, innermost first")
        self.stack_list.currentRowChanged.connect(self._frame_chosen)
        self.locals_tree = QTreeWidget(self)
        self.locals_tree.setHeaderLabels(["Name", "Type", "Value"])
        self.locals_tree.setAccessibleName("Local variables of the chosen frame")
        self.locals_tree.itemExpanded.connect(lambda _item: self.locals_tree.resizeColumnToContents(0))
        self.breakpoint_list = QListWidget(self)
        self.breakpoint_list.setAccessibleName("Breakpoints: Enter opens, Delete removes")
        self.breakpoint_list.itemActivated.connect(self._open_breakpoint)
        self.clear_button = QPushButton("Clear &breakpoints", self,
                                        clicked=self.clear_breakpoints)
        self.clear_button.setAccessibleName("Remove every breakpoint")
        self.expression_edit = QLineEdit(self)
        self.expression_edit.setPlaceholderText("Expression or statement, in the chosen frame")
        self.expression_edit.setAccessibleName("Expression to evaluate in the paused frame")
        self.expression_edit.returnPressed.connect(self.evaluate)
        self.results = QPlainTextEdit(self)
        self.results.setReadOnly(True)
        self.results.setAccessibleName("Evaluation results")
        self.results.setMaximumBlockCount(2000)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addLayout(self._row("Paused re&quests:", self.requests_box))
        layout.addWidget(self._panes(), 1)
        layout.addLayout(self._row("&Evaluate:", self.expression_edit))

    def _row(self, title: str, widget: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        label = QLabel(title, self)
        label.setBuddy(widget)
        row.addWidget(label)
        row.addWidget(widget, 1)
        return row

    def _panes(self) -> QSplitter:
        splitter = QSplitter(self)
        for title, widget in (("Call &stack:", self.stack_list), ("&Locals:", self.locals_tree)):
            splitter.addWidget(_labelled(title, widget))
        side = _labelled("Brea&kpoints:", self.breakpoint_list)
        side.layout().addWidget(self.clear_button)
        side.layout().addWidget(self.results)
        splitter.addWidget(side)
        splitter.setSizes([200, 400, 250])
        return splitter

    # -- the server ---------------------------------------------------------------------------

    def wrap_factory(self, factory: Callable) -> Callable:
        """The server panel's app factory, with its app under this panel's debugger."""
        return lambda root, options: self.debugger.wrap(factory(root, options))

    def shutdown(self) -> None:
        """Let paused requests go on, so the server can stop."""
        self.debugger.close()

    # -- breakpoints --------------------------------------------------------------------------

    def attach_editor(self, editor) -> None:
        """Give a newly opened editor the breakpoint margin, showing its file's breakpoints."""
        enable_breakpoints(editor, self._toggled)
        file = canonical(editor.path)
        show_breakpoints(editor, [line for path, line in self.debugger.breakpoints()
                                  if path == file])
        self.editors.append(editor)
        editor.destroyed.connect(lambda *_: self._forget(editor))

    def file_saved(self, path: Path) -> None:
        """Lines moved by the edit: the markers say where the breakpoints are now."""
        file = canonical(path)
        for editor in self.editors:
            if canonical(editor.path) == file:
                for old_file, line in self.debugger.breakpoints():
                    if old_file == file:
                        self.debugger.clear_breakpoint(file, line)
                for line in marked_lines(editor):
                    self.debugger.set_breakpoint(file, line)
        self._list_breakpoints()

    def toggle_at_caret(self) -> bool:
        """F9: a breakpoint on (or off) the caret's line of the current editor."""
        editor = self.current_editor()
        if editor is None:
            return False
        enable_breakpoints(editor, self._toggled)
        toggle_breakpoint(editor, editor.caret_line(), self._toggled)
        return True

    def clear_breakpoints(self) -> None:
        self.debugger.clear_all()
        for editor in self.editors:
            show_breakpoints(editor, [])
        self._list_breakpoints()

    def _toggled(self, editor, line: int, on: bool) -> None:
        if on:
            self.debugger.set_breakpoint(editor.path, line)
        else:
            self.debugger.clear_breakpoint(editor.path, line)
        self._list_breakpoints()

    def _forget(self, editor) -> None:
        self.editors = [known for known in self.editors if known is not editor]

    def _list_breakpoints(self) -> None:
        self.breakpoint_list.clear()
        for file, line in sorted(self.debugger.breakpoints()):
            item = QListWidgetItem(f"{Path(file).name}:{line}    {file}")
            item.setData(PATH_ROLE, (file, line))
            self.breakpoint_list.addItem(item)
        self.clear_button.setEnabled(self.breakpoint_list.count() > 0)
        self.breakpointsChanged.emit()

    def _open_breakpoint(self, item: QListWidgetItem) -> None:
        file, line = item.data(PATH_ROLE)
        self.pauseShown.emit(Path(file), line)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        item = self.breakpoint_list.currentItem()
        if event.key() == Qt.Key.Key_Delete and self.breakpoint_list.hasFocus() and item:
            file, line = item.data(PATH_ROLE)
            self.debugger.clear_breakpoint(file, line)
            for editor in self.editors:
                if canonical(editor.path) == file:
                    show_breakpoints(editor, [n for f, n in self.debugger.breakpoints()
                                              if f == file])
            self._list_breakpoints()
            return
        super().keyPressEvent(event)

    # -- the paused request -------------------------------------------------------------------

    def resume(self, command: str) -> bool:
        """Continue, step or stop the request shown; False when none is paused."""
        pause, self.pause = self.pause, None
        if pause is None:
            return False
        pause.resume(command)
        self.stepping = pause.thread if command in ("next", "step", "return") else ""
        self._show_pause(None, waiting=True)
        self._list_requests()
        return True

    def chosen_frame(self) -> tuple[Pause, int] | None:
        """The paused request and the index of the frame chosen in the stack (the Shell
        evaluates there too); None when no request is paused."""
        if self.pause is None:
            return None
        return self.pause, len(self.pause.frames) - 1 - max(self.stack_list.currentRow(), 0)

    def evaluate(self) -> None:
        expression = self.expression_edit.text().strip()
        chosen = self.chosen_frame()
        if not expression or chosen is None:
            return
        pause, frame = chosen
        self.expression_edit.clear()
        self.evaluations.run(pause, expression, frame,
                             lambda value: self._show_result(expression, value))

    def _show_result(self, expression: str, value: str) -> None:
        self.results.appendPlainText(f">>> {expression}\n{value}" if value else f">>> {expression}")

    def _follow(self, _report: Pause | None = None) -> None:
        """A request paused or went on: the pause shown stays while it waits. Otherwise a
        request being stepped is shown at its next pause (others wait in the list until it
        ends); else the first waiting."""
        waiting = self.debugger.waiting()
        if self.pause is None or not self.pause.waiting:
            stepped = [pause for pause in waiting if pause.thread == self.stepping]
            if stepped or (waiting and not self.stepping):
                self.stepping = ""
                self._show_pause((stepped or waiting)[0])
            elif self.pause is not None:  # resumed elsewhere (all released, the window closing)
                self._show_pause(None)
        self._list_requests(waiting)

    def _finished(self, thread: str) -> None:
        if thread == self.stepping:  # it ended without pausing again
            self.stepping = ""
            self._follow()

    def _list_requests(self, waiting: list[Pause] | None = None) -> None:
        self.listed = self.debugger.waiting() if waiting is None else waiting
        self.requests_box.blockSignals(True)
        self.requests_box.clear()
        for number, pause in enumerate(self.listed, 1):
            self.requests_box.addItem(f"{number} of {len(self.listed)}: "
                                      f"{Path(pause.file).name}:{pause.line}  ({pause.thread})")
        shown = [index for index, pause in enumerate(self.listed) if pause is self.pause]
        self.requests_box.setCurrentIndex(shown[0] if shown else -1)
        self.requests_box.setEnabled(bool(self.listed))
        self.requests_box.blockSignals(False)

    def _request_chosen(self, index: int) -> None:
        if 0 <= index < len(self.listed) and self.listed[index] is not self.pause \
                and self.listed[index].waiting:
            self._show_pause(self.listed[index])
        self._list_requests()

    def _show_pause(self, pause: Pause | None, waiting: bool = False) -> None:
        self.pause = pause
        for button in self.step_buttons.values():
            button.setEnabled(pause is not None)
        self.stack_list.clear()
        self.locals_tree.clear()
        for editor in self.editors:
            show_paused_line(editor, None)
        if pause is None:
            self.status_label.setText("Running…" if waiting else
                                      "No request paused. Click an editor's margin (or press "
                                      "F9) to set a breakpoint.")
            self.pausedChanged.emit(False)
            return
        for frame in reversed(pause.frames):
            self.stack_list.addItem(f"{frame.function}  —  {Path(frame.file).name}:{frame.line}")
        self.status_label.setText(f"Paused at {Path(pause.file).name}:{pause.line} "
                                  f"({pause.thread}); the browser waits for this request")
        self.pausedChanged.emit(True)
        self.stack_list.setCurrentRow(0)

    def _frame_chosen(self, row: int) -> None:
        self.locals_tree.clear()
        if self.pause is None or row < 0:
            return
        frame = self.pause.frames[len(self.pause.frames) - 1 - row]
        for variable in frame.variables:
            self.locals_tree.addTopLevelItem(_variable_item(variable))
        self.locals_tree.resizeColumnToContents(0)
        self.pauseShown.emit(Path(frame.file), frame.line)
        for editor in self.editors:
            show_paused_line(editor, frame.line if canonical(editor.path) == frame.file
                             else None)

    def local_value(self, name: str) -> str | None:
        """The shown value of a local of the chosen frame (what a user reads in the tree)."""
        for index in range(self.locals_tree.topLevelItemCount()):
            item = self.locals_tree.topLevelItem(index)
            if item.text(0) == name:
                return item.text(2)
        return None


def _variable_item(variable: Variable) -> QTreeWidgetItem:
    item = QTreeWidgetItem([variable.name, variable.type, variable.value])
    item.setToolTip(2, variable.value)
    for child in variable.children:
        item.addChild(_variable_item(child))
    return item


def _labelled(title: str, widget: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    label = QLabel(title, box)
    label.setBuddy(widget)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box
