"""Tables in the database file that no model defines, on real SQLite (and PostgreSQL)."""

from __future__ import annotations

import pytest
from pydal import DAL, Field

from server.manage import dbinspect, stored_tables


@pytest.fixture
def db(tmp_path):
    database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    database.define_table("person", Field("name"))
    database.executesql("CREATE TABLE legacy (code TEXT, amount REAL, n INTEGER, born DATE)")
    database.executesql("INSERT INTO legacy VALUES ('a', 1.5, 3, '2020-01-02'), "
                        "('b', 2.5, 4, NULL)")
    database.executesql("CREATE TABLE keyed (id INTEGER PRIMARY KEY, label TEXT)")
    database.executesql("INSERT INTO keyed(label) VALUES ('x')")
    database.commit()
    yield database
    database.close()


def test_lists_only_the_tables_no_model_defines(db):
    assert stored_tables.stored_table_names(db) == ["keyed", "legacy", "person"]
    assert stored_tables.unmodelled_tables(db) == ["keyed", "legacy"]
    db.define_table("legacy", Field("code"), migrate=False)
    assert stored_tables.unmodelled_tables(db) == ["keyed"]


def test_a_stored_table_reads_through_its_rowid_and_declared_types(db):
    shadow, table = stored_tables.define_stored_table(db, "legacy")
    try:
        assert [(f.name, f.type) for f in table] == [
            ("rowid", "id"), ("code", "text"), ("amount", "double"), ("n", "integer"),
            ("born", "date")]
        rows = dbinspect.page(shadow, table)
        assert [row[:4] for row in rows] == [(1, "a", 1.5, 3), (2, "b", 2.5, 4)]
        assert str(rows[0][4]) == "2020-01-02" and rows[1][4] is None
        assert dbinspect.count(shadow, table) == 2
        assert not any(dbinspect.is_editable(f) for f in table)
    finally:
        shadow.close()
    assert "legacy" not in db.tables  # the app's DAL is left as its models made it


def test_an_integer_id_column_is_the_key(db):
    shadow, table = stored_tables.define_stored_table(db, "keyed")
    try:
        assert [(f.name, f.type) for f in table] == [("id", "id"), ("label", "text")]
        assert dbinspect.page(shadow, table) == [(1, "x")]
    finally:
        shadow.close()


def test_a_missing_table_is_a_clear_error(db):
    with pytest.raises(ValueError, match="no table 'gone'"):
        stored_tables.define_stored_table(db, "gone")


def test_field_types_from_declared_sql_types():
    assert [stored_tables.field_type(kind) for kind in (
        "INTEGER", "bigint", "double precision", "VARCHAR(20)", "bytea", "boolean",
        "timestamp without time zone", "date", "")] == [
        "integer", "integer", "double", "text", "blob", "boolean", "datetime", "date", "text"]
