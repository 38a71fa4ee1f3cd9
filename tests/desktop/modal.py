"""Answer a real modal dialog (QMessageBox, QFileDialog, ...) the moment it opens.

A modal dialog runs its own event loop, so the test cannot act after the call that opens it;
a timer polls for the active modal widget from inside that loop and hands it to ``respond``.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication


class ModalAnswer:
    """``with ModalAnswer(respond) as answered: code_that_opens_a_dialog()``.

    Static dialogs (``QMessageBox.warning``) are deleted when they close, so what the user saw
    is kept: ``answered.kind`` (the dialog's class), ``.title``, ``.text`` and ``.icon``."""

    def __init__(self, respond):
        self.respond = respond
        self.dialog = None
        self._already_open = None
        self.kind = self.title = self.text = self.icon = None
        self._timer = QTimer()
        self._timer.setInterval(10)
        self._timer.timeout.connect(self._poll)

    def _poll(self) -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None and dialog is not self._already_open and self.dialog is None:
            self.dialog = dialog
            self._timer.stop()
            self.kind, self.title = type(dialog), dialog.windowTitle()
            if hasattr(dialog, "icon") and hasattr(dialog, "text"):
                self.text, self.icon = dialog.text(), dialog.icon()
            self.respond(dialog)

    def __enter__(self) -> ModalAnswer:
        self._already_open = QApplication.activeModalWidget()  # not the one the code will open
        self._timer.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._timer.stop()
