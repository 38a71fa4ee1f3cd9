"""DatabaseBrowser on real SQLite files, with real widgets offscreen."""

from __future__ import annotations

import time
import uuid

import pytest
from pydal import DAL, Field
from pydal._globals import THREAD_LOCAL
from pydal.validators import IS_INT_IN_RANGE, IS_NOT_EMPTY
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit
from support import write_app

from desktop.database_browser import DatabaseBrowser
from desktop.rows_model import PENDING_TEXT
from desktop.table_dialogs import ImportReportDialog, InsertRowDialog
from server.manage import dbinspect


@pytest.fixture
def db(tmp_path):
    database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    database.define_table("person", Field("name", requires=IS_NOT_EMPTY()),
                          Field("age", "integer", requires=IS_INT_IN_RANGE(0, 150)))
    database.define_table("code", Field("key"), Field("label"), primarykey=["key"])
    database.person.bulk_insert([{"name": "Alice", "age": 30}, {"name": "Bob", "age": 40},
                                 {"name": "Anna", "age": 25}])
    database.code.insert(key="a", label="first")
    database.commit()
    yield database
    database.close()


@pytest.fixture
def browser(qtbot, root, db):
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    widget.set_databases({"db": db})
    widget.open_table("person")
    return widget


def column_values(browser, column_name):
    """Every row's value in ``column_name``, once the blocks asked for have arrived."""
    model = browser.model
    column = model.info.field_names.index(column_name)
    deadline = time.monotonic() + 20
    values = [model.index(row, column).data() for row in range(model.rowCount())]
    while PENDING_TEXT in values and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        values = [model.index(row, column).data() for row in range(model.rowCount())]
    return values


def wait_for_count(qtbot, browser, total):
    qtbot.waitUntil(lambda: browser.model.total == total)
    assert f"{total:,} row(s)" in browser.count_label.text()


def test_lists_tables_with_fields_and_shows_rows(qtbot, browser):
    tree = browser.tables_tree
    person = tree.topLevelItem(0)
    assert person.text(0) == "person"
    assert [(person.child(i).text(0), person.child(i).text(1)) for i in range(3)] == [
        ("id", "id"), ("name", "string"), ("age", "integer")]
    assert "read-only" in tree.topLevelItem(1).text(0)
    assert column_values(browser, "name") == ["Alice", "Bob", "Anna"]
    wait_for_count(qtbot, browser, 3)


def test_choosing_a_table_in_the_tree_opens_it(qtbot, browser):
    browser.tables_tree.setCurrentItem(browser.tables_tree.topLevelItem(1))
    assert browser.model.info.name == "code"
    assert column_values(browser, "label") == ["first"]


@pytest.fixture
def million(tmp_path):
    (tmp_path / "big").mkdir()
    big = DAL("sqlite://big.sqlite", folder=str(tmp_path / "big"))
    big.define_table("item", Field("label"))
    big.executesql("INSERT INTO item(label) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                   "SELECT i + 1 FROM n WHERE i < 1000000) SELECT 'x' || i FROM n")
    big.commit()
    yield big
    big.close()


def shown_cell(view, row: int, column: int = 1) -> str:
    return view.model().index(row, column).data()


def test_a_million_rows_scroll_to_the_middle_and_the_end(qtbot, root, million):
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    widget.set_databases({"db": million})
    widget.open_table("item")
    widget.resize(900, 600)
    widget.show()
    wait_for_count(qtbot, widget, 1_000_000)
    view = widget.view
    assert view.model().rowCount() == 1_000_000
    assert "1,000,000 row(s)" in widget.count_label.accessibleName()
    scrollbar = view.verticalScrollBar()
    assert scrollbar.maximum() > 900_000  # the bar spans every row, not the first page
    scrollbar.setValue(scrollbar.maximum() // 2)
    middle = view.rowAt(0)
    assert 490_000 < middle < 510_000
    qtbot.waitUntil(lambda: shown_cell(view, middle) == f"x{middle + 1}")
    view.setFocus()
    view.setCurrentIndex(view.model().index(0, 1))
    qtbot.keyClick(view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert view.currentIndex().row() == 999_999
    qtbot.waitUntil(lambda: shown_cell(view, 999_999) == "x1000000")
    assert widget.model.record_id(999_999) == 1_000_000
    assert widget.model.loaded_count <= 64 * dbinspect.PAGE_SIZE  # memory stays bounded


def test_sorting_a_large_table_goes_back_to_the_top(qtbot, root, million):
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    widget.set_databases({"db": million})
    widget.open_table("item")
    widget.show()
    wait_for_count(qtbot, widget, 1_000_000)
    widget.view.scrollToBottom()
    widget.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert widget.view.verticalScrollBar().value() == 0
    assert shown_cell(widget.view, 0, 0) == "1000000"
    qtbot.keyClicks(widget.column_filters.edits["label"], "x99999")
    widget.apply_filters()
    assert widget.view.verticalScrollBar().value() == 0
    wait_for_count(qtbot, widget, 11)


def test_sorting_by_header_orders_rows(browser):
    browser.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert column_values(browser, "name") == ["Bob", "Anna", "Alice"]
    browser.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert column_values(browser, "id") == ["3", "2", "1"]


def test_query_text_filters_rows(qtbot, browser):
    qtbot.keyClicks(browser.query_edit, "db.person.name.startswith('A')")
    qtbot.keyClick(browser.query_edit, Qt.Key.Key_Return)
    assert column_values(browser, "name") == ["Alice", "Anna"]
    wait_for_count(qtbot, browser, 2)


def test_column_filters_combine_with_the_query(qtbot, browser):
    filters = browser.column_filters.edits
    assert list(filters) == ["id", "name", "age"]
    assert filters["age"].accessibleName() == "Filter age"
    browser.query_edit.setText("db.person.age < 35")
    qtbot.keyClicks(filters["name"], "nn")
    qtbot.waitUntil(lambda: column_values(browser, "name") == ["Anna"])
    filters["name"].clear()
    qtbot.keyClicks(filters["age"], "30")
    qtbot.waitUntil(lambda: column_values(browser, "name") == ["Alice"])
    browser.clear_button.click()
    assert len(column_values(browser, "name")) == 3
    assert filters["age"].text() == "" and browser.query_edit.text() == ""


def test_column_filters_line_up_with_the_columns(qtbot, browser):
    browser.resize(900, 500)
    browser.show()
    qtbot.waitExposed(browser)
    header = browser.view.horizontalHeader()
    header.resizeSection(1, 230)
    name_filter = browser.column_filters.edits["name"]
    assert name_filter.width() == 230
    header_left = header.mapTo(browser, header.rect().topLeft()).x()
    filter_left = name_filter.mapTo(browser, name_filter.rect().topLeft()).x()
    assert filter_left == header_left + header.sectionViewportPosition(1)


def test_bad_query_text_shows_message_and_keeps_rows(qtbot, browser):
    browser.query_edit.setText("__import__('os').system('true')")
    browser.apply_button.click()
    assert "field methods" in browser.message_label.text()
    assert len(column_values(browser, "name")) == 3
    browser.query_edit.setText("db.person.name ==")
    browser.apply_button.click()
    assert "Syntax error" in browser.message_label.text()
    browser.query_edit.clear()
    browser.column_filters.edits["age"].setText("old")
    browser.apply_filters()
    assert "'old' is not a valid integer for age" in browser.message_label.text()


def test_edit_with_validator_error_marks_the_cell(browser, db):
    model = browser.model
    cell = model.index(1, 2)
    assert model.flags(cell) & Qt.ItemFlag.ItemIsEditable
    assert not model.setData(cell, "200")
    assert "between 0 and 149" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert cell.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "age: Enter an integer between 0 and 149" in browser.message_label.text()
    assert cell.data() == "40" and db.person[2].age == 40


def test_edit_success_is_stored_and_clears_the_error(browser, db):
    model = browser.model
    cell = model.index(1, 2)
    model.setData(cell, "x")
    assert model.setData(cell, " 41 ")
    assert cell.data() == "41" and cell.data(Qt.ItemDataRole.ToolTipRole) is None
    db.rollback()
    assert db.person[2].age == 41


def test_a_valid_edit_clears_the_message_of_a_refused_one(browser, db):
    model = browser.model
    assert not model.setData(model.index(1, 2), "200")
    assert "between 0 and 149" in browser.message_label.text()
    assert model.setData(model.index(0, 1), "Alicia")
    assert browser.message_label.text() == ""
    assert browser.status_label.text() == "Saved name of row 1."


def test_closing_the_editor_unchanged_clears_the_cells_error(browser):
    model = browser.model
    cell = model.index(1, 2)
    model.setData(cell, "200")
    assert model.setData(cell, "40")  # what is stored: valid
    assert cell.data(Qt.ItemDataRole.ToolTipRole) is None


@pytest.fixture
def events(qtbot, root, tmp_path):
    import datetime

    database = DAL("sqlite://events.sqlite", folder=str(tmp_path))
    database.define_table("event", Field("public", "boolean", default=True),
                          Field("day", "date", default=datetime.date(2024, 5, 1)),
                          Field("note", "text", default=lambda: "typed " + "later"))
    database.event.insert(public=False, day=datetime.date(2024, 1, 2),
                          note="a long note that is wider than its title " * 20)
    database.commit()
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    widget.set_databases({"db": database})
    widget.open_table("event")
    yield widget
    database.close()


def test_insert_form_is_prefilled_with_the_fields_defaults(events):
    from PySide6.QtWidgets import QCheckBox, QDateEdit

    dialog = events.open_insert_dialog()
    assert isinstance(dialog.editors["public"], QCheckBox) and dialog.editors["public"].isChecked()
    assert isinstance(dialog.editors["day"], QDateEdit)
    assert dialog.texts() == {"public": "True", "day": "2024-05-01", "note": "typed later"}
    dialog.try_insert()
    assert events.db(events.db.event.note == "typed later").count() == 1


def test_cells_are_edited_with_a_checkbox_and_a_date_picker(qtbot, events):
    from PySide6.QtWidgets import QAbstractItemDelegate, QCheckBox, QDateEdit

    view, model = events.view, events.model
    events.show()
    for column, kind in ((1, QCheckBox), (2, QDateEdit)):
        view.setCurrentIndex(model.index(0, column))
        view.edit(model.index(0, column))
        editor = view.indexWidget(model.index(0, column)) or view.focusWidget()
        assert isinstance(editor, kind)
        if kind is QCheckBox:
            assert not editor.isChecked()
            editor.setChecked(True)
        else:
            assert editor.text() == "2024-01-02"
            editor.setDate(editor.date().addDays(1))
        view.commitData(editor)
        view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
    events.db.rollback()
    row = events.db.event[1]
    assert row.public is True and str(row.day) == "2024-01-03"


def test_columns_fit_their_content_within_a_limit(events):
    from desktop.rows_view import MAX_COLUMN_WIDTH

    header = events.view.horizontalHeader()
    widths = [header.sectionSize(column) for column in range(header.count())]
    assert widths[3] == MAX_COLUMN_WIDTH  # the long note, capped
    assert widths[0] < MAX_COLUMN_WIDTH / 2 < widths[3]
    assert widths[2] >= events.view.fontMetrics().horizontalAdvance("2024-01-02")


def test_id_column_is_not_editable(browser):
    assert not browser.model.flags(browser.model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable


def test_insert_row_dialog_shows_errors_then_inserts(qtbot, browser, db):
    browser.insert_button.click()
    dialog = browser.last_dialog
    assert isinstance(dialog, InsertRowDialog) and dialog.isVisible()
    dialog.editors["age"].setText("-1")
    dialog.try_insert()
    assert dialog.isVisible()
    assert dialog.field_errors["name"].text() == "Enter a value"
    assert "between 0 and 149" in dialog.field_errors["age"].text()
    dialog.editors["name"].setText("Cleo")
    dialog.editors["age"].setText("7")
    dialog.try_insert()
    assert not dialog.isVisible() and dialog.inserted
    assert column_values(browser, "name")[-1] == "Cleo"
    assert db(db.person.name == "Cleo").count() == 1


def test_delete_asks_and_respects_the_answer(qtbot, browser, db):
    questions = []
    browser.confirm = lambda question: questions.append(question) or len(questions) > 1
    browser.view.setCurrentIndex(browser.model.index(1, 1))
    assert browser.delete_button.isEnabled()
    browser.delete_button.click()
    assert questions == ["Delete row 2 from person?"]
    assert len(column_values(browser, "name")) == 3
    browser.view.setCurrentIndex(browser.model.index(1, 1))
    qtbot.keyClick(browser.view, Qt.Key.Key_Delete)
    assert column_values(browser, "name") == ["Alice", "Anna"]
    assert questions[-1] == "Delete row 2 from person?"
    db.rollback()
    assert db.person[2] is None


def test_csv_export_and_import_round_trip(qtbot, browser, db, tmp_path):
    path = tmp_path / "filtered.csv"
    browser.query_edit.setText("db.person.age > 26")
    browser.apply_filters()
    browser.choose_export_path = lambda: path
    with qtbot.waitSignal(browser.csvFinished):
        browser.export_button.click()
    assert "Exported 2 row(s)" in browser.status_label.text()
    browser.choose_import_path = lambda: path
    with qtbot.waitSignal(browser.csvFinished):
        browser.import_button.click()
    report = browser.last_dialog
    assert isinstance(report, ImportReportDialog)
    assert report.summary.text() == "Inserted 2 row(s); rejected 0."
    assert column_values(browser, "name") == ["Alice", "Bob", "Alice", "Bob"]


def test_import_report_lists_rejected_rows_and_imports_nothing(qtbot, browser, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("person.name,person.age\nDora,5\n,6\n", encoding="utf-8")
    browser.choose_import_path = lambda: path
    with qtbot.waitSignal(browser.csvFinished):
        browser.import_button.click()
    report = browser.last_dialog
    assert "Nothing was imported" in report.summary.text()
    assert report.rejected_table.item(0, 0).text() == "3"
    assert report.rejected_table.item(0, 1).text() == "name: Enter a value"
    assert len(column_values(browser, "name")) == 3
    browser.keep_valid_check.setChecked(True)
    with qtbot.waitSignal(browser.csvFinished):
        browser.import_button.click()
    assert column_values(browser, "name")[-1] == "Dora"
    assert browser.last_dialog.summary.text() == "Inserted 1 row(s); rejected 1."


LARGE_IMPORT_ROWS = 20_000


def test_large_csv_import_leaves_the_window_responsive(qtbot, browser, db, tmp_path):
    """The import runs on a worker: while it does, the event loop keeps turning (a timer
    ticks before the import reports) and the CSV buttons and grid edits are off."""
    path = tmp_path / "large.csv"
    lines = [f"P{i},{i % 100}" for i in range(LARGE_IMPORT_ROWS)]
    path.write_text("person.name,person.age\n" + "\n".join(lines) + "\n", encoding="utf-8")
    browser.choose_import_path = lambda: path
    events = []
    tick = QTimer(browser, singleShot=True, interval=0, timeout=lambda: events.append("tick"))
    browser.csvFinished.connect(lambda: events.append("finished"))
    with qtbot.waitSignal(browser.csvFinished, timeout=60_000):
        tick.start()
        browser.import_button.click()
        assert browser.csv_busy and f"Importing {path}" in browser.status_label.text()
        assert not browser.import_button.isEnabled() and not browser.export_button.isEnabled()
        assert not browser.insert_button.isEnabled()
        assert browser.view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert events == ["tick", "finished"]
    assert browser.last_dialog.summary.text() == f"Inserted {LARGE_IMPORT_ROWS} row(s); rejected 0."
    assert browser.import_button.isEnabled() and browser.export_button.isEnabled()
    assert browser.view.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers
    wait_for_count(qtbot, browser, 3 + LARGE_IMPORT_ROWS)
    db.rollback()
    assert db(db.person).count() == 3 + LARGE_IMPORT_ROWS


def test_csv_failures_become_messages(qtbot, browser, tmp_path):
    browser.choose_export_path = lambda: tmp_path  # a folder: cannot be written as a file
    with qtbot.waitSignal(browser.csvFinished):
        browser.export_button.click()
    assert browser.message_label.text().startswith("Export failed: ")
    assert browser.export_button.isEnabled() and not browser.csv_busy
    browser.choose_import_path = lambda: tmp_path / "missing.csv"
    with qtbot.waitSignal(browser.csvFinished):
        browser.import_button.click()
    assert browser.message_label.text().startswith("Import failed: ")
    assert "missing.csv" in browser.message_label.text()
    assert browser.import_button.isEnabled() and len(column_values(browser, "name")) == 3


def test_csv_of_an_in_memory_database_runs_in_place(qtbot, root, tmp_path):
    """Another thread would open another, empty, in-memory database."""
    memory = DAL("sqlite:memory")
    memory.define_table("note", Field("body", requires=IS_NOT_EMPTY()))
    memory.note.bulk_insert([{"body": "a"}, {"body": "b"}])
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    widget.set_databases({"memory": memory})
    widget.open_table("note")
    path = tmp_path / "notes.csv"
    widget.choose_export_path = widget.choose_import_path = lambda: path
    with qtbot.waitSignal(widget.csvFinished):
        widget.export_button.click()
    assert "Exported 2 row(s)" in widget.status_label.text()
    with qtbot.waitSignal(widget.csvFinished):
        widget.import_button.click()
    assert widget.last_dialog.summary.text() == "Inserted 2 row(s); rejected 0."
    assert column_values(widget, "body") == ["a", "b", "a", "b"]


def test_table_without_id_is_read_only(browser):
    browser.open_table("code")
    model = browser.model
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not browser.insert_button.isEnabled() and not browser.import_button.isEnabled()
    assert "read-only" in browser.count_label.text()
    assert browser.export_button.isEnabled()


def test_no_application_clears_everything(browser):
    browser.set_application(None)
    assert browser.model is None and browser.tables_tree.topLevelItemCount() == 0
    assert "No application" in browser.status_label.text()


def test_set_application_loads_the_apps_databases(qtbot, root):
    write_app(root, "shop", {"models/db.py": """
        db = DAL('sqlite://storage.sqlite')
        db.define_table('product', Field('title', requires=IS_NOT_EMPTY()))
        if not db(db.product).count():
            db.product.insert(title='Tea')
            db.commit()
    """})
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.databasesLoaded) as loaded:  # for the sessions panel
        widget.set_application("shop")
    assert loaded.args[0] == "shop" and list(loaded.args[1]) == ["db"]
    assert loaded.args[1]["db"] is widget.db
    assert "Databases of shop: db" in widget.status_label.text()
    widget.tables_tree.setCurrentItem(widget.tables_tree.topLevelItem(0))
    assert column_values(widget, "title") == ["Tea"]
    assert not widget.model.setData(widget.model.index(0, 1), "")
    assert "Enter a value" in widget.message_label.text()
    shop_db = widget.db
    widget.set_application(None)
    assert widget.db is None
    assert getattr(THREAD_LOCAL, shop_db._adapter._connection_uname_, None) is None  # closed


def test_broken_model_is_reported_not_raised(qtbot, root):
    write_app(root, "broken", {"models/db.py": "db = DAL('sqlite://storage.sqlite')\n1/0\n"})
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.databasesLoaded) as loaded:
        widget.set_application("broken")
    assert loaded.args == ["broken", {}]
    assert "Could not load the models of broken" in widget.status_label.text()
    assert "division by zero" in widget.status_label.text()
    assert widget.tables_tree.topLevelItemCount() == 0


def test_in_memory_database_is_counted_in_place(qtbot, root):
    memory = DAL("sqlite:memory")
    memory.define_table("note", Field("body"))
    memory.note.bulk_insert([{"body": "a"}, {"body": "b"}])
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    widget.set_databases({"memory": memory})
    widget.open_table("note")
    assert widget.model.total == 2 and "2 row(s)" in widget.count_label.text()


def test_editing_through_the_cell_editor(qtbot, browser, db):
    browser.show()
    qtbot.waitExposed(browser)
    cell = browser.model.index(0, 1)
    browser.view.setCurrentIndex(cell)
    browser.view.edit(cell)
    [editor] = [child for child in browser.view.viewport().findChildren(QLineEdit)
                if child.isVisible()]
    assert editor.text() == "Alice"
    editor.selectAll()
    qtbot.keyClicks(editor, "Alicia")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: cell.data() == "Alicia")  # the delegate commits on a queued call
    db.rollback()
    assert db.person[1].name == "Alicia"


def test_unreadable_table_is_reported(qtbot, browser, db):
    db.executesql("DROP TABLE person")
    db.commit()
    browser.open_table("code")
    browser.open_table("person")
    assert browser.model is None
    assert "Database error" in browser.message_label.text()


def test_closing_an_unchanged_editor_writes_nothing(browser, db):
    db.person.insert(name=None, age=None)  # bypasses validators, as old data may
    db.commit()
    browser.refresh()
    model = browser.model
    name_cell = model.index(3, 1)
    assert name_cell.data() == "NULL" and name_cell.data(Qt.ItemDataRole.EditRole) == ""
    assert model.setData(name_cell, "")
    assert browser.message_label.text() == "" and db.person[4].name is None


def test_the_apps_table_and_field_names_are_offered_for_completion(qtbot, tmp_path):
    from support import write_app

    from desktop.database_browser import DatabaseBrowser

    (tmp_path / "applications").mkdir()
    write_app(tmp_path, "shop", {"models/db.py": "db = DAL('sqlite://storage.sqlite')\n"
                                                 "db.define_table('product', Field('title'))\n"})
    browser = DatabaseBrowser(tmp_path)
    qtbot.addWidget(browser)
    with qtbot.waitSignal(browser.namesChanged) as names:
        browser.set_application("shop")
    assert {"db", "product", "title", "id"} <= set(names.args[0])
    browser.set_application(None)


# --- PostgreSQL: the window on an app whose model connects to a real server -----------------

POSTGRES_ROWS = 3000
POSTGRES_MODEL = """
    db = DAL('URI')
    db.define_table('person',
                    Field('name', requires=IS_NOT_EMPTY()),
                    Field('age', 'integer', requires=IS_INT_IN_RANGE(0, 150)),
                    Field('active', 'boolean'),
                    Field('profile', 'json'))
    if not db(db.person).count():
        db.executesql(
            "INSERT INTO person(name, age, profile) "
            "SELECT (ARRAY['Alice', 'bob', 'Anna', 'carl'])[1 + i % 4] || ' ' || i, i % 100, "
            "('{\\"n\\": ' || i || '}')::json FROM generate_series(1, ROWS) AS i")
        db(db.person.id % 2 == 0).update(active=True)
        db.commit()
"""


@pytest.fixture
def pg_browser(qtbot, root, postgres_uri):
    """A DatabaseBrowser showing the table ``person`` of app ``shop`` on a fresh PostgreSQL
    database, and a second, separate connection (plain psycopg2) to check what was committed."""
    import psycopg2

    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(postgres_uri)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    uri = f"{postgres_uri.rsplit('/', 1)[0]}/{name}"
    write_app(root, "shop", {"models/db.py": POSTGRES_MODEL.replace("URI", uri).replace(
        "ROWS", str(POSTGRES_ROWS))})
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.tablesListed, timeout=30000):
        widget.set_application("shop")
    other = psycopg2.connect(uri)
    other.autocommit = True
    yield widget, other
    widget.set_application(None)
    other.close()
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.close()


def committed(other, sql, *params):
    with other.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_postgres_opens_the_table_and_fetches_every_page(qtbot, pg_browser):
    widget, _ = pg_browser
    assert "Databases of shop: db" in widget.status_label.text()
    assert widget.db._adapter.dbengine == "postgres"
    widget.tables_tree.setCurrentItem(widget.tables_tree.topLevelItem(0))
    model = widget.model
    assert model.info.name == "person" and model.rowCount() == dbinspect.PAGE_SIZE
    assert [model.index(0, column).data() for column in range(5)] == [
        "1", "bob 1", "1", "NULL", '{"n": 1}']  # json shows as JSON, ready to edit
    wait_for_count(qtbot, widget, POSTGRES_ROWS)
    assert model.rowCount() == POSTGRES_ROWS
    assert column_values(widget, "id") == [str(n) for n in range(1, POSTGRES_ROWS + 1)]
    assert [model.record_id(row) for row in (0, 1234, 2999)] == [1, 1235, 3000]
    assert f"{POSTGRES_ROWS:,} loaded" in widget.count_label.text()


def test_postgres_count_worker_keeps_no_connection_open(qtbot, pg_browser):
    """Each count used to leave an idle connection behind on the worker thread."""
    widget, other = pg_browser
    widget.open_table("person")
    for _ in range(3):
        widget.refresh()
        wait_for_count(qtbot, widget, POSTGRES_ROWS)
    qtbot.waitUntil(lambda: committed(
        other, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        == [(2,)])  # the window's own connection and ``other``


def test_postgres_query_and_column_filters(qtbot, pg_browser):
    widget, _ = pg_browser
    widget.open_table("person")
    qtbot.keyClicks(widget.query_edit, "db.person.name.startswith('Anna') & (db.person.age < 50)")
    qtbot.keyClick(widget.query_edit, Qt.Key.Key_Return)
    wait_for_count(qtbot, widget, 360)
    assert all(name.startswith("Anna") for name in column_values(widget, "name"))
    qtbot.keyClicks(widget.column_filters.edits["name"], "ANNA 12")  # case-insensitive
    qtbot.waitUntil(lambda: widget.model.total == 14)
    assert column_values(widget, "name")[:2] == ["Anna 122", "Anna 126"]
    widget.query_edit.setText("db.person.age.belongs([1, 2]) & (db.person.active == True)")
    widget.column_filters.edits["name"].clear()
    widget.apply_filters()
    wait_for_count(qtbot, widget, 30)
    assert set(column_values(widget, "age")) == {"2"}
    widget.clear_button.click()
    wait_for_count(qtbot, widget, POSTGRES_ROWS)


def test_postgres_refused_query_keeps_the_rows_and_the_connection(qtbot, pg_browser):
    """PostgreSQL refuses EXTRACT on text and then every statement until a rollback."""
    widget, _ = pg_browser
    widget.open_table("person")
    widget.query_edit.setText("db.person.age > 97")
    widget.apply_filters()
    wait_for_count(qtbot, widget, 60)
    widget.query_edit.setText("db.person.name.year() == 2000")
    widget.apply_filters()
    assert widget.message_label.text().startswith("Database error:")
    assert "extract" in widget.message_label.text()
    assert widget.model.rowCount() == 60  # the rows of the last query that worked
    wait_for_count(qtbot, widget, 60)
    widget.query_edit.setText("db.person.age > 98")
    widget.apply_filters()
    assert widget.message_label.text() == "" and widget.model.rowCount() == 30


def test_postgres_sorting_by_header_including_a_json_column(qtbot, pg_browser):
    widget, _ = pg_browser
    widget.open_table("person")
    widget.view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert column_values(widget, "age")[:3] == ["99", "99", "99"]
    assert column_values(widget, "id")[:3] == ["2999", "2899", "2799"]
    widget.view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # json: sorted as its text
    assert widget.message_label.text() == ""
    assert column_values(widget, "profile")[:3] == ['{"n": 1000}', '{"n": 1001}', '{"n": 1002}']
    wait_for_count(qtbot, widget, POSTGRES_ROWS)
    assert len(set(column_values(widget, "id"))) == widget.model.rowCount() > dbinspect.PAGE_SIZE


def test_postgres_editing_cells_through_the_model(qtbot, pg_browser):
    widget, other = pg_browser
    widget.open_table("person")
    model = widget.model
    age = model.index(1, 2)
    assert not model.setData(age, "200")
    assert "between 0 and 149" in age.data(Qt.ItemDataRole.ToolTipRole)
    assert committed(other, "SELECT age FROM person WHERE id = 2") == [(2,)]
    assert model.setData(age, "42")
    assert age.data() == "42" and age.data(Qt.ItemDataRole.ToolTipRole) is None
    assert model.setData(model.index(1, 3), "no")
    assert model.index(1, 3).data() == "False"
    assert committed(other, "SELECT age, active FROM person WHERE id = 2") == [(42, "F")]
    name = model.index(2, 1)
    widget.db.executesql("CREATE UNIQUE INDEX person_name ON person(name)")
    widget.db.commit()
    assert not model.setData(name, "bob 1")
    assert "duplicate key value" in widget.message_label.text()
    assert model.setData(name, "Carla")  # the failed statement did not poison the connection
    assert committed(other, "SELECT name FROM person WHERE id = 3") == [("Carla",)]


def test_postgres_csv_import_keeps_valid_rows_around_a_refused_one(qtbot, pg_browser, tmp_path):
    widget, other = pg_browser
    widget.open_table("person")
    widget.db.executesql("CREATE UNIQUE INDEX person_name ON person(name)")
    widget.db.commit()
    path = tmp_path / "some.csv"
    widget.query_edit.setText("db.person.id < 3")
    widget.apply_filters()
    widget.choose_export_path = lambda: path
    with qtbot.waitSignal(widget.csvFinished):
        widget.export_button.click()
    assert "Exported 2 row(s)" in widget.status_label.text()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("bob 1", "Bobby").replace("\n", "\n", 1), encoding="utf-8")
    widget.choose_import_path = lambda: path
    widget.keep_valid_check.setChecked(True)
    with qtbot.waitSignal(widget.csvFinished):  # "Anna 2" exists: refused by the unique index
        widget.import_button.click()
    report = widget.last_dialog
    assert report.summary.text().startswith("Inserted 1 row(s); rejected 1.")
    assert report.rejected_table.item(0, 0).text() == "3"
    assert "duplicate key value" in report.rejected_table.item(0, 1).text()
    assert committed(other, "SELECT name, age, profile::text FROM person WHERE id > %s",
                     POSTGRES_ROWS) == [("Bobby", 1, '{"n": 1}')]


def test_postgres_unsortable_column_is_reported_and_the_rows_stay(qtbot, pg_browser):
    widget, _ = pg_browser
    widget.db.executesql("ALTER TABLE person ALTER COLUMN age TYPE point USING point(age, 0)")
    widget.db.commit()  # a column PostgreSQL has no ordering for
    widget.open_table("person")
    widget.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert column_values(widget, "name")[0] == "carl 999"
    widget.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert widget.message_label.text().startswith("Could not sort: could not identify an ordering")
    assert column_values(widget, "name")[0] == "carl 999"  # still the last order that worked
    assert widget.model.rowCount() == dbinspect.PAGE_SIZE


def test_postgres_csv_runs_on_a_worker_connection_that_is_closed_after(qtbot, pg_browser,
                                                                       tmp_path):
    """The worker commits through its own connection and closes it; an all-or-nothing import
    with a refused row leaves nothing behind."""
    widget, other = pg_browser
    widget.open_table("person")
    path = tmp_path / "all.csv"
    widget.choose_export_path = widget.choose_import_path = lambda: path
    with qtbot.waitSignal(widget.csvFinished, timeout=90_000):
        widget.export_button.click()
    assert f"Exported {POSTGRES_ROWS} row(s)" in widget.status_label.text()
    with qtbot.waitSignal(widget.csvFinished, timeout=90_000):
        widget.import_button.click()
    assert widget.last_dialog.summary.text() == f"Inserted {POSTGRES_ROWS} row(s); rejected 0."
    wait_for_count(qtbot, widget, 2 * POSTGRES_ROWS)
    assert committed(other, "SELECT count(*) FROM person") == [(2 * POSTGRES_ROWS,)]
    path.write_text("person.name,person.age\nDora,5\nEve,500\n", encoding="utf-8")
    with qtbot.waitSignal(widget.csvFinished, timeout=90_000):
        widget.import_button.click()
    assert "Nothing was imported" in widget.last_dialog.summary.text()
    assert widget.last_dialog.rejected_table.item(0, 0).text() == "3"
    assert committed(other, "SELECT count(*) FROM person WHERE name = 'Dora'") == [(0,)]
    qtbot.waitUntil(lambda: committed(
        other, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        == [(2,)])  # the window's own connection and ``other``


# --- the app's models: read off the GUI thread, again after a save, and what they leave out ---

def table_texts(browser) -> list[str]:
    tree = browser.tables_tree
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]


SLOW_MODEL = """
    import os, time
    give_up = time.monotonic() + 10  # on the GUI thread, the test would wait for this
    while not os.path.exists({release!r}) and time.monotonic() < give_up:
        time.sleep(0.01)  # a slow database server, until the test says it is done
    db = DAL('sqlite://storage.sqlite')
    db.define_table('product', Field('title'))
"""


def test_the_models_run_off_the_gui_thread(qtbot, root):
    from event_loop import finished_later

    release = root / "models-may-finish"
    write_app(root, "shop", {"models/db.py": SLOW_MODEL.format(release=str(release))})
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    with finished_later(qtbot, widget.tablesListed):
        widget.set_application("shop")
        assert "Reading the models of shop" in widget.status_label.text()
        qtbot.wait(1)  # the event loop turns while the models are still running
        assert "Reading the models of shop" in widget.status_label.text()
        release.touch()
    assert table_texts(widget) == ["product"]


def test_a_saved_model_file_and_refresh_read_the_tables_again(qtbot, root):
    app = write_app(root, "shop", {"models/db.py": "db = DAL('sqlite://storage.sqlite')\n"
                                   "db.define_table('product', Field('title'))\n"})
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.tablesListed):
        widget.set_application("shop")
    widget.open_table("product")
    model_file = app / "models/db.py"
    model_file.write_text(model_file.read_text() + "db.define_table('order', Field('qty', 'integer'))\n")
    with qtbot.waitSignal(widget.tablesListed):
        widget.model_file_saved(model_file)
    assert table_texts(widget) == ["product", "order"]
    assert widget.model is not None and widget.model.info.name == "product"  # kept open
    (app / "models/extra.py").write_text("db.define_table('note', Field('body'))\n")
    widget.model_file_saved(app / "controllers/default.py")  # not a model: nothing to do
    assert "note" not in " ".join(table_texts(widget))
    with qtbot.waitSignal(widget.tablesListed):
        widget.refresh_button.click()
    assert table_texts(widget) == ["product", "order", "note"]


def test_tables_no_model_defines_are_listed_read_only(qtbot, root):
    app = write_app(root, "shop", {"models/db.py": "db = DAL('sqlite://storage.sqlite')\n"
                                   "db.define_table('product', Field('title'))\n"})
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.tablesListed):
        widget.set_application("shop")
    widget.db.executesql("CREATE TABLE legacy (code TEXT, amount REAL)")
    widget.db.executesql("INSERT INTO legacy VALUES ('a', 1.5)")
    widget.db.commit()
    (app / "models/db.py").write_text("db = DAL('sqlite://storage.sqlite')\n")  # model removed
    with qtbot.waitSignal(widget.tablesListed):
        widget.reload_models()
    assert table_texts(widget) == ["legacy (no model: read-only)",
                                   "product (no model: read-only)"]
    widget.tables_tree.setCurrentItem(widget.tables_tree.topLevelItem(0))
    assert widget.model is not None, widget.message_label.text()
    assert widget.model.read_only and not widget.model.editable
    assert column_values(widget, "code") == ["a"]
    assert "read-only (defined by no model)" in widget.count_label.text()
    assert not widget.insert_button.isEnabled() and not widget.import_button.isEnabled()
    assert not widget.model.flags(widget.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not widget.model.setData(widget.model.index(0, 1), "b")


def test_csv_export_suggests_the_table_in_the_apps_private_folder(qtbot, root, db):
    from desktop.database_browser import with_csv_suffix

    write_app(root, "shop", {"controllers/default.py": ""})
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    widget.application = "shop"
    widget.set_databases({"db": db})
    widget.open_table("person")
    assert widget.suggested_csv_path() == root / "applications/shop/private/person.csv"
    assert with_csv_suffix(root / "people") == root / "people.csv"
    assert with_csv_suffix(root / "people.txt") == root / "people.txt"
