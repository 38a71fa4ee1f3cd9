"""Tables that exist in a database but in none of the app's models: found and made readable.

An app's database often holds more than its models define today: a table whose model was
deleted or renamed, one made by another program, web2py's session table. :func:`unmodelled_tables`
lists them from the database's own catalogue; :func:`define_stored_table` describes one on a
separate, non-migrating DAL (the app's DAL stays exactly what its models made), with columns
typed from the catalogue, so a browser can show its rows read-only.
"""

from __future__ import annotations

import re

from pydal import DAL, Field
from pydal.objects import Table

SQL_TYPES = (  # (pattern of the declared SQL type, pydal field type), first match wins
    (r"INT", "integer"),
    (r"REAL|FLOA|DOUB|NUMERIC|DECIMAL", "double"),
    (r"BLOB|BYTEA", "blob"),
    (r"BOOL", "boolean"),
    (r"TIMESTAMP|DATETIME", "datetime"),
    (r"DATE", "date"),
    (r"TIME", "time"),
)
SQLITE_ROWID = "rowid"


def stored_table_names(db: DAL) -> list[str]:
    """Every table in the database itself, sorted (SQLite's and PostgreSQL's catalogues)."""
    engine = db._adapter.dbengine
    if engine == "sqlite":
        sql = ("SELECT name FROM sqlite_master WHERE type = 'table' "
               "AND name NOT LIKE 'sqlite_%' ORDER BY name")
    elif engine == "postgres":
        sql = ("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
               "AND table_schema = current_schema() ORDER BY table_name")
    else:
        return []
    try:
        return [row[0] for row in db.executesql(sql)]
    finally:
        _end_read(db)


def unmodelled_tables(db: DAL) -> list[str]:
    """Tables stored in ``db`` that no model defined (case-insensitively, as SQL names are)."""
    defined = {name.lower() for name in db.tables}
    defined |= {str(getattr(db[name], "_rname", "") or "").strip('"').lower() for name in db.tables}
    return [name for name in stored_table_names(db) if name.lower() not in defined]


def stored_columns(db: DAL, name: str) -> list[tuple[str, str]]:
    """``(column, declared SQL type)`` of table ``name``, in table order."""
    if name not in stored_table_names(db):
        raise ValueError(f"there is no table {name!r} in this database")
    try:
        if db._adapter.dbengine == "sqlite":
            return [(row[1], row[2] or "") for row in
                    db.executesql(f"PRAGMA table_info({_quoted(name)})")]
        return [tuple(row) for row in db.executesql(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
            "%s AND table_schema = current_schema() ORDER BY ordinal_position", (name,))]
    finally:
        _end_read(db)


def field_type(sql_type: str) -> str:
    """The pydal type that reads a column declared as ``sql_type`` (text when unsure)."""
    for pattern, kind in SQL_TYPES:
        if re.search(pattern, sql_type, re.IGNORECASE):
            return kind
    return "text"


def define_stored_table(db: DAL, name: str) -> tuple[DAL, Table]:
    """A read-only view of stored table ``name``: a new DAL on the same database, and the table.

    Rows are addressed by an integer ``id`` column when there is one, else by SQLite's rowid;
    a PostgreSQL table without one is keyed on its first column. The caller closes the DAL.
    """
    columns = stored_columns(db, name)
    shadow = DAL(db._uri, folder=db._adapter.folder, migrate_enabled=False, check_reserved=None,
                 pool_size=0, attempts=1)
    names = [column.lower() for column, _kind in columns]
    has_integer_id = "id" in names and field_type(columns[names.index("id")][1]) == "integer"
    fields = [Field(column, "id" if has_integer_id and column.lower() == "id"
                    else field_type(kind), writable=False, rname=_quoted(column))
              for column, kind in columns]
    options = {}
    if not has_integer_id and db._adapter.dbengine == "sqlite":
        fields.insert(0, Field(SQLITE_ROWID, "id", writable=False))
    elif not has_integer_id:
        options["primarykey"] = [columns[0][0]]
    table = shadow.define_table(name, *fields, migrate=False, rname=_quoted(name), **options)
    return shadow, table


def _end_read(db: DAL) -> None:
    """PostgreSQL opened a transaction for the catalogue read: end it. SQLite opened none, and
    a rollback there would drop whatever the caller has not committed yet."""
    if db._adapter.dbengine != "sqlite":
        db.rollback()


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
