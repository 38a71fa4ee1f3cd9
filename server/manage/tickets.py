"""Reading an app's error tickets from outside a request: list, load, delete (the desktop's API).

The tickets themselves are written by :mod:`server.tickets` when a request fails. Ticket ids
coming from a user are checked against the id pattern before any file is touched.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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
    """The whole ticket. Missing: FileNotFoundError; malformed id or damaged file: ValueError."""
    text = ticket_path(app_folder, ticket_id).read_text(encoding="utf-8")
    try:
        ticket = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"ticket {ticket_id} is damaged: {exc}") from exc
    if not isinstance(ticket, dict):
        raise ValueError(f"ticket {ticket_id} is damaged: not an object")
    return ticket


def list_tickets(app_folder: Path) -> list[TicketSummary]:
    """Every readable ticket of the app, newest first; unreadable files are skipped."""
    folder = Path(app_folder) / ERRORS_FOLDER
    if not folder.is_dir():
        return []
    summaries = []
    for entry in folder.iterdir():
        if TICKET_ID.match(entry.name):
            summary = _summary(app_folder, entry.name)
            if summary is not None:
                summaries.append(summary)
    summaries.sort(key=lambda s: s.time, reverse=True)
    return summaries


def _summary(app_folder: Path, ticket_id: str) -> TicketSummary | None:
    try:
        ticket = load_ticket(app_folder, ticket_id)
        request = ticket.get("request") or {}
        return TicketSummary(
            id=ticket_id,
            time=datetime.fromisoformat(ticket["time"]),
            error_type=str(ticket.get("error_type", "")),
            message=str(ticket.get("message", "")),
            url=str(request.get("url", "")) if isinstance(request, dict) else "",
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def delete_ticket(app_folder: Path, ticket_id: str) -> bool:
    """Remove one ticket; False when it was already gone. A malformed id raises ValueError."""
    try:
        ticket_path(app_folder, ticket_id).unlink()
    except FileNotFoundError:
        return False
    return True


def delete_all_tickets(app_folder: Path) -> int:
    """Remove every ticket of the app (other files in errors/ are left alone); how many went."""
    folder = Path(app_folder) / ERRORS_FOLDER
    if not folder.is_dir():
        return 0
    return sum(delete_ticket(app_folder, entry.name)
               for entry in folder.iterdir() if TICKET_ID.match(entry.name))


class TicketListing:
    """The tickets of one app, kept current by reading only what changed in errors/.

    :meth:`changes` compares the folder's listing with the one before: tickets that appeared
    are read (one file each), those that went are named; the others are not touched. A ticket
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
            names = {name for name in os.listdir(folder) if TICKET_ID.match(name)}
        except OSError:
            names = set()
        removed = [name for name in self.summaries if name not in names]
        for name in removed:
            del self.summaries[name]
        self._unreadable &= names
        added = []
        for name in names - self.summaries.keys() - self._unreadable:
            summary = _summary(self.app_folder, name)
            if summary is None:
                self._unreadable.add(name)
            else:
                self.summaries[name] = summary
                added.append(summary)
        added.sort(key=lambda s: s.time, reverse=True)
        return added, removed
