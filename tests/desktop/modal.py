"""Answer a real modal dialog (QMessageBox, QFileDialog, ...) the moment it opens.

A modal dialog runs its own event loop, so the test cannot act after the call that opens it;
a timer polls for the active modal widget from inside that loop and hands it to ``respond``.

A test must fail, never hang: a modal dialog nobody answers would keep its event loop (and
the whole run, since pytest-timeout cannot interrupt Qt's exec) waiting forever. So when
``respond`` raises, when the dialog is still open after it answered (a QFileDialog refusing a
file it cannot find), or when some other dialog opens on top (its "File not found" warning),
the dialog is rejected and the problem is raised when the ``with`` block ends.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

POLL_MS = 10
#: Polls an answered dialog may stay open (closing can take a few event-loop turns).
CLOSE_POLLS = 300


class ModalAnswer:
    """``with ModalAnswer(respond) as answered: code_that_opens_a_dialog()``.

    Static dialogs (``QMessageBox.warning``) are deleted when they close, so what the user saw
    is kept: ``answered.kind`` (the dialog's class), ``.title``, ``.text`` and ``.icon``."""

    def __init__(self, respond, close_polls: int = CLOSE_POLLS):
        self.respond = respond
        self.close_polls = close_polls
        self.dialog = None
        self._already_open = None
        self._problems: list[str] = []
        self._polls_since_answer = 0
        self.kind = self.title = self.text = self.icon = None
        self._timer = QTimer()
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    def _poll(self) -> None:
        active = QApplication.activeModalWidget()
        if self.dialog is None:
            if active is not None and active is not self._already_open:
                self.dialog = active
                # Answered from its own turn of the event loop, not inside this timer's slot:
                # a dialog the answer opens (QFileDialog's "File not found") runs a nested loop
                # in which Qt would not call this slot again, and nothing would close it.
                QTimer.singleShot(0, lambda: self._answer(active))
            return
        if active not in (None, self.dialog, self._already_open):
            self._refuse(active, f"another dialog opened: {describe(active)}")
            return
        if not (shiboken6.isValid(self.dialog) and self.dialog.isVisible()):
            self._timer.stop()
            return
        self._polls_since_answer += 1
        if self._problems:  # close what is left so the code under test returns
            self._refuse(self.dialog, "")
        elif self._polls_since_answer > self.close_polls:
            self._refuse(self.dialog, f"still open after the answer: {describe(self.dialog)}")

    def _answer(self, dialog) -> None:
        self.kind, self.title = type(dialog), dialog.windowTitle()
        if hasattr(dialog, "icon") and hasattr(dialog, "text"):
            self.text, self.icon = dialog.text(), dialog.icon()
        try:
            self.respond(dialog)
        except BaseException as error:  # noqa: BLE001 - re-raised by __exit__
            self._refuse(dialog, f"answering {describe(dialog)} failed: {error!r}")

    def _refuse(self, dialog, problem: str) -> None:
        if problem:
            self._problems.append(problem)
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()

    def __enter__(self) -> ModalAnswer:
        self._already_open = QApplication.activeModalWidget()  # not the one the code will open
        self._timer.start()
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        self._timer.stop()
        if self._problems and exc_type is None:
            raise AssertionError("; ".join(self._problems))


def describe(dialog) -> str:
    """A dialog as the user saw it: class, title and, for a message box, its text."""
    seen = f"{type(dialog).__name__} {dialog.windowTitle()!r}"
    return f"{seen} saying {dialog.text()!r}" if hasattr(dialog, "text") else seen
