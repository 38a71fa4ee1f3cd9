"""web2py's tickets in a database: the table ``web2py_ticket_<app>`` (``ticket_id``,
``ticket_data``, ``created_datetime``), for apps served by many processes or machines whose
``errors/`` folders are not one.

An app chooses it as in web2py. ``request.tickets_db = db`` in a model stores the tickets of its
failing requests in ``db`` (after the request's own work was rolled back), and
``private/ticket_storage.txt`` holding a connection string — the file web2py's admin reads —
tells everything outside a request where they are: the desktop's tickets panel lists them from
there, and with that file alone new tickets are stored there too. A ticket that cannot be
stored in its database is written to ``errors/`` instead: none is lost.

``ticket_data`` holds Pocketweb's JSON ticket (web2py pickles it; a pickle read from a database
would run code, so none is ever loaded).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from pydal import DAL, Field

log = logging.getLogger("pocketweb.ticket_tables")

TABLE_PREFIX = "web2py_ticket"
STORAGE_FILE = Path("private") / "ticket_storage.txt"


def ticket_table(db: Any, app_name: str, prefix: str = TABLE_PREFIX) -> Any:
    """The app's ticket table in ``db``: defined over the table another process made, or
    created when the database has none (where ``db`` allows migrations)."""
    name = f"{prefix}_{app_name}"
    if name in db.tables:
        return db[name]
    table = _define(db, name, migrate=False)
    try:
        db(table).isempty()
    except Exception:  # not there yet
        db.rollback()
        table = _define(db, name, migrate=True, redefine=True)
    return table


def _define(db: Any, name: str, **options: Any) -> Any:
    return db.define_table(name, Field("ticket_id", length=100), Field("ticket_data", "text"),
                           Field("created_datetime", "datetime"), **options)


def configured_uri(app_folder: Path) -> str | None:
    """The connection string in the app's ``private/ticket_storage.txt``; None without one."""
    try:
        text = (Path(app_folder) / STORAGE_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return "".join(text.split()) or None


@contextmanager
def configured_db(app_folder: Path) -> Iterator[Any]:
    """``with configured_db(app) as db:`` the database ``ticket_storage.txt`` names (None when
    there is none, or it cannot be opened: logged), closed at the end."""
    uri = configured_uri(app_folder)
    db = None
    if uri is not None:
        try:
            db = DAL(uri, folder=str(Path(app_folder) / "databases"), auto_import=True)
        except Exception:
            log.exception("%s/%s: cannot open the ticket database", app_folder, STORAGE_FILE)
    try:
        yield db
    finally:
        if db is not None:
            db.close()


def store(db: Any, app_name: str, ticket_id: str, ticket: dict, when: datetime,
          prefix: str = TABLE_PREFIX) -> None:
    """Insert and commit one ticket; rolled back and raised when that fails."""
    try:
        ticket_table(db, app_name, prefix).insert(
            ticket_id=ticket_id, created_datetime=when,
            ticket_data=json.dumps(ticket, ensure_ascii=False, default=repr))
        db.commit()
    except Exception:
        db.rollback()
        raise


def load(db: Any, app_name: str, ticket_id: str, prefix: str = TABLE_PREFIX) -> dict | None:
    """The ticket, or None when the table has none of that id; ValueError when it is damaged."""
    table = ticket_table(db, app_name, prefix)
    row = db(table.ticket_id == ticket_id).select(table.ticket_data, limitby=(0, 1)).first()
    if row is None:
        return None
    try:
        ticket = json.loads(row.ticket_data or "")
    except json.JSONDecodeError as exc:
        raise ValueError(f"ticket {ticket_id} is damaged: {exc}") from exc
    if not isinstance(ticket, dict):
        raise ValueError(f"ticket {ticket_id} is damaged: not an object")
    return ticket


def ticket_ids(db: Any, app_name: str) -> list[str]:
    table = ticket_table(db, app_name)
    return [row.ticket_id for row in db(table).select(table.ticket_id)]


def delete(db: Any, app_name: str, ids: list[str]) -> int:
    """Remove the tickets of ``ids``; how many were there. Committed."""
    table = ticket_table(db, app_name)
    count = db(table.ticket_id.belongs(ids)).delete() if ids else 0
    db.commit()
    return count
