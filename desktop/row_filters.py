"""The database grid's filters: a typed query and one quick filter per column, as one Query.

The typed query is applied on Return or Apply, the column boxes a moment after the last key
(so typing a word reads the table once, not once per letter). Parsing goes through
``server.manage.dbinspect`` (``ast`` over a whitelist, never ``eval``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QTableView, QWidget

from desktop.column_filters import ColumnFilters
from server.manage import dbinspect

TYPING_PAUSE_MS = 300


class RowFilters(QObject):
    """The query row (``query_edit``, ``apply_button``, ``clear_button``) and the column
    filters under the grid's header; ``applied`` asks the grid to read its rows again."""

    applied = Signal()

    def __init__(self, view: QTableView, panel: QWidget):
        super().__init__(panel)
        self.query_edit = QLineEdit(panel)
        self.query_edit.setPlaceholderText("db.person.name.startswith('A') & (db.person.id > 5)")
        self.query_edit.returnPressed.connect(self.apply)
        self.label = QLabel("&Query:", panel)
        self.label.setBuddy(self.query_edit)
        self.apply_button = QPushButton("&Apply", panel, clicked=self.apply)
        self.clear_button = QPushButton("C&lear filters", panel, clicked=self.clear)
        self.column_filters = ColumnFilters(view, panel)
        self._typing = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS,
                              timeout=self.apply)
        self.column_filters.changed.connect(self._typing.start)

    def query_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.query_edit, 1)
        row.addWidget(self.apply_button)
        row.addWidget(self.clear_button)
        return row

    def set_columns(self, names: list[str]) -> None:
        self.column_filters.set_columns(names)

    def query(self, db, table):
        """The typed query AND the column filters; raises QueryError with a readable message."""
        typed = dbinspect.parse_query(db, self.query_edit.text())
        quick = [dbinspect.quick_filter(table, name, text)
                 for name, text in self.column_filters.texts().items()]
        return dbinspect.combine(typed, *quick)

    def apply(self) -> None:
        self._typing.stop()
        self.applied.emit()

    def clear(self) -> None:
        self.query_edit.clear()
        self.column_filters.clear()
        self.apply()
