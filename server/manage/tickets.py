"""Reading an app's error tickets from outside a request: list, load, delete (the desktop's API).

The tickets themselves are written by :mod:`server.tickets` when a request fails, as files in
``errors/`` or in the database the app's ``private/ticket_storage.txt`` names
(:mod:`server.ticket_tables`); both kinds are listed, shown and deleted alike. Ticket ids coming
from a user are checked against the id pattern before any file or table is touched.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from server import ticket_tables
from server.paths import safe_join
from server.tickets import ERRORS_FOLDER, TICKET_ID


@dataclass(frozen=True)
class TicketSummary:
    """One line of the tickets list."""

    id: str
    time: datetime
    error_type: str
    message: str
    url: str


def ticket_path(app_folder: Path, ticket_id: str) -> Path:
    """The file of a ticket; a malformed id raises ValueError before any file is touched."""
    if not isinstance(ticket_id, str) or not TICKET_ID.match(ticket_id):
        raise ValueError(f"not a ticket id: {ticket_id!r}")
    return safe_join(Path(app_folder) / ERRORS_FOLDER, ticket_id)


def load_ticket(app_folder: Path, ticket_id: str) -> dict:
    """The whole ticket, from its file or its database. Missing: FileNotFoundError; malformed
    id or damaged ticket: ValueError."""
    path = ticket_path(app_folder, ticket_id)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        with ticket_tables.configured_db(app_folder) as db:
            ticket = ticket_tables.load(db, Path(app_folder).name, ticket_id) if db else None
        if ticket is None:
            raise
        return ticket
    try:
        ticket = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"ticket {ticket_id} is damaged: {exc}") from exc
    if not isinstance(ticket, dict):
        raise ValueError(f"ticket {ticket_id} is damaged: not an object")
    return ticket


def list_tickets(app_folder: Path) -> list[TicketSummary]:
    """Every readable ticket of the app, newest first; unreadable ones are skipped."""
    added, _ = TicketListing(app_folder).changes()
    return added


def _summary(ticket_id: str, load) -> TicketSummary | None:
    """The summary of the ticket ``load()`` returns; None when it cannot be read."""
    try:
        ticket = load()
        request = ticket.get("request") or {}
        return TicketSummary(
            id=ticket_id,
            time=datetime.fromisoformat(ticket["time"]),
            error_type=str(ticket.get("error_type", "")),
            message=str(ticket.get("message", "")),
            url=str(request.get("url", "")) if isinstance(request, dict) else "",
        )
    except Exception:  # a damaged file, row or database: skipped, never fatal to the listing
        return None


def delete_ticket(app_folder: Path, ticket_id: str) -> bool:
    """Remove one ticket; False when it was already gone. A malformed id raises ValueError."""
    try:
        ticket_path(app_folder, ticket_id).unlink()
    except FileNotFoundError:
        with ticket_tables.configured_db(app_folder) as db:
            return bool(db) and ticket_tables.delete(db, Path(app_folder).name, [ticket_id]) > 0
    return True


def delete_all_tickets(app_folder: Path) -> int:
    """Remove every ticket of the app (other files in errors/ are left alone); how many went."""
    folder = Path(app_folder) / ERRORS_FOLDER
    count = sum(delete_ticket(app_folder, entry.name) for entry in folder.iterdir()
                if TICKET_ID.match(entry.name)) if folder.is_dir() else 0
    with ticket_tables.configured_db(app_folder) as db:
        if db is not None:
            app_name = Path(app_folder).name
            count += ticket_tables.delete(db, app_name, ticket_tables.ticket_ids(db, app_name))
    return count


class TicketListing:
    """The tickets of one app, kept current by reading only what changed in errors/ (and in
    the ticket table of ``private/ticket_storage.txt``'s database, when the app has one).

    :meth:`changes` compares the listing with the one before: tickets that appeared are read
    (one file or row each), those that went are named; the others are not touched. A ticket
    rewritten in place keeps its summary (tickets are written once). Not thread-safe: one
    caller at a time (the desktop runs it on one worker at a time).
    """

    def __init__(self, app_folder: Path):
        self.app_folder = Path(app_folder)
        self.summaries: dict[str, TicketSummary] = {}
        self.listed_once = False  # for a caller that reports the first listing differently
        self._unreadable: set[str] = set()

    def changes(self) -> tuple[list[TicketSummary], list[str]]:
        """``(added, removed ids)`` since the last call; added newest first."""
        folder = self.app_folder / ERRORS_FOLDER
        try:
            files = {name for name in os.listdir(folder) if TICKET_ID.match(name)}
        except OSError:
            files = set()
        with ticket_tables.configured_db(self.app_folder) as db:
            stored = self._stored_ids(db)
            names = files | stored
            removed = [name for name in self.summaries if name not in names]
            for name in removed:
                del self.summaries[name]
            self._unreadable &= names
            added = []
            for name in names - self.summaries.keys() - self._unreadable:
                summary = self._read(name, db if name not in files else None)
                if summary is None:
                    self._unreadable.add(name)
                else:
                    self.summaries[name] = summary
                    added.append(summary)
        added.sort(key=lambda s: s.time, reverse=True)
        return added, removed

    def _stored_ids(self, db) -> set[str]:
        if db is None:
            return set()
        try:
            return {name for name in ticket_tables.ticket_ids(db, self.app_folder.name)
                    if TICKET_ID.match(name or "")}
        except Exception:  # an unreachable database leaves the files listed
            return set()

    def _read(self, ticket_id: str, db) -> TicketSummary | None:
        if db is None:
            return _summary(ticket_id, lambda: load_ticket(self.app_folder, ticket_id))
        return _summary(ticket_id, lambda: ticket_tables.load(db, self.app_folder.name,
                                                              ticket_id))
