"""The rows of one table for the database grid: as many rows as the table really has.

The grid's scrollbar spans the real row count, so dragging it to the middle or Ctrl+End goes
there. Rows are read in blocks of ``page_size`` when a cell of the block is first drawn, on a
worker thread with a connection of its own (see :func:`desktop.workers.run_on_database`);
meanwhile the cells read "…". A block after a loaded one is found through the id index
(keyset), any other by OFFSET. Only the first block is read in place, so a query or sort the
database refuses is reported at once. The total is counted on a worker too; its Progress
(``count_progress``) lets the panel offer Cancel (the grid then shows the first block).

In-memory SQLite databases exist only on the thread that made them: theirs are read in place.
"""

from __future__ import annotations

import json

from pydal import DAL
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from desktop.workers import run_on_database
from server.manage import dbinspect
from server.manage.progress import Progress

ERROR_BACKGROUND = QColor("#f8d7da")
NULL_FOREGROUND = QColor("#888888")
PENDING_TEXT = "…"
MAX_BLOCKS = 64  # rows kept in memory: MAX_BLOCKS * page_size
ROOT = QModelIndex()


def display_text(value, kind: str = "") -> str:
    """How a stored value of field type ``kind`` reads in a cell (and in the cell editor)."""
    if value is None:
        return ""
    if kind in dbinspect.JSON_TYPES:  # JSON text, so an edit starts from something valid
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return str(value)


class RowsModel(QAbstractTableModel):
    """Rows of one table matching a query, read a block at a time, edited through dbinspect.

    ``read_only`` marks a table no model defines: it is shown, never written.
    """

    problem = Signal(str)
    cellWritten = Signal(str)  # what a valid edit stored, e.g. "Saved age of row 2."
    totalChanged = Signal()
    blockLoaded = Signal(int)

    def __init__(self, db: DAL, table, query=None, page_size: int = dbinspect.PAGE_SIZE,
                 read_only: bool = False, parent: QObject | None = None):
        super().__init__(parent)
        self.db, self.table, self.query = db, table, query
        self.info = dbinspect.describe_table(table)
        self.read_only = read_only
        self.page_size = page_size
        self.orderby: str | None = None
        self.descending = False
        self.blocks: dict[int, list[tuple]] = {}
        self.total: int | None = None
        self.cell_errors: dict[tuple[int, int], str] = {}
        self._pending: set[int] = set()
        self.count_progress: Progress | None = None  # the count under way, if any
        self._generation = 0  # answers for an earlier query, order or table are dropped
        self.reload()

    @property
    def editable(self) -> bool:
        return self.info.has_id and not self.read_only

    @property
    def loaded_count(self) -> int:
        return sum(len(rows) for rows in self.blocks.values())

    # -- loading --

    def reload(self) -> None:
        """Start over from the first block (after a filter, sort or write) and recount."""
        self._generation += 1
        self.stop_counting()
        first = self._read_block(0, None)  # raises for a refused query: the caller says why
        self.beginResetModel()
        self.blocks, self._pending, self.cell_errors = {0: first}, set(), {}
        self.total = len(first) if len(first) < self.page_size else None
        self.endResetModel()
        if self.total is None:
            self._start_count()
        self.totalChanged.emit()

    def _read_block(self, block: int, after_id: int | None) -> list[tuple]:
        return dbinspect.page(self.db, self.table, self.query, self.orderby, self.descending,
                              offset=block * self.page_size, limit=self.page_size,
                              after_id=after_id)

    def _start_count(self) -> None:
        generation = self._generation
        progress = self.count_progress = Progress()
        run_on_database(dbinspect.count, self.db, self.table, self.query, progress, owner=self,
                        on_success=lambda total: self._counted(generation, total),
                        on_failure=lambda message: self._count_failed(generation, message))

    def stop_counting(self) -> None:
        """Cancel the count under way (a new query, order or table no longer needs it)."""
        if self.count_progress is not None:
            self.count_progress.cancel()
            self.count_progress = None

    def _counted(self, generation: int, total: int) -> None:
        if generation != self._generation:
            return
        if self.count_progress is not None and self.count_progress.cancelled:
            self._count_failed(generation, "cancelled")  # Cancel came before the answer showed
            return
        self.count_progress = None
        shown = self.rowCount()
        self.total = total
        if total > shown:
            self.beginInsertRows(ROOT, shown, total - 1)
            self.endInsertRows()
        elif total < shown:
            self.beginRemoveRows(ROOT, total, shown - 1)
            self.endRemoveRows()
        self.totalChanged.emit()

    def _count_failed(self, generation: int, message: str) -> None:
        if generation != self._generation:
            return
        cancelled = self.count_progress is not None and self.count_progress.cancelled
        self.count_progress = None
        self.problem.emit(f"Counting cancelled: showing the first {self.rowCount():,} rows; "
                          "Refresh counts again." if cancelled
                          else f"Could not count rows: {message}")
        self.totalChanged.emit()

    def request_block(self, block: int) -> None:
        """Read ``block`` unless it is loaded or on its way; ``blockLoaded`` says when."""
        if block in self.blocks or block in self._pending:
            return
        previous = self.blocks.get(block - 1)
        after_id = self._id_of(previous[-1]) if previous else None
        self._pending.add(block)
        generation = self._generation
        run_on_database(
            dbinspect.page, self.db, self.table, self.query, self.orderby, self.descending,
            block * self.page_size, self.page_size, after_id, owner=self,
            on_success=lambda rows: self._block_read(generation, block, rows),
            on_failure=lambda message: self._block_failed(generation, block, message))

    def _block_read(self, generation: int, block: int, rows: list[tuple]) -> None:
        if generation != self._generation:
            return
        self._pending.discard(block)
        self.blocks[block] = rows
        self._forget_far_blocks(block)
        first = block * self.page_size
        last = min(first + self.page_size, self.rowCount()) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        self.blockLoaded.emit(block)

    def _block_failed(self, generation: int, block: int, message: str) -> None:
        if generation == self._generation:
            self._pending.discard(block)
            self.problem.emit(f"Could not read rows: {message}")

    def _forget_far_blocks(self, near: int) -> None:
        """Keep memory bounded: drop the blocks farthest from the one just read (not the first)."""
        while len(self.blocks) > MAX_BLOCKS:
            farthest = max((b for b in self.blocks if b != 0), key=lambda b: abs(b - near))
            del self.blocks[farthest]

    def row_values(self, row: int) -> tuple | None:
        """The stored values of ``row`` if its block is loaded (asking for it otherwise)."""
        block, offset = divmod(row, self.page_size)
        rows = self.blocks.get(block)
        if rows is None:
            self.request_block(block)
            rows = self.blocks.get(block)  # read in place for an in-memory database
        return rows[offset] if rows is not None and offset < len(rows) else None

    def _id_of(self, values: tuple) -> int | None:
        if not self.info.has_id:
            return None
        return values[self.info.field_names.index(dbinspect.id_field(self.table).name)]

    # -- shape and content --

    def rowCount(self, parent=ROOT) -> int:
        if parent.isValid():
            return 0
        return self.total if self.total is not None else len(self.blocks.get(0, ()))

    def columnCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self.info.fields)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.info.fields[section].name
        return str(section + 1)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        values = self.row_values(index.row())
        if values is None:
            return PENDING_TEXT if role == Qt.ItemDataRole.DisplayRole else None
        value = values[index.column()]
        error = self.cell_errors.get((index.row(), index.column()))
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return "NULL" if value is None and role == Qt.ItemDataRole.DisplayRole \
                else display_text(value, self.info.fields[index.column()].type)
        if role == Qt.ItemDataRole.ToolTipRole:
            return error
        if role == Qt.ItemDataRole.BackgroundRole and error:
            return QBrush(ERROR_BACKGROUND)
        if role == Qt.ItemDataRole.ForegroundRole and value is None:
            return QBrush(NULL_FOREGROUND)
        return None

    def flags(self, index):
        base = super().flags(index)
        if index.isValid() and self.editable and self.info.fields[index.column()].writable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def record_id(self, row: int) -> int | None:
        if not self.info.has_id or not 0 <= row < self.rowCount():
            return None
        values = self.row_values(row)
        return self._id_of(values) if values is not None else None

    # -- editing and sorting --

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        values = self.row_values(index.row()) if index.isValid() else None
        if values is None or role != Qt.ItemDataRole.EditRole or not self.editable:
            return False
        kind = self.info.fields[index.column()].type
        key = (index.row(), index.column())
        if str(value) == display_text(values[index.column()], kind):
            # Closed without a change (NULL stays NULL): what is stored is valid after all.
            if self.cell_errors.pop(key, None):
                self.dataChanged.emit(index, index)
            return True
        field_name = self.info.fields[index.column()].name
        error = dbinspect.update_cell(self.db, self.table, self.record_id(index.row()),
                                      field_name, str(value))
        if error:
            self.cell_errors[key] = f"{field_name}: {error}"
            self.problem.emit(self.cell_errors[key])
        else:
            self.cell_errors.pop(key, None)
            self._refresh_row(index.row())
            self.cellWritten.emit(f"Saved {field_name} of row {self.record_id(index.row())}.")
        self.dataChanged.emit(index, index)
        return error is None

    def _refresh_row(self, row: int) -> None:
        """Show the stored (validated, converted) values rather than the typed text."""
        key_field = dbinspect.id_field(self.table)
        fresh = dbinspect.page(self.db, self.table, key_field == self.record_id(row), limit=1)
        block, offset = divmod(row, self.page_size)
        if fresh and block in self.blocks:
            self.blocks[block][offset] = fresh[0]
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Header click: order by that column (then id); column -1 means the default id order."""
        chosen = self.info.fields[column] if 0 <= column < len(self.info.fields) else None
        previous = self.orderby, self.descending
        self.orderby = None if chosen is None or chosen.type == "id" else chosen.name
        self.descending = chosen is not None and order == Qt.SortOrder.DescendingOrder
        try:
            self.reload()
        except Exception as error:  # e.g. a column the database cannot sort
            self.orderby, self.descending = previous
            self.problem.emit(f"Could not sort: {str(error).strip()}")
            self.reload_quietly()

    def reload_quietly(self) -> None:
        """Back to the rows of the last order and query that worked, after one that failed."""
        try:
            self.reload()
        except Exception:  # the database itself is gone: the message already says why
            pass
