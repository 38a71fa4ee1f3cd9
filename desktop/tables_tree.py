"""The tables of one database: those its models define (with their fields), then, read-only,
those stored in it that no model defines."""

from __future__ import annotations

from pydal import DAL
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from desktop.workers import error_message
from server.manage import dbinspect, stored_tables

TABLE_ROLE = Qt.ItemDataRole.UserRole
STORED_ROLE = Qt.ItemDataRole.UserRole + 1  # True for a table no model defines
STORED_SUFFIX = " (no model: read-only)"


class TablesTree(QTreeWidget):
    """``tableChosen(name, stored)`` when the user moves to a table (or one of its fields)."""

    tableChosen = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels(["Table / field", "Type"])
        self.setAccessibleName("Tables")
        self.currentItemChanged.connect(self._current_changed)

    def show_database(self, db: DAL | None) -> str:
        """List ``db``'s tables; returns a problem to show (the catalogue unreadable) or ""."""
        self.clear()
        if db is None:
            return ""
        for info in dbinspect.describe_tables(db):
            suffix = "" if info.has_id else " (read-only: no id)"
            item = self._table_item(info.name, info.name + suffix, stored=False)
            for field_info in info.fields:
                child = QTreeWidgetItem([field_info.name, field_info.type])
                child.setData(0, TABLE_ROLE, info.name)
                item.addChild(child)
        try:
            stored = stored_tables.unmodelled_tables(db)
        except Exception as error:  # the catalogue cannot be read: the models' tables remain
            return f"Could not list the stored tables: {error_message(error)}"
        for name in stored:
            item = self._table_item(name, name + STORED_SUFFIX, stored=True)
            item.setToolTip(0, "In the database file but defined by no model: shown read-only")
        return ""

    def _table_item(self, name: str, text: str, stored: bool) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text, ""])
        item.setData(0, TABLE_ROLE, name)
        item.setData(0, STORED_ROLE, stored)
        self.addTopLevelItem(item)
        return item

    def select_table(self, name: str, stored: bool) -> None:
        for index in range(self.topLevelItemCount()):
            item = self.topLevelItem(index)
            if item.data(0, TABLE_ROLE) == name and bool(item.data(0, STORED_ROLE)) == stored:
                self.setCurrentItem(item)
                return

    def _current_changed(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        while item.parent() is not None:
            item = item.parent()
        self.tableChosen.emit(item.data(0, TABLE_ROLE), bool(item.data(0, STORED_ROLE)))
