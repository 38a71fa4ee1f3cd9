"""Fixtures and helpers shared by the database panel's tests: a small SQLite database, a
browser showing its ``person`` table, and the same on a fresh PostgreSQL database."""

from __future__ import annotations

import time
import uuid

import pytest
from pydal import DAL, Field
from pydal.validators import IS_INT_IN_RANGE, IS_NOT_EMPTY
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication
from support import write_app

from desktop.database_browser import DatabaseBrowser
from desktop.rows_model import PENDING_TEXT


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


def export_rows(qtbot, browser, query: str, path) -> None:
    """Export the rows ``query`` selects to ``path`` through the panel's buttons."""
    browser.filters.query_edit.setText(query)
    browser.apply_filters()
    browser.csv.choose_export_path = lambda: path
    with qtbot.waitSignal(browser.csv.finished):
        browser.csv.export_button.click()


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
