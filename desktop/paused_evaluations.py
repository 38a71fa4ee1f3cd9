"""Expressions evaluated in a paused request's frame, for the Debugger and Shell panels."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot

from server.hosting.debugger import Pause


class Evaluations(QObject):
    """Expressions evaluated in a paused frame, each waited for in a thread of its own: the
    wait lasts as long as the paused request takes to answer, and must not hold one of the
    shared pool's few workers. ``callback(text)`` runs in the GUI thread."""

    answered = Signal(object, str)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.answered.connect(self._deliver)

    def run(self, pause: Pause, expression: str, frame: int,
            callback: Callable[[str], None]) -> None:
        def wait_for_answer() -> None:
            text = pause.evaluate(expression, frame)
            try:
                self.answered.emit(callback, text)
            except RuntimeError:  # the window closed meanwhile: nobody to show it to
                pass

        threading.Thread(target=wait_for_answer, name="pocketweb-evaluate", daemon=True).start()

    @Slot(object, str)
    def _deliver(self, callback: Callable[[str], None], text: str) -> None:
        callback(text)
