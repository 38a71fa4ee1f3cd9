"""The database panel: an application's databases, their tables, and a grid of rows.

The app's models run on a worker thread when it is selected, when one of its model files is
saved and on Refresh, so a slow database or a first migration never freezes the window; the
tables its models define are listed, and below them, read-only, the tables stored in the
database that no model defines. Rows come from :class:`desktop.rows_model.RowsModel`, CSV files
are imported and exported on worker threads. All reads and writes go through
``server.manage``; every failure ends up as a message, never as an exception in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydal import DAL
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop.app_databases import AppDatabases
from desktop.csv_transfer import CsvTransfer
from desktop.dialogs import Ask
from desktop.field_editors import default_text
from desktop.job_progress import JobProgress
from desktop.row_filters import RowFilters
from desktop.rows_model import RowsModel
from desktop.rows_view import RowsView
from desktop.status_label import StatusLabel
from desktop.table_dialogs import InsertRowDialog
from desktop.tables_tree import TablesTree
from desktop.workers import close_database
from server.manage import dbinspect, stored_tables
from server.manage.dbinspect import QueryError
from server.manage.progress import Progress


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

    Its parts: ``filters`` (:class:`desktop.row_filters.RowFilters`), ``csv``
    (:class:`desktop.csv_transfer.CsvTransfer`), the rows of :class:`desktop.rows_model.RowsModel`
    shown in a :class:`desktop.rows_view.RowsView`. ``confirm`` is an attribute so tests (and
    callers) can replace the modal question.
    """

    openFileRequested = Signal(Path, int)
    namesChanged = Signal(list)  # the app's database, table and field names, for completion
    # (app, {name: DAL}) from set_application, before their tables are listed: a receiver may
    # define more (the sessions panel its session table, as a request's session.connect does).
    # The DALs stay this browser's, closed right after the next app's are announced.
    databasesLoaded = Signal(object, object)
    tablesListed = Signal()  # the tables of the chosen database are in the tree

    def __init__(self, root: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.application: str | None = None
        self.databases: dict[str, DAL] = {}
        self.app_databases = AppDatabases(self.root, self)
        self._listed_application: str | None = None
        self.app_databases.loaded.connect(self._databases_loaded)
        self.model: RowsModel | None = None
        self.confirm: Callable[[str], bool] = lambda question: Ask(self).confirm("Database", question)
        self.last_dialog: QDialog | None = None
        self._build()
        self._update_actions()

    # -- construction --

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self._database_row())
        splitter = QSplitter(self)
        self.tables_tree = TablesTree(self)
        self.tables_tree.tableChosen.connect(self.open_table)
        splitter.addWidget(self.tables_tree)
        splitter.addWidget(self._grid_panel())
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter, 1)
        self.status_label = StatusLabel("Database status", self)
        self.status_label.setText("No application selected.")
        layout.addWidget(self.status_label)
        self.models_progress = JobProgress("Reading the models", self)
        self.models_progress.cancelRequested.connect(self.app_databases.cancel)
        layout.addWidget(self.models_progress)
        self.csv.status.connect(self.status_label.setText)
        self.csv.problem.connect(self.show_message)
        self.csv.busyChanged.connect(self._update_actions)
        self.csv.imported.connect(self.refresh)
        self.setTabOrder(self.database_combo, self.tables_tree)
        self.setTabOrder(self.tables_tree, self.filters.query_edit)

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
        self.view = RowsView(panel)
        self.view.setAccessibleName("Rows")
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.deleteRequested.connect(self.delete_current_row)
        self._edit_triggers = self.view.editTriggers()
        self.filters = RowFilters(self.view, panel)
        self.filters.applied.connect(self.apply_filters)
        layout.addLayout(self.filters.query_row())
        layout.addWidget(self.filters.column_filters)
        layout.addWidget(self.view, 1)
        self.count_label = StatusLabel("Row count", panel)
        self.message_label = StatusLabel("Database message", panel)
        self.message_label.setStyleSheet("color: #b00020")
        layout.addWidget(self.count_label)
        layout.addWidget(self.message_label)
        layout.addLayout(self._button_row(panel))
        self.count_progress = JobProgress("Row count", panel)
        layout.addWidget(self.count_progress)
        layout.addWidget(self.csv.progress)
        return panel

    def _button_row(self, panel: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        self.insert_button = QPushButton("&Insert row…", panel, clicked=self.open_insert_dialog)
        self.delete_button = QPushButton("&Delete row", panel, clicked=self.delete_current_row)
        self.csv = CsvTransfer(self, panel)
        self.refresh_button = QPushButton("&Refresh", panel, clicked=self.reload_models)
        self.refresh_button.setAccessibleName("Refresh tables and rows")
        self.refresh_button.setToolTip("Read the app's models again, then its rows")
        for widget in (self.insert_button, self.delete_button, self.csv.export_button,
                       self.csv.import_button, self.csv.keep_valid_check):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.refresh_button)
        return row

    # -- choosing app, database, table --

    def set_application(self, name: str | None) -> None:
        """Run ``name``'s models on a worker to find its databases; failures are shown."""
        self.application = name
        if name:
            self._reading_models(name)
        self.app_databases.load(name)

    def reload_models(self) -> None:
        """Refresh: read the app's models again (tables may have changed), then the rows."""
        if self.application:
            self._reading_models(self.application)
            self.app_databases.reload()
        else:
            self.refresh()

    def _reading_models(self, name: str) -> None:
        text = f"Reading the models of {name}…"
        self.status_label.setText(text)
        self.models_progress.follow(None, f"{text} (a first run creates its tables)")

    def model_file_saved(self, path: Path) -> None:
        """A saved file under this app's models/ may define other tables: read them again."""
        if self.app_databases.is_model_file(path):
            self.reload_models()

    def _databases_loaded(self, name: str | None, databases: dict[str, DAL],
                          message: str) -> None:
        """Announce the DALs (the sessions panel defines its table), then list the tables,
        reopening the table shown before if it is still there."""
        self.models_progress.finish()
        again = name == self._listed_application  # the same app read again: keep the place
        self._listed_application = name
        self.databasesLoaded.emit(name, dict(databases))
        self.set_databases(databases, self.database_combo.currentText() if again else "",
                           self._current_table() if again else None)
        self.status_label.setText(message)

    def _current_table(self) -> tuple[str, bool] | None:
        model = self.model
        return (model.info.name, model.read_only) if model is not None else None

    def set_databases(self, databases: dict[str, DAL], database: str = "",
                      table: tuple[str, bool] | None = None) -> None:
        """Show ``databases``; reopen ``database`` and ``table`` (name, stored) if still there."""
        self.databases = dict(databases)
        self.namesChanged.emit(database_names(self.databases))
        self.database_combo.blockSignals(True)
        self.database_combo.clear()
        self.database_combo.addItems(list(self.databases))
        if database in self.databases:
            self.database_combo.setCurrentText(database)
        self.database_combo.blockSignals(False)
        self._database_chosen(self.database_combo.currentText())
        if table is not None:
            self.tables_tree.select_table(*table)

    @property
    def db(self) -> DAL | None:
        return self.databases.get(self.database_combo.currentText())

    def _database_chosen(self, _name: str) -> None:
        self._set_model(None)
        problem = self.tables_tree.show_database(self.db)
        if problem:
            self.show_message(problem)
        self.tablesListed.emit()

    def open_table(self, name: str, stored: bool = False) -> None:
        """Show ``name`` of the current database, unfiltered, sorted by id. ``stored``: a table
        no model defines, read through a DAL of its own, read-only."""
        if self.model is not None and self.model.info.name == name \
                and self.model.read_only == stored:
            return
        self.filters.query_edit.clear()
        try:
            db, table = self._table_source(name, stored)
            model = RowsModel(db, table, read_only=stored, parent=self)
        except Exception as error:  # unreadable table: say so, keep the window alive
            self._set_model(None)
            self.show_message(dbinspect.database_error(error))
            return
        self._set_model(model)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)

    def _table_source(self, name: str, stored: bool):
        if not stored:
            return self.db, self.db[name]
        return stored_tables.define_stored_table(self.db, name)

    def _set_model(self, model: RowsModel | None) -> None:
        old = self.model
        self.model = model
        self.view.setModel(model)
        self.filters.set_columns(model.info.field_names if model is not None else [])
        if old is not None:
            old.stop_counting()
            old.deleteLater()
            if old.read_only and old.db is not getattr(model, "db", None):
                close_database(old.db)
        if model is not None:
            model.problem.connect(self.show_message)
            model.totalChanged.connect(self._show_count)

            model.modelReset.connect(self._show_count)
            model.modelReset.connect(self.view.scrollToTop)  # a new sort or filter: the top
            model.rowsInserted.connect(self._show_count)
            model.blockLoaded.connect(self._show_count)
            model.modelReset.connect(self.view.fit_columns)
            model.cellWritten.connect(self._cell_written)
            self.view.selectionModel().currentChanged.connect(self._update_actions)
        self.message_label.clear()
        self._show_count()
        self._update_actions()
        self.view.fit_columns()

    def _reload_rows(self) -> bool:
        """Reload the grid; a failing read (bad data, broken database) is reported, not raised."""
        try:
            self.model.reload()
        except Exception as error:
            self.show_message(dbinspect.database_error(error))
            return False
        return True

    # -- filters --

    def apply_filters(self) -> None:
        """Read the rows matching the filters; a refused query keeps the rows that worked."""
        if self.model is None:
            return
        try:
            query = self.filters.query(self.db, self.model.table)
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

    def refresh(self) -> None:
        """Read the rows again (after a write): same table, query and order."""
        if self.model is not None:
            self._reload_rows()

    # -- writes --

    def open_insert_dialog(self) -> InsertRowDialog | None:
        """Open (not exec) the insert form, so the event loop keeps running."""
        if self.model is None or not self.model.editable or self.csv.busy:
            return None
        table = self.model.table
        defaults = {name: default_text(table[name]) for name in table.fields}
        dialog = InsertRowDialog(self.model.info, self.insert_row, self, defaults)
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

    def _cell_written(self, message: str) -> None:
        """A valid edit: the message of an earlier refused one no longer applies."""
        self.message_label.clear()
        self.status_label.setText(message)

    def delete_current_row(self) -> None:
        record_id = self._current_record_id()
        if record_id is None or self.csv.busy:
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

    # -- feedback --

    def show_message(self, text: str) -> None:
        self.message_label.setText(text)

    def _show_count(self, *_args) -> None:
        model = self.model
        self._show_counting(model.count_progress if model is not None else None)
        if model is None:
            self.count_label.setText("")
            return
        total = f"{model.total:,} row(s)" if model.total is not None else (
            "counting…" if model.count_progress is not None else "not counted")
        mode = "" if model.editable else (" — read-only (defined by no model)" if model.read_only
                                          else " — read-only (no id field)")
        self.count_label.setText(f"{model.info.name}: {total}, {model.loaded_count:,} loaded"
                                 f"{mode}")

    def _show_counting(self, counting: Progress | None) -> None:
        """The count's progress row, with Cancel, while the model counts."""
        if counting is None:
            self.count_progress.finish()
        elif self.count_progress.progress is not counting:
            self.count_progress.follow(counting, f"Counting the rows of {self.model.info.name}…")

    def _update_actions(self, *_args) -> None:
        busy = self.csv.busy
        editable = self.model is not None and self.model.editable
        self.csv.update_actions(editable)
        editable = editable and not busy
        self.insert_button.setEnabled(editable)
        self.delete_button.setEnabled(editable and self._current_record_id() is not None)
        for widget in (self.filters.apply_button, self.refresh_button):
            widget.setEnabled(self.model is not None)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if busy
                                  else self._edit_triggers)
