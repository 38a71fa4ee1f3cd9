"""Browse and edit the tables of an application's databases.

Rows arrive a page at a time (``canFetchMore``/``fetchMore``), so a million-row table opens as
fast as a small one; the total is counted, and CSV files are imported and exported, on worker
threads. All reads and writes go through ``server.manage.dbinspect``; every failure ends up as a
message, never as an exception in the window.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from pydal import DAL
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.dialogs import Ask
from desktop.table_dialogs import ImportReportDialog, InsertRowDialog
from desktop.workers import error_message, run_in_background
from server.manage import dbinspect
from server.manage.dbinspect import QueryError

ERROR_BACKGROUND = QColor("#f8d7da")
NULL_FOREGROUND = QColor("#888888")
COUNT_POLL_MS = 30
MAX_PAGE_SIZE = 20_000
ROOT = QModelIndex()
_COUNT_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-count")


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


def _is_in_memory(db: DAL) -> bool:
    uri = str(getattr(db, "_uri", ""))
    return uri.startswith("sqlite:memory") or uri.split("://", 1)[-1] == ":memory:"


def _on_own_connection(function: Callable, db: DAL, *args):
    """``function(db, *args)`` on a worker thread, which gets a connection of its own (pydal
    keeps one per thread), closed again when done.

    A connection left open would outlive the database it belongs to (every app shown leaks one
    to the PostgreSQL server) and, once Python reuses the closed DAL's id, serve another one.
    Whatever the function left uncommitted is rolled back.
    """
    try:
        return function(db, *args)
    finally:
        try:
            db._adapter.close(action="rollback")
        except Exception:  # a broken connection is dropped all the same
            pass


def _count_in_worker(db: DAL, table, query) -> int:
    return _on_own_connection(dbinspect.count, db, table, query)


class RowsModel(QAbstractTableModel):
    """Rows of one table matching a query, fetched a page at a time, edited through dbinspect."""

    problem = Signal(str)
    totalChanged = Signal()

    def __init__(self, db: DAL, table, query=None, page_size: int = dbinspect.PAGE_SIZE,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.db, self.table, self.query = db, table, query
        self.info = dbinspect.describe_table(table)
        self.page_size = page_size
        self.orderby: str | None = None
        self.descending = False
        self.rows: list[tuple] = []
        self.exhausted = False
        self.total: int | None = None
        self.cell_errors: dict[tuple[int, int], str] = {}
        self._count_future: Future | None = None
        self._count_timer = QTimer(self, interval=COUNT_POLL_MS, timeout=self._collect_count)
        self.reload()

    # -- loading --

    def reload(self) -> None:
        """Start over from the first page (after a filter, sort or write) and recount."""
        self.beginResetModel()
        self.rows, self.exhausted, self.cell_errors = [], False, {}
        try:
            self.rows = self._next_page()
        finally:
            self.endResetModel()
        self._start_count()

    def _next_page(self) -> list[tuple]:
        """The next rows: pages grow with what is loaded (a quarter of it, up to a cap), so a
        long scroll needs few fetches and repaints while the first page stays small."""
        limit = min(MAX_PAGE_SIZE, max(self.page_size, len(self.rows) // 4))
        rows = dbinspect.page(self.db, self.table, self.query, self.orderby, self.descending,
                              offset=len(self.rows), limit=limit, after_id=self._last_id())
        self.exhausted = len(rows) < limit
        return rows

    def _last_id(self) -> int | None:
        if not self.rows or not self.info.has_id:
            return None
        return self.rows[-1][self.info.field_names.index(dbinspect.id_field(self.table).name)]

    def canFetchMore(self, parent=ROOT) -> bool:
        return not parent.isValid() and not self.exhausted

    def fetchMore(self, parent=ROOT) -> None:
        if parent.isValid() or self.exhausted:
            return
        start = len(self.rows)
        try:
            rows = self._next_page()
        except Exception as error:  # locked or broken database: stop fetching, say why
            self.exhausted = True
            self.problem.emit(f"Could not read more rows: {error}")
            return
        if rows:
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()

    def _start_count(self) -> None:
        if _is_in_memory(self.db):  # another thread would see another, empty, database
            self.total = dbinspect.count(self.db, self.table, self.query)
            self.totalChanged.emit()
            return
        self.total = None
        self._count_future = _COUNT_WORKER.submit(_count_in_worker, self.db, self.table,
                                                  self.query)
        self._count_timer.start()
        self.totalChanged.emit()

    def _collect_count(self) -> None:
        future = self._count_future
        if future is None or not future.done():
            return
        self._count_timer.stop()
        self._count_future = None
        try:
            self.total = future.result()
        except Exception as error:  # a count the database refuses is shown, not raised
            self.total = None
            self.problem.emit(f"Could not count rows: {error}")
        self.totalChanged.emit()

    # -- shape and content --

    def rowCount(self, parent=ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

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
        value = self.rows[index.row()][index.column()]
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
        if index.isValid() and self.info.has_id and self.info.fields[index.column()].writable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def record_id(self, row: int) -> int | None:
        if not self.info.has_id or not 0 <= row < len(self.rows):
            return None
        return self.rows[row][self.info.field_names.index(dbinspect.id_field(self.table).name)]

    # -- editing and sorting --

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        kind = self.info.fields[index.column()].type
        if str(value) == display_text(self.rows[index.row()][index.column()], kind):
            return True  # editor closed without a change: nothing to write (NULL stays NULL)
        field_name = self.info.fields[index.column()].name
        error = dbinspect.update_cell(self.db, self.table, self.record_id(index.row()),
                                      field_name, str(value))
        key = (index.row(), index.column())
        if error:
            self.cell_errors[key] = f"{field_name}: {error}"
            self.problem.emit(self.cell_errors[key])
        else:
            self.cell_errors.pop(key, None)
            self._refresh_row(index.row())
        self.dataChanged.emit(index, index)
        return error is None

    def _refresh_row(self, row: int) -> None:
        """Show the stored (validated, converted) values rather than the typed text."""
        key_field = dbinspect.id_field(self.table)
        fresh = dbinspect.page(self.db, self.table, key_field == self.record_id(row), limit=1)
        if fresh:
            self.rows[row] = fresh[0]
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


class RowsView(QTableView):
    """The grid; Delete on a row asks to delete it.

    A key handler rather than a QShortcut: a second shortcut on Delete anywhere in the window
    would make Qt treat Delete as ambiguous and take it from the code editor.
    """

    deleteRequested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Delete):
            self.deleteRequested.emit()
            return
        super().keyPressEvent(event)


class ColumnFilters(QWidget):
    """One filter box per grid column, kept lined up under its header section.

    Text columns match "contains", other types "equals" (see ``dbinspect.quick_filter``).
    """

    changed = Signal()

    def __init__(self, view: QTableView, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        self.edits: dict[str, QLineEdit] = {}
        self.setFixedHeight(QLineEdit().sizeHint().height())
        header = view.horizontalHeader()
        header.sectionResized.connect(self._place)
        header.geometriesChanged.connect(self._place)
        view.horizontalScrollBar().valueChanged.connect(self._place)

    def set_columns(self, names: list[str]) -> None:
        for edit in self.edits.values():
            edit.deleteLater()
        self.edits = {}
        for name in names:
            edit = QLineEdit(self)
            edit.setPlaceholderText(name)
            edit.setAccessibleName(f"Filter {name}")
            edit.setToolTip(f"Quick filter on {name}: contains (text) or equals (other types)")
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self.changed)
            edit.show()
            self.edits[name] = edit
        self._place()

    def texts(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.edits.items() if edit.text().strip()}

    def clear(self) -> None:
        for edit in self.edits.values():
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self, *_args) -> None:
        header = self.view.horizontalHeader()
        left = self.view.frameWidth() + self.view.verticalHeader().width()
        for column, edit in enumerate(self.edits.values()):
            x = left + header.sectionViewportPosition(column)
            width = header.sectionSize(column)
            edit.setGeometry(x, 0, width, self.height())
            edit.setVisible(x + width > left and x < self.width())


def database_names(databases: dict[str, DAL]) -> list[str]:
    """Every database, table and field name of an app, once each."""
    names = dict.fromkeys(databases)
    for db in databases.values():
        for info in dbinspect.describe_tables(db):
            names[info.name] = None
            names.update(dict.fromkeys(field.name for field in info.fields))
    return list(names)


class DatabaseBrowser(QWidget):
    """App → database → table, with a paged, sortable, filterable, editable grid.

    ``confirm``, ``choose_export_path`` and ``choose_import_path`` are attributes so tests (and
    callers) can replace the modal questions.

    A CSV import or export runs on a worker thread with a connection of its own; meanwhile the
    CSV buttons and the writes of the grid are off (on SQLite a second writer would wait for
    the import's lock on the GUI thread). In-memory SQLite databases exist only on the thread
    that made them, so theirs run in place.
    """

    openFileRequested = Signal(Path, int)
    namesChanged = Signal(list)  # the app's database, table and field names, for completion
    # (app, {name: DAL}) from set_application, before their tables are listed: a receiver may
    # define more (the sessions panel its session table, as a request's session.connect does).
    # The DALs stay this browser's, closed right after the next app's are announced.
    databasesLoaded = Signal(object, object)
    csvFinished = Signal()  # a CSV import or export ended (done or failed) and its outcome shows

    def __init__(self, root: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.application: str | None = None
        self.databases: dict[str, DAL] = {}
        self._opened_here: list[DAL] = []
        self.model: RowsModel | None = None
        self.confirm: Callable[[str], bool] = lambda question: Ask(self).confirm("Database", question)
        self.choose_export_path: Callable[[], Path | None] = self._ask_export_path
        self.choose_import_path: Callable[[], Path | None] = self._ask_import_path
        self.last_dialog: QDialog | None = None
        self._csv_job: tuple[Callable[[object], None], str] | None = None  # on_done, failure
        self._filter_timer = QTimer(self, singleShot=True, interval=300,
                                   timeout=self.apply_filters)
        self._build()
        self._update_actions()

    # -- construction --

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._database_row())
        splitter = QSplitter(self)
        self.tables_tree = QTreeWidget(self)
        self.tables_tree.setHeaderLabels(["Table / field", "Type"])
        self.tables_tree.setAccessibleName("Tables")
        self.tables_tree.currentItemChanged.connect(self._table_chosen)
        splitter.addWidget(self.tables_tree)
        splitter.addWidget(self._grid_panel())
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.status_label = QLabel("No application selected.", self, wordWrap=True)
        self.status_label.setAccessibleName("Database status")
        layout.addWidget(self.status_label)
        self.setTabOrder(self.database_combo, self.tables_tree)
        self.setTabOrder(self.tables_tree, self.query_edit)

    def _database_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.database_combo = QComboBox(self)
        label = QLabel("Data&base:", self)
        label.setBuddy(self.database_combo)
        self.database_combo.currentTextChanged.connect(self._database_chosen)
        row.addWidget(label)
        row.addWidget(self.database_combo, 1)
        return row

    def _grid_panel(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._query_row(panel))
        self.view = RowsView(panel)
        self.view.setAccessibleName("Rows")
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.deleteRequested.connect(self.delete_current_row)
        self._edit_triggers = self.view.editTriggers()
        self.column_filters = ColumnFilters(self.view, panel)
        self.column_filters.changed.connect(self._filter_timer.start)
        layout.addWidget(self.column_filters)
        layout.addWidget(self.view, 1)
        self.count_label = QLabel(panel)
        self.count_label.setAccessibleName("Row count")
        self.message_label = QLabel(panel, wordWrap=True)
        self.message_label.setAccessibleName("Database message")
        self.message_label.setStyleSheet("color: #b00020")
        layout.addWidget(self.count_label)
        layout.addWidget(self.message_label)
        layout.addLayout(self._button_row(panel))
        return panel

    def _query_row(self, panel: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        self.query_edit = QLineEdit(panel)
        self.query_edit.setPlaceholderText("db.person.name.startswith('A') & (db.person.id > 5)")
        self.query_edit.returnPressed.connect(self.apply_filters)
        label = QLabel("&Query:", panel)
        label.setBuddy(self.query_edit)
        self.apply_button = QPushButton("&Apply", panel, clicked=self.apply_filters)
        self.clear_button = QPushButton("C&lear filters", panel, clicked=self.clear_filters)
        row.addWidget(label)
        row.addWidget(self.query_edit, 1)
        row.addWidget(self.apply_button)
        row.addWidget(self.clear_button)
        return row

    def _button_row(self, panel: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        self.insert_button = QPushButton("&Insert row…", panel, clicked=self.open_insert_dialog)
        self.delete_button = QPushButton("&Delete row", panel, clicked=self.delete_current_row)
        self.export_button = QPushButton("&Export CSV…", panel, clicked=self.export_csv)
        self.import_button = QPushButton("I&mport CSV…", panel, clicked=self.import_csv)
        self.keep_valid_check = QCheckBox("&Keep valid rows when some are rejected", panel)
        self.refresh_button = QPushButton("&Refresh", panel, clicked=self.refresh)
        for widget in (self.insert_button, self.delete_button, self.export_button,
                       self.import_button, self.keep_valid_check):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        return row

    # -- choosing app, database, table --

    def set_application(self, name: str | None) -> None:
        """Run ``name``'s models to find its databases; failures are shown, not raised."""
        self.application = name
        previous = self._opened_here
        databases, message = self._load_databases(name)
        self.databasesLoaded.emit(name, dict(databases))
        self.set_databases(databases)
        self._opened_here = list(databases.values())
        self.status_label.setText(message)
        for db in previous:  # connections of the app shown before, no longer needed
            db.close()

    def _load_databases(self, name: str | None) -> tuple[dict[str, DAL], str]:
        if not name:
            return {}, "No application selected."
        try:
            databases = dbinspect.app_databases(self.root, name)
        except Exception as error:  # a broken model must not break the window
            return {}, f"Could not load the models of {name}: {error}"
        return databases, f"Databases of {name}: {', '.join(databases) or 'no database'}"

    def set_databases(self, databases: dict[str, DAL]) -> None:
        self.databases = dict(databases)
        self.namesChanged.emit(database_names(self.databases))
        self.database_combo.blockSignals(True)
        self.database_combo.clear()
        self.database_combo.addItems(list(self.databases))
        self.database_combo.blockSignals(False)
        self._database_chosen(self.database_combo.currentText())

    @property
    def db(self) -> DAL | None:
        return self.databases.get(self.database_combo.currentText())

    def _database_chosen(self, _name: str) -> None:
        self.tables_tree.clear()
        self._set_model(None)
        if self.db is None:
            return
        for info in dbinspect.describe_tables(self.db):
            suffix = "" if info.has_id else " (read-only: no id)"
            item = QTreeWidgetItem([info.name + suffix, ""])
            item.setData(0, Qt.ItemDataRole.UserRole, info.name)
            for field_info in info.fields:
                child = QTreeWidgetItem([field_info.name, field_info.type])
                child.setData(0, Qt.ItemDataRole.UserRole, info.name)
                item.addChild(child)
            self.tables_tree.addTopLevelItem(item)

    def _table_chosen(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.open_table(item.data(0, Qt.ItemDataRole.UserRole))

    def open_table(self, name: str) -> None:
        """Show ``name`` of the current database, unfiltered, sorted by id."""
        if self.model is not None and self.model.table._tablename == name:
            return
        self.query_edit.clear()
        try:
            model = RowsModel(self.db, self.db[name], parent=self)
        except Exception as error:  # unreadable table: say so, keep the window alive
            self._set_model(None)
            self.show_message(dbinspect.database_error(error))
            return
        self._set_model(model)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def _set_model(self, model: RowsModel | None) -> None:
        old = self.model
        self.model = model
        self.view.setModel(model)
        self.column_filters.set_columns(model.info.field_names if model is not None else [])
        if old is not None:
            old.deleteLater()
        if model is not None:
            model.problem.connect(self.show_message)
            model.totalChanged.connect(self._show_count)
            model.modelReset.connect(self._show_count)
            model.rowsInserted.connect(self._show_count)
            self.view.selectionModel().currentChanged.connect(self._update_actions)
        self.message_label.clear()
        self._show_count()
        self._update_actions()

    def _reload_rows(self) -> bool:
        """Reload the grid; a failing read (bad data, broken database) is reported, not raised."""
        try:
            self.model.reload()
        except Exception as error:
            self.show_message(dbinspect.database_error(error))
            return False
        return True

    # -- filters --

    def current_query(self):
        """The typed query AND the column filters; raises QueryError with a readable message."""
        typed = dbinspect.parse_query(self.db, self.query_edit.text())
        quick = [dbinspect.quick_filter(self.model.table, name, text)
                 for name, text in self.column_filters.texts().items()]
        return dbinspect.combine(typed, *quick)

    def apply_filters(self) -> None:
        self._filter_timer.stop()
        if self.model is None:
            return
        try:
            query = self.current_query()
        except QueryError as error:
            self.show_message(str(error))
            return
        previous = self.model.query
        self.model.query = query
        if self._reload_rows():
            self.message_label.clear()
        else:  # the database refused the query: show the last rows that worked, keep the message
            self.model.query = previous
            self.model.reload_quietly()

    def clear_filters(self) -> None:
        self.query_edit.clear()
        self.column_filters.clear()
        self.apply_filters()

    def refresh(self) -> None:
        if self.model is not None:
            self._reload_rows()

    # -- writes --

    def open_insert_dialog(self) -> InsertRowDialog | None:
        """Open (not exec) the insert form, so the event loop keeps running."""
        if self.model is None or not self.model.info.has_id or self.csv_busy:
            return None
        dialog = InsertRowDialog(self.model.info, self.insert_row, self)
        dialog.accepted.connect(self.refresh)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def insert_row(self, texts: dict[str, str]) -> dict:
        new_id, errors = dbinspect.insert_row(self.db, self.model.table, texts)
        if errors:
            self.show_message(f"Row not inserted: {dbinspect.describe_errors(errors)}")
        else:
            self.message_label.clear()
            self.status_label.setText(f"Inserted row {new_id} into {self.model.info.name}.")
        return errors

    def delete_current_row(self) -> None:
        record_id = self._current_record_id()
        if record_id is None or self.csv_busy:
            return
        name = self.model.info.name
        if not self.confirm(f"Delete row {record_id} from {name}?"):
            return
        error = dbinspect.delete_row(self.db, self.model.table, record_id)
        if error:
            self.show_message(error)
            return
        self.status_label.setText(f"Deleted row {record_id} from {name}.")
        self.refresh()

    def _current_record_id(self) -> int | None:
        if self.model is None:
            return None
        return self.model.record_id(self.view.currentIndex().row())

    # -- CSV --

    @property
    def csv_busy(self) -> bool:
        """Whether a CSV import or export is running."""
        return self._csv_job is not None

    def export_csv(self) -> None:
        if self.model is None or self.csv_busy:
            return
        path = self.choose_export_path()
        if path is None:
            return

        def done(written) -> None:
            self.status_label.setText(f"Exported {written} row(s) to {path}.")

        self._start_csv(f"Exporting {self.model.info.name} to {path}…", done, "Export failed",
                        dbinspect.export_csv, self.model.table, self.model.query, path)

    def import_csv(self) -> None:
        if self.model is None or not self.model.info.has_id or self.csv_busy:
            return
        path = self.choose_import_path()
        if path is None:
            return
        self._start_csv(f"Importing {path} into {self.model.info.name}…",
                        self._show_import_report, "Import failed", dbinspect.import_csv,
                        self.model.table, path, not self.keep_valid_check.isChecked())

    def _start_csv(self, status: str, on_done: Callable[[object], None], failure: str,
                   function: Callable, table, *args) -> None:
        """Run ``function(db, table, *args)`` off the GUI thread; the outcome arrives by signal
        in :meth:`_csv_succeeded` or :meth:`_csv_failed` (bound methods: a browser deleted
        meanwhile is simply not called)."""
        db = self.db
        self._csv_job = (on_done, failure)
        self.message_label.clear()
        self.status_label.setText(status)
        self._update_actions()
        if not _is_in_memory(db):
            run_in_background(_on_own_connection, function, db, table, *args,
                              on_success=self._csv_succeeded, on_failure=self._csv_failed)
            return
        try:  # another thread would see another, empty, database
            result = function(db, table, *args)
        except Exception as error:
            self._csv_failed(error_message(error))
        else:
            self._csv_succeeded(result)

    def _csv_succeeded(self, result) -> None:
        on_done, _failure = self._end_csv()
        on_done(result)
        self.csvFinished.emit()

    def _csv_failed(self, message: str) -> None:
        _on_done, failure = self._end_csv()
        self.status_label.clear()
        self.show_message(f"{failure}: {message.strip()}")
        self.refresh()  # an import that failed was rolled back; show what is stored
        self.csvFinished.emit()

    def _end_csv(self) -> tuple[Callable[[object], None], str]:
        job, self._csv_job = self._csv_job, None
        self._update_actions()
        return job

    def _show_import_report(self, report: dbinspect.ImportReport) -> None:
        self.status_label.setText(f"CSV import: {ImportReportDialog.summary_text(report)}")
        self.refresh()
        self.last_dialog = ImportReportDialog(report, self)
        self.last_dialog.open()

    def _ask_export_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, "Export CSV", "", "CSV files (*.csv)")
        return Path(name) if name else None

    def _ask_import_path(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, "Import CSV", "", "CSV files (*.csv)")
        return Path(name) if name else None

    # -- feedback --

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def _show_count(self, *_args) -> None:
        model = self.model
        if model is None:
            self.count_label.setText("")
            return
        total = "counting…" if model.total is None else f"{model.total:,} row(s)"
        mode = "" if model.info.has_id else " — read-only (no id field)"
        self.count_label.setText(f"{model.info.name}: {total}, {len(model.rows):,} loaded{mode}")

    def _update_actions(self, *_args) -> None:
        busy = self.csv_busy
        editable = self.model is not None and self.model.info.has_id and not busy
        for button in (self.insert_button, self.import_button):
            button.setEnabled(editable)
        self.delete_button.setEnabled(editable and self._current_record_id() is not None)
        self.export_button.setEnabled(self.model is not None and not busy)
        for widget in (self.apply_button, self.refresh_button):
            widget.setEnabled(self.model is not None)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if busy
                                  else self._edit_triggers)
