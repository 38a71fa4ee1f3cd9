"""DatabaseBrowser on real SQLite files, with real widgets offscreen."""

from __future__ import annotations

import shutil

import database_fixtures
import pytest
from database_fixtures import POSTGRES_ROWS, column_values, committed, wait_for_count
from pydal import DAL, Field
from pydal._globals import THREAD_LOCAL
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from support import write_app

from desktop.database_browser import DatabaseBrowser
from desktop.table_dialogs import InsertRowDialog
from server.manage import dbinspect

# the shared fixtures, used by name
db, browser, pg_browser = database_fixtures.db, database_fixtures.browser, database_fixtures.pg_browser


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


@pytest.fixture(scope="session")
def million_rows_folder(tmp_path_factory):
    """A database folder whose table ``item`` has a million rows, written once per worker."""
    folder = tmp_path_factory.mktemp("million")
    big = DAL("sqlite://big.sqlite", folder=str(folder))
    big.define_table("item", Field("label"))
    big.executesql("INSERT INTO item(label) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                   "SELECT i + 1 FROM n WHERE i < 1000000) SELECT 'x' || i FROM n")
    big.commit()
    big.close()
    return folder


@pytest.fixture
def million(tmp_path, million_rows_folder):
    """The million rows in a copy of this test's own."""
    shutil.copytree(million_rows_folder, tmp_path / "big")
    big = DAL("sqlite://big.sqlite", folder=str(tmp_path / "big"))
    big.define_table("item", Field("label"))
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
    qtbot.keyClicks(widget.filters.column_filters.edits["label"], "x99999")
    widget.apply_filters()
    assert widget.view.verticalScrollBar().value() == 0
    wait_for_count(qtbot, widget, 11)


def test_counting_shows_a_busy_bar_whose_cancel_keeps_the_first_rows(qtbot, browser, db):
    db.person.bulk_insert([{"name": f"N{i}", "age": 1} for i in range(500)])
    db.commit()
    browser.refresh()
    bar = browser.count_progress
    assert not bar.isHidden() and "Counting the rows of person" in bar.label.text()
    bar.cancel_button.click()  # before the worker's answer can show: it is not wanted
    qtbot.waitUntil(lambda: "Counting cancelled" in browser.message_label.text())
    assert bar.isHidden() and browser.model.rowCount() == dbinspect.PAGE_SIZE
    assert "not counted" in browser.count_label.text()
    browser.refresh()
    wait_for_count(qtbot, browser, 503)
    assert bar.isHidden()


def test_sorting_by_header_orders_rows(browser):
    browser.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert column_values(browser, "name") == ["Bob", "Anna", "Alice"]
    browser.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert column_values(browser, "id") == ["3", "2", "1"]


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


def test_table_without_id_is_read_only(browser):
    browser.open_table("code")
    model = browser.model
    assert not model.flags(model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not browser.insert_button.isEnabled() and not browser.csv.import_button.isEnabled()
    assert "read-only" in browser.count_label.text()
    assert browser.csv.export_button.isEnabled()


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


def test_reading_slow_models_shows_a_busy_bar_whose_cancel_stops_waiting(qtbot, root):
    """A first migration or a slow server: the panel says so with Cancel; a cancel drops the
    answer (Python cannot stop the models) and Refresh reads them again."""
    release = root / "models-may-finish"
    write_app(root, "shop", {"models/db.py": SLOW_MODEL.format(release=str(release))})
    widget = DatabaseBrowser(root)
    qtbot.addWidget(widget)
    bar = widget.models_progress
    widget.set_application("shop")
    assert not bar.isHidden() and (bar.bar.minimum(), bar.bar.maximum()) == (0, 0)
    assert "first run creates its tables" in bar.label.text()
    with qtbot.waitSignal(widget.tablesListed):
        bar.cancel_button.click()
    assert bar.isHidden() and table_texts(widget) == []
    assert "cancelled" in widget.status_label.text() and "Refresh" in widget.status_label.text()
    release.touch()
    with qtbot.waitSignal(widget.tablesListed, timeout=20_000):
        widget.reload_models()
    assert table_texts(widget) == ["product"] and bar.isHidden()


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
    assert not widget.insert_button.isEnabled() and not widget.csv.import_button.isEnabled()
    assert not widget.model.flags(widget.model.index(0, 1)) & Qt.ItemFlag.ItemIsEditable
    assert not widget.model.setData(widget.model.index(0, 1), "b")
