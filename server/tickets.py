"""Error tickets: what an unhandled exception left behind, stored as JSON in ``app/errors/``
(or in a database table, as web2py's ``TicketStorage(db)``: :mod:`server.ticket_tables`).

A ticket id has web2py's shape ``<client ip>.<YYYY-MM-DD>.<HH-MM-SS>.<uuid4>``; the error page
shows ``app/id``; :mod:`server.manage.tickets` reads, lists and deletes them for the desktop.
Ticket ids arriving from users are checked against a strict pattern before any file is touched.
Secrets (cookies, authorization headers, password-like variables and locals) are masked before
anything is written.
"""

from __future__ import annotations

import html
import json
import linecache
import logging
import re
import sys
import traceback
import types
import uuid
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlencode

from server import template_lines, ticket_tables
from server.files import write_atomically

ExcInfo = tuple[type[BaseException] | None, BaseException | None, TracebackType | None]

log = logging.getLogger("pocketweb.ticket_files")  # problems storing tickets
console = logging.getLogger("pocketweb.tickets")  # -e gives it a handler: tracebacks shown
console.propagate = False

ERRORS_FOLDER = "errors"
MASK = "********"
REPR_LIMIT = 1000
CONTEXT_LINES = 3
MAX_FRAMES = 40
MAX_LOCALS = 200
TICKET_ID = re.compile(
    r"^[0-9A-Za-z_.\-]{1,64}\.\d{4}-\d{2}-\d{2}\.\d{2}-\d{2}-\d{2}\."
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
)
SECRET_NAME = re.compile(r"password|passwd|pwd|secret|token", re.IGNORECASE)
SECRET_HEADERS = {"cookie", "authorization", "proxy-authorization"}
SECRET_ENVIRON_KEYS = {"http_cookie", "http_authorization", "http_proxy_authorization"}
SCRUB_DEPTH = 4
SCRUB_ITEMS = 100


# --- writing ----------------------------------------------------------------------------------

def create_ticket(app_folder: Path, app_name: str, client_ip: str, exc_info: ExcInfo | None,
                  request_info: dict, tickets_db: Any = None) -> str:
    """Store a ticket for ``exc_info`` (a ``sys.exc_info()`` triple) and return its id.

    It goes to ``tickets_db`` (the app's ``request.tickets_db``) or the database of its
    ``private/ticket_storage.txt`` when there is one (:mod:`server.ticket_tables`), else — and
    whenever that fails — to ``errors/``. A failure to write (disk full, read-only folder) is
    logged, not raised: the caller is already handling an error and must still be able to
    answer with the ticket page.
    """
    exc_type, exc_value, tb = exc_info if exc_info and exc_info[0] else sys.exc_info()
    now = datetime.now()
    ticket_id = new_ticket_id(client_ip, now)
    ticket = {
        "id": ticket_id,
        "application": app_name,
        "time": now.isoformat(timespec="microseconds"),
        "client_ip": client_ip,
        "error_type": getattr(exc_type, "__name__", str(exc_type)),
        "message": safe_text(exc_value),
        "traceback": "".join(traceback.format_exception(exc_type, exc_value, tb)),
        "frames": frames_of(tb),
        "request": request_info or {},
    }
    if not _stored_in_database(app_folder, app_name, ticket, now, tickets_db):
        try:
            write_json_atomically(Path(app_folder) / ERRORS_FOLDER / ticket_id, ticket)
        except (OSError, TypeError, ValueError):
            log.exception("could not store error ticket %s/%s", app_name, ticket_id)
    console.info("ticket %s/%s\n%s", app_name, ticket_id, ticket["traceback"])
    return ticket_id


def _stored_in_database(app_folder: Path, app_name: str, ticket: dict, when: datetime,
                        tickets_db: Any) -> bool:
    with nullcontext(tickets_db) if tickets_db is not None else \
            ticket_tables.configured_db(app_folder) as db:
        if db is None:
            return False
        try:
            ticket_tables.store(db, app_name, ticket["id"], ticket, when)
        except Exception:
            log.exception("could not store error ticket %s/%s in its database; it goes to %s/",
                          app_name, ticket["id"], ERRORS_FOLDER)
            return False
        finally:
            if db is tickets_db:  # the request is over: give its connection back
                db.recycle_connection_in_pool_or_close("commit")
        return True


def new_ticket_id(client_ip: str, when: datetime) -> str:
    """web2py's id shape; characters of the address that are not safe in a file name become _."""
    client = re.sub(r"[^0-9A-Za-z.\-]", "_", client_ip or "")[:64] or "unknown"
    return f"{client}.{when:%Y-%m-%d.%H-%M-%S}.{uuid.uuid4()}"


def frames_of(tb: TracebackType | None) -> list[dict]:
    """Each traceback frame (innermost last; the last MAX_FRAMES for deep recursions)."""
    frames = []
    for frame, line_number in list(traceback.walk_tb(tb))[-MAX_FRAMES:]:
        code = frame.f_code
        # A view's code names the template file and line it came from, not the compiled ones.
        filename, line = template_lines.source_line(code.co_filename, line_number) or (
            code.co_filename, line_number)
        frames.append({
            "filename": filename,
            "line": line,
            "function": code.co_name,
            "context": code_context(filename, line, frame.f_globals),
            "locals": locals_of(frame),
        })
    return frames


def locals_of(frame: FrameType) -> dict[str, str]:
    """Masked, bounded reprs of a frame's variables.

    A model's or controller's top level runs with the whole execution environment as its
    locals: there the modules, classes, functions and dunder names are left out, as noise.
    """
    top_level = frame.f_code.co_name == "<module>"
    shown = {}
    for name, value in list(frame.f_locals.items()):
        if top_level and (str(name).startswith("__") or _is_definition(value)):
            continue
        shown[str(name)] = masked_repr(name, value)
        if len(shown) >= MAX_LOCALS:
            break
    return shown


def _is_definition(value) -> bool:
    return isinstance(value, (types.ModuleType, type, types.FunctionType,
                              types.BuiltinFunctionType))


def code_context(filename: str, line_number: int,
                 module_globals: dict | None = None) -> list[list]:
    """The lines around ``line_number`` as ``[number, text]`` pairs (empty if source is gone)."""
    lines = linecache.getlines(filename, module_globals)
    first = max(line_number - CONTEXT_LINES, 1)
    last = min(line_number + CONTEXT_LINES, len(lines))
    return [[number, lines[number - 1].rstrip("\n")] for number in range(first, last + 1)]


def safe_repr(value: object, limit: int = REPR_LIMIT) -> str:
    """``repr(value)`` cut to ``limit`` characters; a repr that raises is reported, not raised."""
    try:
        text = repr(value)
    except Exception as exc:  # noqa: BLE001 - any broken __repr__ must not break the ticket
        text = f"<unrepresentable {type(value).__name__}: {type(exc).__name__}>"
    return text if len(text) <= limit else text[:limit] + "...(truncated)"


def safe_text(value: object, limit: int = REPR_LIMIT * 4) -> str:
    """``str(value)`` bounded and safe against a raising ``__str__``."""
    try:
        text = str(value)
    except Exception:  # noqa: BLE001
        text = safe_repr(value)
    return text if len(text) <= limit else text[:limit] + "...(truncated)"


def masked_repr(name: str, value: object) -> str:
    return MASK if is_secret_key(name) else safe_repr(scrubbed(value))


def is_secret_key(name: object) -> bool:
    """Password-like names, and the environ/header keys that carry cookies or credentials."""
    text = str(name)
    lowered = text.lower()
    return (bool(SECRET_NAME.search(text)) or lowered in SECRET_HEADERS
            or lowered.replace("-", "_") in SECRET_ENVIRON_KEYS)


def scrubbed(value: Any, depth: int = SCRUB_DEPTH) -> Any:
    """A copy of nested dicts/lists with secret-keyed values masked (``environ`` is a local of
    every WSGI frame, and its cookie would otherwise land in the ticket). Other values pass."""
    if depth <= 0:
        return value
    if isinstance(value, dict):
        items = list(value.items())[:SCRUB_ITEMS]
        return {k: MASK if is_secret_key(k) else scrubbed(v, depth - 1) for k, v in items}
    if isinstance(value, (list, tuple)):
        return [scrubbed(item, depth - 1) for item in value[:SCRUB_ITEMS]]
    return value


def write_json_atomically(target: Path, data: dict) -> None:
    """Write to a temporary file beside ``target`` and rename it, so readers never see half."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, json.dumps(data, indent=1, ensure_ascii=False, default=safe_repr))


# --- the request snapshot ---------------------------------------------------------------------

def request_snapshot(environ: dict, vars: dict) -> dict:  # noqa: A002 - web2py's name
    """What the request looked like, with secrets masked: method, url, headers, vars, client."""
    return {
        "method": environ.get("REQUEST_METHOD", ""),
        "url": _masked_url(environ),
        "headers": _masked_headers(environ),
        "vars": {str(name): _masked_value(name, value) for name, value in (vars or {}).items()},
        "client": environ.get("REMOTE_ADDR", ""),
    }


def _masked_url(environ: dict) -> str:
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
    path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
    url = f"{scheme}://{host}{path}"
    query = environ.get("QUERY_STRING", "")
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        url += "?" + urlencode(
            [(k, MASK if SECRET_NAME.search(k) else v) for k, v in pairs], safe="*")
    return url


def _masked_headers(environ: dict) -> dict:
    headers = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key
        else:
            continue
        name = name.replace("_", "-").title()
        headers[name] = MASK if name.lower() in SECRET_HEADERS else safe_text(value)
    return headers


def _masked_value(name, value):
    if SECRET_NAME.search(str(name)):
        return MASK
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return _plain(value)


def _plain(value) -> str:
    return safe_text(value, REPR_LIMIT) if isinstance(value, str) else safe_repr(value)


# --- the page the client sees -----------------------------------------------------------------

def ticket_page(app_name: str, ticket_id: str) -> str:
    """The 500 page: names the ticket, shows nothing of the error itself."""
    ticket = html.escape(f"{app_name}/{ticket_id}")
    return (
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Internal error</title>"
        "</head>\n<body><h1>Internal error</h1>\n"
        f"<p>Ticket issued: <code>{ticket}</code></p>\n"
        "<p>The details are in the Tickets panel of Pocketweb.</p>\n</body></html>\n"
    )
