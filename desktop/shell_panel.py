"""The Shell panel: a Python console in the selected app's environment, models run, ``db``
ready (:class:`server.hosting.shell_session.ShellSession`, ``-S app -M`` in a thread of its own);
while the debugger holds a request, lines are evaluated in its chosen frame instead.

Statements run in the session's thread, so the window never waits for one; Interrupt (the
button, or Ctrl+C with nothing selected in the input line) stops one that does not end. The
input line keeps a history (Up/Down) and completes names and attributes (Tab).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.paused_evaluations import Evaluations
from desktop.request_log import RequestLogBridge
from desktop.status_label import StatusLabel
from server.hosting.debugger import Pause
from server.hosting.shell_session import ShellSession

COMPLETABLE_TAIL = re.compile(r"[\w.]*$")
MAX_TRANSCRIPT_BLOCKS = 20000


class SessionSignals(QObject):
    """The session's ``ready`` and ``failed``, carried from its thread to the GUI thread."""

    ready = Signal(object, bool)  # session, more
    failed = Signal(object, str)


class ShellInput(QLineEdit):
    """The input line: Up/Down walk the history, Tab completes, Ctrl+C without a selection
    interrupts."""

    historyStep = Signal(int)  # -1 older, +1 newer
    completeRequested = Signal()
    interruptRequested = Signal()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.completeRequested.emit()  # Tab completes here; Ctrl+Tab still leaves
            return True
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.key() == Qt.Key.Key_Up:
            self.historyStep.emit(-1)
        elif event.key() == Qt.Key.Key_Down:
            self.historyStep.emit(+1)
        elif event.matches(QKeySequence.StandardKey.Copy) and not self.hasSelectedText():
            self.interruptRequested.emit()
        else:
            super().keyPressEvent(event)


class ShellPanel(QWidget):
    def __init__(self, root: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.application: str | None = None
        self.session: ShellSession | None = None
        self.history: list[str] = []
        # the window's debugger: the paused request and the frame chosen, or None
        self.paused_frame: Callable[[], tuple[Pause, int] | None] = lambda: None
        self._more = False  # the session waits for the rest of a statement
        self.evaluations = Evaluations(self)
        self._history_at = 0
        self.output_bridge = RequestLogBridge(self, max_pending=MAX_TRANSCRIPT_BLOCKS)
        self.output_bridge.entriesReady.connect(self._show_output)
        self.signals = SessionSignals(self)
        self.signals.ready.connect(self._session_ready)
        self.signals.failed.connect(self._session_failed)
        self._build()
        self.set_application(None)

    # -- layout ---------------------------------------------------------------------------------

    def _build(self) -> None:
        self.status_label = StatusLabel("Shell")
        self.restart_button = QPushButton("R&estart", self, clicked=self.restart)
        self.restart_button.setAccessibleName("Restart the shell: run the models again")
        self.interrupt_button = QPushButton("&Interrupt", self, clicked=self.interrupt)
        self.interrupt_button.setAccessibleName("Interrupt the running statement (Ctrl+C)")
        self.transcript = QPlainTextEdit(self)
        self.transcript.setReadOnly(True)
        self.transcript.setMaximumBlockCount(MAX_TRANSCRIPT_BLOCKS)
        self.transcript.setAccessibleName("Shell transcript")
        self.prompt_label = QLabel(">>>", self)
        self.input = ShellInput(self)
        self.input.setAccessibleName("Python statement for the shell")
        self.prompt_label.setBuddy(self.input)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        for widget in (self.transcript, self.prompt_label, self.input):
            widget.setFont(fixed)
        self.input.returnPressed.connect(self.submit)
        self.input.historyStep.connect(self._walk_history)
        self.input.completeRequested.connect(self.complete)
        self.input.interruptRequested.connect(self.interrupt)
        top = QHBoxLayout()
        top.addWidget(self.status_label, 1)
        top.addWidget(self.restart_button)
        top.addWidget(self.interrupt_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.prompt_label)
        bottom.addWidget(self.input, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.transcript, 1)
        layout.addLayout(bottom)
        for first, second in ((self.input, self.restart_button),
                              (self.restart_button, self.interrupt_button),
                              (self.interrupt_button, self.transcript)):
            QWidget.setTabOrder(first, second)

    # -- the session ----------------------------------------------------------------------------

    def set_application(self, name: str | None) -> None:
        """The shell follows the app selected in the tree (a new session, started when used)."""
        if name == self.application:
            return
        self._end_session()
        self.application = name
        self.transcript.clear()
        self.status_label.setText(f"Shell of {name}: press Enter to start it" if name
                                  else "Select an application for its shell.")
        self._show_busy(False)
        if name and self.isVisible():
            self.start()

    def start(self) -> bool:
        """Open the session: the models run in its thread; the banner follows."""
        if self.application is None:
            return False
        if self.session is not None and self.session.alive:
            return True
        self.transcript.clear()
        self.status_label.setText(f"Shell of {self.application}: running the models…")
        def write(text: str) -> None:  # from the session's thread; an old session is muted
            if session is self.session:
                self.output_bridge.hook(text)

        session = ShellSession(self.root, self.application, write,
                               lambda more: self.signals.ready.emit(session, more),
                               lambda message: self.signals.failed.emit(session, message),
                               echo=True)
        self.session = session
        self._show_busy(True)
        session.start()
        return True

    def restart(self) -> None:
        self._end_session()
        self.start()

    def shutdown(self) -> None:
        """The window closes: end the session (what was not committed is rolled back)."""
        self._end_session()

    def _end_session(self) -> None:
        session, self.session = self.session, None
        if session is not None:
            session.close(timeout=0)  # its thread ends by itself; the window does not wait

    def _session_ready(self, session: ShellSession, more: bool) -> None:
        if session is not self.session:
            return
        self._show_output()
        self._more = more
        self.follow_pause(self.paused_frame() is not None)
        self._show_busy(False)

    def _session_failed(self, session: ShellSession, message: str) -> None:
        if session is not self.session:
            return
        self._show_output()
        self._write(f"The models of {self.application} failed, the shell could not start:\n"
                    f"{message}\n")
        self.status_label.setText(f"Shell of {self.application}: the models failed; fix them "
                                  "and press Restart")
        self.session = None
        self._show_busy(False)

    def _show_busy(self, busy: bool) -> None:
        self.interrupt_button.setEnabled(busy)

    # -- input ----------------------------------------------------------------------------------

    def submit(self) -> None:
        """Run the typed line: in the paused request's chosen frame while one is paused,
        otherwise in the session (started first when needed)."""
        line = self.input.text()
        self.input.clear()
        paused = self.paused_frame()
        if paused is not None and line.strip():
            self._remember(line)
            self._evaluate_paused(line, *paused)
            return
        if self.session is None or not self.session.alive:
            if not self.start():
                return
            if not line.strip():
                return
        self._remember(line)
        self._show_busy(True)
        self.session.push(line)

    def follow_pause(self, paused: bool) -> None:
        """A request paused (or went on): say where the next line runs."""
        if paused:
            self.status_label.setText("Shell: in the paused request's frame (chosen in the "
                                      "Debugger panel's call stack)")
            self.prompt_label.setText("(paused) >>>")
        else:
            self.status_label.setText(f"Shell of {self.application}" if self.application
                                      else "Select an application for its shell.")
            self.prompt_label.setText("..." if self._more else ">>>")

    def _evaluate_paused(self, line: str, pause: Pause, frame: int) -> None:
        """The paused thread computes it (its SQLite connections, its ``current``); the
        window waits for it in a thread."""
        self._write(f"(paused) >>> {line}\n")
        self._show_busy(True)
        self.evaluations.run(pause, line, frame, self._write_result)

    def _write_result(self, text: str) -> None:
        if text:
            self._write(text + "\n")
        self._show_busy(self.session is not None and self.session.busy)

    def _remember(self, line: str) -> None:
        if line.strip() and (not self.history or self.history[-1] != line):
            self.history.append(line)
        self._history_at = len(self.history)

    def interrupt(self) -> bool:
        """Stop what runs: an evaluation in the paused request's frame, else the session's
        statement."""
        paused = self.paused_frame()
        if paused is not None and paused[0].interrupt():
            return True
        return self.session is not None and self.session.interrupt()

    def complete(self) -> list[str]:
        """Complete the name before the cursor: one match is inserted, several are listed
        (and their common beginning inserted)."""
        if self.session is None:
            return []
        before = self.input.text()[:self.input.cursorPosition()]
        tail = COMPLETABLE_TAIL.search(before).group()
        if not tail:
            return []
        matches = self.session.complete(tail)
        if not matches:
            return matches
        common = os.path.commonprefix(matches)
        if len(common) > len(tail):
            self.input.insert(common[len(tail):])
        if len(matches) > 1:
            self._write("  ".join(matches) + "\n")
        return matches

    def _walk_history(self, step: int) -> None:
        if not self.history:
            return
        self._history_at = max(0, min(len(self.history), self._history_at + step))
        self.input.setText(self.history[self._history_at]
                           if self._history_at < len(self.history) else "")

    # -- transcript -----------------------------------------------------------------------------

    def transcript_text(self) -> str:
        return self.transcript.toPlainText()

    def _show_output(self) -> None:
        chunks = self.output_bridge.take()
        if chunks:
            self._write("".join(chunks))

    def _write(self, text: str) -> None:
        cursor = self.transcript.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText(text)
        self.transcript.setTextCursor(cursor)
        self.transcript.ensureCursorVisible()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.application and self.session is None:
            self.start()
