"""Database introspection and editing for the desktop's database browser.

Everything here takes a pydal ``DAL`` and works for any URI the DAL supports. Writes go through
the table's validators and are committed on success; on any failure the transaction is rolled
back and a readable message is returned, so a caller never sees a half-applied change.

Typed queries are parsed by :mod:`server.manage.dbquery` (``ast`` over a whitelist, never
``eval``), typed values by :mod:`server.manage.dbvalues`; this module is the browser's API.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydal import DAL
from pydal.helpers.methods import bar_decode_integer, bar_decode_string, bar_encode
from pydal.objects import Field, Query, Table

from server.files import atomic_file
from server.manage.dbquery import QueryError, combine, parse_query, quick_filter
from server.manage.dbvalues import (
    JSON_TYPES,
    NULL_TEXT,
    TEXT_TYPES,
    as_text,
    parse_by_type,
    value_from_text,
)
from server.manage.progress import Cancelled, Progress
from server.transactions import quiet_rollback

# The desktop's API is this module; queries and typed values are parsed in their own modules.
__all__ = [
    "JSON_TYPES", "NULL_TEXT", "PAGE_SIZE", "TEXT_TYPES", "Cancelled", "FieldInfo",
    "ImportReport", "Progress",
    "QueryError", "TableInfo", "app_databases", "combine", "count", "database_error",
    "delete_row", "describe_errors", "describe_table", "describe_tables", "export_csv",
    "has_id", "id_field", "import_csv", "insert_row", "is_editable", "page", "parse_query",
    "quick_filter", "update_cell", "value_from_text",
]

PAGE_SIZE = 200
DRIVER_READY_TYPES = frozenset({"id", "string", "text", "password", "upload", "integer",
                                "bigint", "double", "float"})


@dataclass(frozen=True)
class FieldInfo:
    name: str
    type: str
    writable: bool
    notnull: bool
    unique: bool


@dataclass(frozen=True)
class TableInfo:
    name: str
    fields: list[FieldInfo]
    has_id: bool

    @property
    def field_names(self) -> list[str]:
        return [info.name for info in self.fields]


@dataclass
class ImportReport:
    """What an import did: rows inserted, and ``(line number, reason)`` for each refused row."""

    inserted: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    rolled_back: bool = False
    cancelled: bool = False  # stopped by the user before the end of the file


# --- discovery -------------------------------------------------------------------------------

def app_databases(root: Path, app_name: str) -> dict[str, DAL]:
    """Run the app's models the way a request would and return every DAL they define, by name
    (still open: they are the caller's to close)."""
    from server.execution import model_environment

    with model_environment(Path(root), app_name, keep_databases=True) as environment:
        found = {name: value for name, value in environment.items() if isinstance(value, DAL)}
    return dict(sorted(found.items(), key=lambda item: (item[0] != "db", item[0])))


def describe_tables(db: DAL) -> list[TableInfo]:
    return [describe_table(db[name]) for name in db.tables]


def describe_table(table: Table) -> TableInfo:
    fields = [
        FieldInfo(f.name, str(f.type), is_editable(f),
                  bool(f.notnull), bool(f.unique))
        for f in table
    ]
    return TableInfo(table._tablename, fields, has_id=has_id(table))


def is_editable(field_obj: Field) -> bool:
    """Writable, not the id, not computed, and typed as text (a blob cannot be typed in)."""
    return (bool(field_obj.writable) and field_obj.type not in ("id", "blob")
            and not field_obj.compute)


def has_id(table: Table) -> bool:
    """Rows can be addressed (and so edited) only through an ``id`` field."""
    return any(f.type == "id" for f in table)


def id_field(table: Table) -> Field | None:
    return next((f for f in table if f.type == "id"), None)


# --- reading ---------------------------------------------------------------------------------

@contextmanager
def _rolled_back_on_error(db: DAL) -> Iterator[None]:
    """End the transaction when a statement fails, then let the error through.

    PostgreSQL refuses every later statement of a transaction in which one failed ("current
    transaction is aborted"), so without this one bad query would break the browser until the
    app is reopened. Our writes always commit, so there is nothing of ours to lose.
    """
    try:
        yield
    except Exception:
        quiet_rollback(db)
        raise


def _selection(db: DAL, table: Table, query: Query | None):
    return db(query if query is not None else table)


def _ordering(table: Table, orderby: str | None, descending: bool):
    """Sort by the chosen field, then by id so pages never overlap or skip rows."""
    key_field = id_field(table)
    if orderby:
        chosen = table[orderby]
        tie = key_field if key_field is not None and key_field is not chosen else None
        sort_key = as_text(chosen) if str(chosen.type) in JSON_TYPES else chosen
        ordering = ~sort_key if descending else sort_key
        return ordering if tie is None else ordering | (~tie if descending else tie)
    if key_field is not None:
        return ~key_field if descending else key_field
    return None


def page(db: DAL, table: Table, query: Query | None = None, orderby: str | None = None,
         descending: bool = False, offset: int = 0, limit: int = PAGE_SIZE,
         after_id: int | None = None) -> list[tuple]:
    """One page of rows as tuples in ``table.fields`` order.

    With no ``orderby`` and a known ``after_id`` (the last id of the previous page) the page is
    found through the id index instead of OFFSET, so the last page of a huge table is as quick
    as the first.
    """
    key_field = id_field(table)
    if after_id is not None and not orderby and key_field is not None:
        boundary = key_field < after_id if descending else key_field > after_id
        query = boundary if query is None else query & boundary
        offset = 0
    fields = [table[name] for name in table.fields]
    with _rolled_back_on_error(db):
        sql = _selection(db, table, query)._select(
            *fields, orderby=_ordering(table, orderby, descending),
            limitby=(offset, offset + limit))
        return _converted(db, fields, db.executesql(sql))


def _converted(db: DAL, fields: list[Field], raw_rows: list) -> list[tuple]:
    """Turn driver values into Python ones, only for the columns that need it.

    Bypassing pydal's Row building keeps a page of plain text and numbers nearly free, which
    is what makes scrolling through a million rows bearable.
    """
    adapter = db._adapter
    converters = [
        (index, field_obj) for index, field_obj in enumerate(fields)
        if not isinstance(field_obj.type, str) or str(field_obj.type) not in DRIVER_READY_TYPES
    ]
    if not converters:
        return [tuple(row) for row in raw_rows]
    rows = []
    for raw in raw_rows:
        row = list(raw)
        for index, field_obj in converters:
            row[index] = adapter.parse_value(row[index], field_obj._itype, field_obj.type)
        rows.append(tuple(row))
    return rows


def count(db: DAL, table: Table, query: Query | None = None,
          progress: Progress | None = None) -> int:
    """The number of rows matching ``query``. A cancel through ``progress`` stops the statement
    itself (SQLite's ``interrupt``, PostgreSQL's ``cancel``) and raises :class:`Cancelled`, as
    does one that came too late to stop it: the caller no longer wants the number."""
    progress = progress or Progress()
    with _rolled_back_on_error(db), progress.interrupting(_statement_stopper(db)):
        try:
            progress.check()
            total = _selection(db, table, query).count()
        except Exception:
            if progress.cancelled:
                raise Cancelled("counting cancelled") from None
            raise
    progress.check()
    return total


def _statement_stopper(db: DAL) -> Callable[[], object]:
    """What stops this thread's running statement from another thread, or a no-op."""
    connection = getattr(db._adapter, "connection", None)
    return getattr(connection, "interrupt", None) or getattr(connection, "cancel", None) \
        or (lambda: None)


# --- writing ---------------------------------------------------------------------------------

def update_cell(db: DAL, table: Table, record_id: int, field_name: str, text: str) -> str | None:
    """Validate and store one cell; return None on success or the error message."""
    if not has_id(table):
        return "This table has no id field, so it is read-only here."
    errors = _write(db, lambda values: table.validate_and_update(record_id, **values),
                    table, {field_name: text})
    if errors is None:
        return None
    return errors.get(field_name) or describe_errors(errors)


def describe_errors(errors: dict) -> str:
    """``{field: message}`` as one line; the "" key holds messages about the whole row."""
    return "; ".join(f"{name}: {message}" if name else message for name, message in errors.items())


def insert_row(db: DAL, table: Table, texts: dict[str, str]) -> tuple[int | None, dict]:
    """Validate and insert a row from field texts; return ``(new id, {})`` or ``(None, errors)``.

    An empty text for a field that has a default is left out, so the default applies.
    """
    if not has_id(table):
        return None, {"": "This table has no id field, so it is read-only here."}
    texts = {name: text for name, text in texts.items()
             if text != "" or name not in table.fields or table[name].default is None}
    outcome: dict = {}

    def insert(values):
        result = table.validate_and_insert(**values)
        outcome["id"] = result["id"]
        return result

    errors = _write(db, insert, table, texts)
    return (outcome.get("id"), {}) if errors is None else (None, errors)


def _write(db: DAL, operation, table: Table, texts: dict[str, str]) -> dict | None:
    """Parse, run ``operation`` (a validate_and_* call), commit, or roll back and report."""
    values, errors = {}, {}
    for name, text in texts.items():
        if name not in table.fields:
            errors[name] = "no such field"
            continue
        try:
            values[name] = value_from_text(table[name], text)
        except ValueError as error:
            errors[name] = f"invalid {table[name].type}: {error}"
    if errors:
        return errors
    try:
        result = operation(values)
        if result["errors"]:
            db.rollback()
            return {name: str(message) for name, message in result["errors"].items()}
        if result.get("updated") == 0:
            db.rollback()
            return {"": "The row no longer exists."}
        db.commit()
        return None
    except Exception as error:  # any driver error (constraint, lock, type) becomes a message
        quiet_rollback(db)
        return {"": database_error(error)}


def database_error(error: Exception) -> str:
    """A driver error as one message (PostgreSQL's end with a newline)."""
    return f"Database error: {str(error).strip()}"


def delete_row(db: DAL, table: Table, record_id: int) -> str | None:
    """Delete one row by id and commit; return None or the error message (rolled back)."""
    key_field = id_field(table)
    if key_field is None:
        return "This table has no id field, so it is read-only here."
    try:
        deleted = db(key_field == record_id).delete()
        db.commit()
    except Exception as error:
        quiet_rollback(db)
        return database_error(error)
    return None if deleted else "The row no longer exists."


# --- CSV -------------------------------------------------------------------------------------

def export_csv(db: DAL, table: Table, query: Query | None, path: Path,
               progress: Progress | None = None) -> int:
    """Write the rows matching ``query`` (all rows if None) in the DAL's CSV format.

    ``progress`` hears rows written of the rows counted first; rows are streamed, so a large
    table is never held in memory. The file appears complete or not at all: a cancel
    (:class:`Cancelled`) or a failure leaves whatever was at ``path`` before.

    Written here rather than by ``Rows.export_to_csv_file``, which fails on blobs: pydal hands
    a blob back as text when its bytes are UTF-8 and base64-encodes it as bytes, writing
    ``b'...'`` (or raising on text). Here a blob is its bytes in base64, a json field is JSON
    (the DAL would write a Python repr), and the rest reads as the DAL writes it.
    """
    fields = [table[name] for name in table.fields]
    progress = progress or Progress()
    with _rolled_back_on_error(db), atomic_file(Path(path)) as raw, \
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as stream:
        selection = _selection(db, table, query)
        total = selection.count()
        progress.advance(0, total)
        writer = csv.writer(stream)
        writer.writerow([f"{table._tablename}.{field_obj.name}" for field_obj in fields])
        done = 0
        for done, row in enumerate(selection.iterselect(
                *fields, orderby=_ordering(table, None, False)), 1):  # streamed, not all held
            writer.writerow([_csv_text(field_obj, row[field_obj.name]) for field_obj in fields])
            progress.advance(done, total)
    return done


def _csv_text(field_obj: Field, value: Any) -> Any:
    """One value as the DAL's CSV writer puts it (``<NULL>``, ``|a|b|`` lists, ISO dates)."""
    kind = str(field_obj.type)
    if value is None:
        return NULL_TEXT
    if kind == "blob":
        data = value if isinstance(value, (bytes, bytearray)) else str(value).encode("utf-8")
        return base64.b64encode(data).decode("ascii")
    if kind in JSON_TYPES:
        return json.dumps(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)  # a reference's plain id
    if hasattr(value, "isoformat"):
        return value.isoformat()[:19].replace("T", " ")
    if isinstance(value, (list, tuple)):
        return bar_encode(value)
    return value


def import_csv(db: DAL, table: Table, path: Path, atomic: bool = True,
               progress: Progress | None = None) -> ImportReport:
    """Insert the rows of a CSV file (as written by ``export_csv``), each one validated.

    Ids in the file are ignored (rows get new ids). With ``atomic`` (the default) the file is
    one transaction, as web2py's appadmin imports it: a single refused row rolls back the whole
    file, and so does a cancel. Otherwise the valid rows are kept, and a cancel keeps the rows
    inserted before it. Every refused row is reported with its line number and the reason.
    ``progress`` hears bytes read of the file's size.
    """
    report = ImportReport()
    if not has_id(table):
        report.rejected.append((0, "This table has no id field, so it is read-only here."))
        return report
    savepoints = _aborts_on_error(db)
    try:
        for line_number, values in _csv_records(table, Path(path), progress or Progress()):
            _import_one(db, table, line_number, values, report, savepoints)
    except (ValueError, csv.Error, UnicodeDecodeError) as error:
        report.rejected.append((0, f"Unreadable file: {error}"))
    except Cancelled:
        report.cancelled = True
    return _finish_import(db, report, atomic)


def _aborts_on_error(db: DAL) -> bool:
    """Whether a failed statement aborts the whole transaction (PostgreSQL does)."""
    return getattr(db._adapter, "dbengine", "") == "postgres"


def _import_one(db: DAL, table: Table, line_number: int, values: dict | str,
                report: ImportReport, savepoint: bool) -> None:
    """Insert one row. With ``savepoint`` a row the database refuses is undone on its own, so
    the transaction (and the rows before and after it) stays usable."""
    if isinstance(values, str):
        report.rejected.append((line_number, values))
        return
    try:
        if savepoint:
            db.executesql("SAVEPOINT pocketweb_import_row")
        result = table.validate_and_insert(**values)
        if savepoint:
            db.executesql("RELEASE SAVEPOINT pocketweb_import_row")
    except Exception as error:  # constraint or type refused by the database
        if savepoint:
            db.executesql("ROLLBACK TO SAVEPOINT pocketweb_import_row")
        report.rejected.append((line_number, database_error(error)))
        return
    if result["errors"]:
        report.rejected.append((line_number, describe_errors(result["errors"])))
    else:
        report.inserted += 1


def _finish_import(db: DAL, report: ImportReport, atomic: bool) -> ImportReport:
    if (report.rejected or report.cancelled) and atomic:
        db.rollback()
        report.inserted, report.rolled_back = 0, True
    else:
        db.commit()
    return report


def _csv_records(table: Table, path: Path, progress: Progress):
    """Yield ``(line number, values or reason)`` for each data line; the id column is dropped."""
    size = path.stat().st_size
    with open(path, encoding="utf-8", newline="") as stream:
        reader = csv.reader(_counted_lines(stream, size, progress))
        header = next(reader, None)
        if not header:
            raise ValueError("the file is empty")
        names = [column.split(".", 1)[-1] for column in header]
        unknown = [name for name in names if name not in table.fields]
        if unknown:
            raise ValueError(f"unknown columns: {', '.join(unknown)}")
        for cells in reader:
            if cells:
                yield reader.line_num, _csv_values(table, names, cells)


def _counted_lines(lines: Iterable[str], size: int, progress: Progress) -> Iterator[str]:
    """``lines`` as they are, telling ``progress`` the bytes read so far of ``size``."""
    done = 0
    for line in lines:
        done += len(line.encode("utf-8"))
        progress.advance(min(done, size), size)
        yield line


def _csv_values(table: Table, names: list[str], cells: list[str]) -> dict | str:
    """The row's values by field, or the reason the line cannot be read."""
    if len(cells) != len(names):
        return f"expected {len(names)} values, found {len(cells)}"
    values = {}
    for name, cell in zip(names, cells, strict=True):
        if table[name].type == "blob" and cell != NULL_TEXT:
            try:
                values[name] = base64.b64decode(cell, validate=True)
            except binascii.Error:
                return f"{name}: not base64-encoded data"
        elif table[name].type != "id":
            values[name] = _csv_cell(table[name], cell)
    return values


def _csv_cell(field_obj: Field, cell: str) -> Any:
    """Undo the DAL's CSV encoding: ``<NULL>``, ``|a|b|`` lists; the rest goes to validators."""
    kind = str(field_obj.type)
    if cell == NULL_TEXT:
        return None
    if kind == "list:string" or kind.startswith("list:reference"):
        return bar_decode_string(cell)
    if kind.startswith("list:"):
        return bar_decode_integer(cell)
    if field_obj.requires and kind != "boolean":
        return cell
    try:
        return parse_by_type(kind, cell)
    except ValueError:
        return cell
