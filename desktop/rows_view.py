"""The database grid: cell editors fit to each field's type, columns as wide as their content
(within reason), Delete on a row asks to delete it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTableView, QWidget

from desktop.field_editors import FieldDelegate

MAX_COLUMN_WIDTH = 320  # a long text column must not push the others out of sight


class RowsView(QTableView):
    """A key handler for Delete rather than a QShortcut: a second shortcut on Delete anywhere
    in the window would make Qt treat Delete as ambiguous and take it from the code editor."""

    deleteRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setItemDelegate(FieldDelegate(self))
        # Fit to the rows in sight only: measuring others would read their blocks.
        self.horizontalHeader().setResizeContentsPrecision(0)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.matches(QKeySequence.StandardKey.Delete):
            self.deleteRequested.emit()
            return
        super().keyPressEvent(event)

    def fit_columns(self, *_args) -> None:
        """Each column as wide as its title and the rows in sight, up to a limit (once per
        table, sort or filter: the user may widen a column meanwhile)."""
        self.resizeColumnsToContents()
        header = self.horizontalHeader()
        for column in range(header.count()):
            if header.sectionSize(column) > MAX_COLUMN_WIDTH:
                header.resizeSection(column, MAX_COLUMN_WIDTH)
