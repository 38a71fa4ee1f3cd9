"""The live request log: a bounded table model fed from the server's worker threads.

The server calls its log hook from cheroot's threads. :class:`RequestLogBridge` queues the entry
and emits one Qt signal per batch, which Qt delivers to the GUI thread; there the model takes the
whole batch at once, so a burst of requests costs the event loop one update, not thousands.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor

if TYPE_CHECKING:  # cheroot is imported only when a server starts, not with the window
    from server.hosting.httpd import RequestLogEntry

COLUMNS = ("Time", "Method", "Path", "Status", "Duration")
CLIENT_ERROR = QColor("#b35900")  # 4xx: the request's fault; orange, readable on light and dark
SERVER_ERROR = QColor("#d0312d")  # 5xx: the app failed and wrote a ticket
DEFAULT_MAX_ROWS = 1000
NO_PARENT = QModelIndex()


class RequestLogBridge(QObject):
    """Hand :class:`RequestLogEntry` objects from any thread to the GUI thread, in batches."""

    entriesReady = Signal()

    def __init__(self, parent=None, max_pending: int = DEFAULT_MAX_ROWS):
        super().__init__(parent)
        self._pending: deque[RequestLogEntry] = deque(maxlen=max_pending)
        self._lock = threading.Lock()
        self._signalled = False

    def hook(self, entry: RequestLogEntry) -> None:
        """The ``log_hook`` given to :class:`server.hosting.httpd.WebServer`; safe from any thread."""
        with self._lock:
            self._pending.append(entry)
            if self._signalled:
                return
            self._signalled = True
        self.entriesReady.emit()

    def take(self) -> list[RequestLogEntry]:
        """Everything queued since the last call (called in the GUI thread on entriesReady)."""
        with self._lock:
            entries = list(self._pending)
            self._pending.clear()
            self._signalled = False
        return entries


class RequestLogModel(QAbstractTableModel):
    """Newest requests last; the oldest are dropped beyond ``max_rows``."""

    def __init__(self, max_rows: int = DEFAULT_MAX_ROWS, parent=None):
        super().__init__(parent)
        self.max_rows = max_rows
        self.entries: list[RequestLogEntry] = []

    def rowCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=NO_PARENT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self.entries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(entry, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (3, 4):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and entry.status >= 400:
            return QBrush(SERVER_ERROR if entry.status >= 500 else CLIENT_ERROR)
        if role == Qt.ItemDataRole.ToolTipRole and entry.status >= 500:
            return "Server error: double-click or press Enter to open its ticket"
        return None

    def append(self, entry: RequestLogEntry) -> None:
        self.extend([entry])

    def extend(self, entries: list[RequestLogEntry]) -> None:
        """Add requests at the bottom, dropping the oldest rows over the limit."""
        entries = entries[-self.max_rows:]
        if not entries:
            return
        row = len(self.entries)
        self.beginInsertRows(QModelIndex(), row, row + len(entries) - 1)
        self.entries.extend(entries)
        self.endInsertRows()
        excess = len(self.entries) - self.max_rows
        if excess > 0:
            self.beginRemoveRows(QModelIndex(), 0, excess - 1)
            del self.entries[:excess]
            self.endRemoveRows()

    def clear(self) -> None:
        self.beginResetModel()
        self.entries.clear()
        self.endResetModel()


def application_of(entry: RequestLogEntry) -> str | None:
    """The app a request went to: the first segment of its path."""
    first = entry.path.split("?", 1)[0].strip("/").split("/", 1)[0]
    return first or None


def cell_text(entry: RequestLogEntry, column: int) -> str:
    if column == 0:
        return time.strftime("%H:%M:%S", time.localtime(entry.time))
    if column == 1:
        return entry.method
    if column == 2:
        return entry.path
    if column == 3:
        return str(entry.status)
    return f"{entry.duration * 1000:.1f} ms"
