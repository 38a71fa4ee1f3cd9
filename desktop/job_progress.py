"""A progress bar with Cancel for long work, in the panel that started it.

``progress = bar.start("Importing people.csv…", "bytes")`` shows the row and returns a
``server.manage.progress.Progress`` to hand to the worker; the worker's reports (from its own
thread) arrive here as a queued signal and move the bar, "1.2 MB of 5.0 MB" where the total is
known, a busy indicator until then. Cancel asks the work to stop; the caller says what the
cancel left behind once the work reports, then calls :meth:`JobProgress.finish`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from server.manage.progress import Progress

STEPS = 1000  # the bar's range: totals in bytes overflow a QProgressBar's int


def amount(value: int, unit: str) -> str:
    """``1,234 rows``, ``5.0 MB``: how a number of ``unit`` reads next to the bar."""
    if unit != "bytes":
        return f"{value:,} {unit}".strip()
    for size, name in ((1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")):
        if value >= size:
            return f"{value / size:.1f} {name}"
    return f"{value} bytes"


class JobProgress(QWidget):
    """Hidden until :meth:`start` (or :meth:`follow`); ``name`` says whose work it shows."""

    _reported = Signal(int, int, object)  # job, done, total: from the worker's thread
    cancelRequested = Signal()  # for work that stops otherwise than through a Progress

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.progress: Progress | None = None
        self.running = False
        self._job = 0
        self._unit = ""
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(f"{name} progress")
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel", self, clicked=self.cancel)
        self.cancel_button.setAccessibleName(f"Cancel: {name}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self._reported.connect(self._show_step)
        self.hide()

    def start(self, text: str, unit: str = "") -> Progress:
        """Show ``text`` and a busy bar; the returned Progress moves it from any thread."""
        job = self._job + 1

        def report(done: int, total: int | None) -> None:
            try:
                self._reported.emit(job, done, total)
            except RuntimeError:  # the panel was closed meanwhile: the work goes on unwatched
                pass

        progress = Progress(report)
        self.follow(progress, text, unit)
        return progress

    def follow(self, progress: Progress | None, text: str, unit: str = "") -> None:
        """Show work whose Progress was made elsewhere (busy until it reports), or work with
        none, which hears of a cancel through ``cancelRequested``."""
        self._job += 1
        self.progress, self._unit, self.running = progress, unit, True
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.bar.setAccessibleDescription(text)
        self.cancel_button.setEnabled(True)
        self.show()

    def cancel(self) -> None:
        if not self.running:
            return
        if self.progress is not None:
            self.progress.cancel()
        self.cancel_button.setEnabled(False)
        self.label.setText(f"Cancelling: {self.label.text()}")
        self.cancelRequested.emit()

    def finish(self) -> None:
        self.progress, self.running = None, False
        self._job += 1  # reports still on their way belong to no job now
        self.hide()

    def _show_step(self, job: int, done: int, total: int | None) -> None:
        if job != self._job:
            return
        if not total:
            self.bar.setRange(0, 0)
            self.bar.setFormat(amount(done, self._unit))
            return
        self.bar.setRange(0, STEPS)
        self.bar.setValue(min(STEPS, done * STEPS // total))
        text = f"{amount(done, self._unit)} of {amount(total, self._unit)}"
        self.bar.setFormat(text)
        self.bar.setAccessibleDescription(f"{self.label.text()} {text}")
