"""The database panel's CSV import and export, run on a worker thread.

A transfer runs with a connection of its own (``desktop.workers.run_on_database``), showing
its progress (bytes read of an imported file, rows written of an export) with Cancel; meanwhile
the CSV buttons and the grid's writes are off, since on SQLite a second writer would wait for
the import's lock on the GUI thread. In-memory SQLite databases exist only on the thread that
made them, so theirs run in place.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QFileDialog, QPushButton, QWidget

from desktop.job_progress import JobProgress
from desktop.rows_model import RowsModel
from desktop.table_dialogs import ImportReportDialog
from desktop.workers import run_on_database
from server.manage import dbinspect


def with_csv_suffix(path: Path) -> Path:
    """A file name typed without an extension gets ``.csv``."""
    return path if path.suffix else path.with_suffix(".csv")


class Grid(Protocol):
    """What a transfer needs of the panel: where the rows come from."""

    root: Path
    application: str | None
    model: RowsModel | None

    @property
    def db(self): ...


class CsvTransfer(QObject):
    """``export_button``, ``import_button`` and ``keep_valid_check`` for the grid's table.

    ``choose_export_path`` and ``choose_import_path`` are attributes so tests (and callers) can
    replace the file dialogs. ``status`` and ``problem`` carry what to tell the user, ``busy``
    whether a transfer runs, ``imported`` that the table's rows may have changed, ``finished``
    that one ended (done or failed) and its outcome shows.
    """

    status = Signal(str)
    problem = Signal(str)
    busyChanged = Signal(bool)
    imported = Signal()
    finished = Signal()

    def __init__(self, grid: Grid, panel: QWidget):
        super().__init__(panel)
        self.grid = grid
        self.panel = panel
        self.choose_export_path: Callable[[], Path | None] = self._ask_export_path
        self.choose_import_path: Callable[[], Path | None] = self._ask_import_path
        self.last_dialog: QDialog | None = None
        self._job: tuple[Callable[[object], None], str] | None = None  # on_done, failure
        self.export_button = QPushButton("&Export CSV…", panel, clicked=self.export_csv)
        self.import_button = QPushButton("I&mport CSV…", panel, clicked=self.import_csv)
        self.keep_valid_check = QCheckBox("&Keep valid rows when some are rejected", panel)
        self.keep_valid_check.setToolTip("Also keeps the rows imported before a Cancel; without "
                                         "it a file is imported whole or not at all")
        self.progress = JobProgress("CSV transfer", panel)

    @property
    def busy(self) -> bool:
        """Whether a CSV import or export is running."""
        return self._job is not None

    def update_actions(self, editable: bool) -> None:
        self.import_button.setEnabled(editable and not self.busy)
        self.export_button.setEnabled(self.grid.model is not None and not self.busy)

    def export_csv(self) -> None:
        model = self.grid.model
        if model is None or self.busy:
            return
        path = self.choose_export_path()
        if path is None:
            return

        def done(written) -> None:
            self.status.emit(f"Exported {written} row(s) to {path}.")

        self._start(f"Exporting {model.info.name} to {path}…", "rows", done, "Export failed",
                    dbinspect.export_csv, model.table, model.query, path)

    def import_csv(self) -> None:
        model = self.grid.model
        if model is None or not model.editable or self.busy:
            return
        path = self.choose_import_path()
        if path is None:
            return
        self._start(f"Importing {path} into {model.info.name}…", "bytes", self._show_import_report,
                    "Import failed", dbinspect.import_csv, model.table, path,
                    not self.keep_valid_check.isChecked())

    def _start(self, status: str, unit: str, on_done: Callable[[object], None], failure: str,
               function: Callable, table, *args) -> None:
        """Run ``function(db, table, *args, progress)`` off the GUI thread; the outcome arrives
        in :meth:`_succeeded` or :meth:`_failed`."""
        self._job = (on_done, failure)
        self.problem.emit("")
        self.status.emit(status)
        progress = self.progress.start(status, unit)
        self.busyChanged.emit(True)
        run_on_database(function, self.grid.db, table, *args, progress, owner=self,
                        on_success=self._succeeded, on_failure=self._failed)

    def _succeeded(self, result) -> None:
        on_done, _failure = self._end()
        on_done(result)
        self.finished.emit()

    def _failed(self, message: str) -> None:
        cancelled = self.progress.progress is not None and self.progress.progress.cancelled
        _on_done, failure = self._end()
        if cancelled:  # only an export is cancelled by raising: its file is left as it was
            self.status.emit("Export cancelled: no file was written.")
        else:
            self.status.emit("")
            self.problem.emit(f"{failure}: {message.strip()}")
        self.imported.emit()  # an import that failed was rolled back; show what is stored
        self.finished.emit()

    def _end(self) -> tuple[Callable[[object], None], str]:
        job, self._job = self._job, None
        self.progress.finish()
        self.busyChanged.emit(False)
        return job

    def _show_import_report(self, report: dbinspect.ImportReport) -> None:
        self.status.emit(f"CSV import: {ImportReportDialog.summary_text(report)}")
        self.imported.emit()
        self.last_dialog = ImportReportDialog(report, self.panel)
        self.last_dialog.open()

    def suggested_path(self) -> Path:
        """``<table>.csv`` in the app's private/ folder (data kept with, not served by, the app)."""
        root, application, model = self.grid.root, self.grid.application, self.grid.model
        folder = root / "applications" / (application or "") / "private"
        name = f"{model.info.name}.csv" if model is not None else "table.csv"
        return folder / name if application and folder.is_dir() else root / name

    def _ask_export_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.panel, "Export CSV", str(self.suggested_path()),
                                              "CSV files (*.csv)")
        return with_csv_suffix(Path(name)) if name else None

    def _ask_import_path(self) -> Path | None:
        start = str(self.suggested_path().parent)
        name, _ = QFileDialog.getOpenFileName(self.panel, "Import CSV", start, "CSV files (*.csv)")
        return Path(name) if name else None
