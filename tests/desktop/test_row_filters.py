"""The database grid's typed query and column filters, on real SQLite and PostgreSQL."""

from __future__ import annotations

import database_fixtures
from database_fixtures import POSTGRES_ROWS, column_values, wait_for_count
from PySide6.QtCore import Qt

# the shared fixtures, used by name
db, browser, pg_browser = database_fixtures.db, database_fixtures.browser, database_fixtures.pg_browser


def test_query_text_filters_rows(qtbot, browser):
    qtbot.keyClicks(browser.filters.query_edit, "db.person.name.startswith('A')")
    qtbot.keyClick(browser.filters.query_edit, Qt.Key.Key_Return)
    assert column_values(browser, "name") == ["Alice", "Anna"]
    wait_for_count(qtbot, browser, 2)


def test_column_filters_combine_with_the_query(qtbot, browser):
    filters = browser.filters.column_filters.edits
    assert list(filters) == ["id", "name", "age"]
    assert filters["age"].accessibleName() == "Filter age"
    browser.filters.query_edit.setText("db.person.age < 35")
    qtbot.keyClicks(filters["name"], "nn")
    qtbot.waitUntil(lambda: column_values(browser, "name") == ["Anna"])
    filters["name"].clear()
    qtbot.keyClicks(filters["age"], "30")
    qtbot.waitUntil(lambda: column_values(browser, "name") == ["Alice"])
    browser.filters.clear_button.click()
    assert len(column_values(browser, "name")) == 3
    assert filters["age"].text() == "" and browser.filters.query_edit.text() == ""


def test_column_filters_line_up_with_the_columns(qtbot, browser):
    browser.resize(900, 500)
    browser.show()
    qtbot.waitExposed(browser)
    header = browser.view.horizontalHeader()
    header.resizeSection(1, 230)
    name_filter = browser.filters.column_filters.edits["name"]
    assert name_filter.width() == 230
    header_left = header.mapTo(browser, header.rect().topLeft()).x()
    filter_left = name_filter.mapTo(browser, name_filter.rect().topLeft()).x()
    assert filter_left == header_left + header.sectionViewportPosition(1)


def test_bad_query_text_shows_message_and_keeps_rows(qtbot, browser):
    browser.filters.query_edit.setText("__import__('os').system('true')")
    browser.filters.apply_button.click()
    assert "field methods" in browser.message_label.text()
    assert len(column_values(browser, "name")) == 3
    browser.filters.query_edit.setText("db.person.name ==")
    browser.filters.apply_button.click()
    assert "Syntax error" in browser.message_label.text()
    browser.filters.query_edit.clear()
    browser.filters.column_filters.edits["age"].setText("old")
    browser.apply_filters()
    assert "'old' is not a valid integer for age" in browser.message_label.text()


def test_postgres_query_and_column_filters(qtbot, pg_browser):
    widget, _ = pg_browser
    widget.open_table("person")
    qtbot.keyClicks(widget.filters.query_edit, "db.person.name.startswith('Anna') & (db.person.age < 50)")
    qtbot.keyClick(widget.filters.query_edit, Qt.Key.Key_Return)
    wait_for_count(qtbot, widget, 360)
    assert all(name.startswith("Anna") for name in column_values(widget, "name"))
    qtbot.keyClicks(widget.filters.column_filters.edits["name"], "ANNA 12")  # case-insensitive
    qtbot.waitUntil(lambda: widget.model.total == 14)
    assert column_values(widget, "name")[:2] == ["Anna 122", "Anna 126"]
    widget.filters.query_edit.setText("db.person.age.belongs([1, 2]) & (db.person.active == True)")
    widget.filters.column_filters.edits["name"].clear()
    widget.apply_filters()
    wait_for_count(qtbot, widget, 30)
    assert set(column_values(widget, "age")) == {"2"}
    widget.filters.clear_button.click()
    wait_for_count(qtbot, widget, POSTGRES_ROWS)


def test_postgres_refused_query_keeps_the_rows_and_the_connection(qtbot, pg_browser):
    """PostgreSQL refuses EXTRACT on text and then every statement until a rollback."""
    widget, _ = pg_browser
    widget.open_table("person")
    widget.filters.query_edit.setText("db.person.age > 97")
    widget.apply_filters()
    wait_for_count(qtbot, widget, 60)
    widget.filters.query_edit.setText("db.person.name.year() == 2000")
    widget.apply_filters()
    assert widget.message_label.text().startswith("Database error:")
    assert "extract" in widget.message_label.text()
    assert widget.model.rowCount() == 60  # the rows of the last query that worked
    wait_for_count(qtbot, widget, 60)
    widget.filters.query_edit.setText("db.person.age > 98")
    widget.apply_filters()
    assert widget.message_label.text() == "" and widget.model.rowCount() == 30
