"""web2py's ``gluon.restricted``: run app code in an environment, and the error that a failure
in it becomes (``RestrictedError``), which writes a Pocketweb ticket when logged.

``TicketStorage`` is web2py's face over ticket files (appadmin's error pages use it) and, given
``db``, over web2py's ticket table (:mod:`server.ticket_tables`); tickets are the JSON tickets of
:mod:`server.tickets`, so the desktop's panel lists the same ones.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

from server import ticket_tables, tickets
from server.manage.tickets import load_ticket, ticket_path
from server.storage import Storage

if TYPE_CHECKING:
    from pydal import DAL

# the request of the running app, or a Storage standing in for one (apps' test harnesses)
AppRequest = Any


class RestrictedError(Exception):
    """App code failed in ``layer`` (a file name or a description such as a view's path)."""

    def __init__(self, layer: str = "", code: str = "", output: str = "",
                 environment: dict | None = None) -> None:
        super().__init__(layer, output)
        self.layer = layer
        self.code = code
        self.output = output
        self.environment = environment or {}
        self.exc_info = sys.exc_info() if sys.exc_info()[0] else None
        self.traceback = "".join(traceback.format_exception(*self.exc_info)) \
            if self.exc_info else str(output)

    def log(self, request: AppRequest) -> str | None:
        """Store a ticket for this error in the request's app; its id, or None if not storable."""
        try:
            return tickets.create_ticket(Path(request.folder), request.application,
                                         request.client or "unknown", self.exc_info,
                                         {"layer": self.layer, "output": str(self.output)},
                                         request.tickets_db)
        except (OSError, TypeError, ValueError):
            return None

    def load(self, request: AppRequest, app: str, ticket_id: str) -> None:
        """Fill this error from a stored ticket of ``app``."""
        ticket = TicketStorage(request.tickets_db).load(request, app, ticket_id)
        if not ticket:
            raise FileNotFoundError(f"no ticket {app}/{ticket_id}")
        self.layer = ticket.get("layer") or ticket.get("request", {}).get("layer", "")
        self.output = ticket.get("message", "")
        self.traceback = ticket.get("traceback", "")
        self.code = ""

    def __str__(self) -> str:
        return str(self.output or self.layer)


def restricted(ccode: str | CodeType, environment: dict | None = None, layer: str = "Unknown",
               scode: str | None = None) -> None:
    """Run ``ccode`` (source text or a code object) in ``environment``.

    An exception becomes a :class:`RestrictedError` naming ``layer``; web2py's control-flow
    exceptions (``HTTP``, i.e. redirects and aborts) pass through untouched.
    """
    from server.http import HTTP

    environment = {} if environment is None else environment
    environment.setdefault("__builtins__", __builtins__)
    try:
        code = compile(ccode, layer, "exec") if isinstance(ccode, str) else ccode
        exec(code, environment)  # noqa: S102 - running the app's code is the point
    except HTTP:
        raise
    except RestrictedError:
        raise
    except Exception as exc:
        output = f"{type(exc).__name__} {exc}"
        raise RestrictedError(layer, scode if scode is not None else str(ccode)[:10000],
                              output, environment) from exc


class TicketStorage(Storage):
    """Where tickets live: ``app/errors/``, or with ``db`` web2py's table
    ``<tablename>_<app>`` in that database."""

    def __init__(self, db: DAL | None = None, tablename: str = ticket_tables.TABLE_PREFIX) -> None:
        super().__init__()
        self.db = db
        self.tablename = tablename

    def store(self, request: AppRequest, ticket_id: str, ticket_data: dict) -> None:
        ticket = dict(ticket_data, id=ticket_id)
        if self.db:
            ticket_tables.store(self.db, request.application, ticket_id, ticket,
                                request.now or datetime.now(), self.tablename)
            return
        folder = Path(request.folder) / tickets.ERRORS_FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        tickets.write_json_atomically(folder / ticket_id, ticket)

    def load(self, request: AppRequest, app: str, ticket_id: str) -> dict:
        """The ticket as a dict (``{}`` when there is none)."""
        try:
            if self.db:
                ticket_path(Path(), ticket_id)  # the id is checked before the table is read
                return ticket_tables.load(self.db, app, ticket_id, self.tablename) or {}
            return load_ticket(Path(request.folder).parent / app, ticket_id)
        except (FileNotFoundError, ValueError):
            return {}
