"""Where session values live between requests: one locked file per session (the default) or a
row of the app's own database (``session.connect(request, response, db)``), and the sweep that
removes expired files.

A session file is locked from the moment a request loads it until that request has saved it, so
two concurrent requests of one user never lose each other's update; the wait is bounded (then
503 with ``Retry-After``). Files are created 0600: they hold what users are logged in as.
"""

from __future__ import annotations

import datetime
import logging
import os
import pickle
import re
import secrets
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TypeGuard

from server.http import HTTP
from server.options import DEFAULT_SESSION_LOCK_TIMEOUT, DEFAULT_SESSION_MAX_AGE
from server.paths import PathEscape, safe_join
from server.pickles import unpickled

if TYPE_CHECKING:
    from pydal import DAL
    from pydal.objects import Table

try:
    import fcntl
except ImportError:  # Windows: the in-process LockTable still serialises threads
    fcntl = None  # type: ignore[assignment]

SESSION_ID_RE = re.compile(r"^[0-9a-f]{32}$")
DB_SESSION_ID_RE = re.compile(r"^\d+:[0-9a-f]{32}$")
SESSION_TABLE_PREFIX = "web2py_session_"
RETRY_AFTER_SECONDS = 2
SWEEP_INTERVAL = 3600

log = logging.getLogger("pocketweb.sessions")


def session_values(raw: bytes | None) -> dict | None:
    """Stored session values: ``{}`` for no data, None for data that cannot be read."""
    if not raw:
        return {}
    values = unpickled(raw)
    return dict(values) if isinstance(values, dict) else None


def new_session_id() -> str:
    return secrets.token_hex(16)


def session_busy() -> HTTP:
    """503 for a request that waited too long for another request of the same session."""
    return HTTP(503, "This session is busy with another request; try again in a moment.",
                **{"Retry-After": str(RETRY_AFTER_SECONDS),
                   "Content-Type": "text/plain; charset=utf-8"})


def define_session_table(db: DAL, tablename: str, migrate: bool = True) -> Table:
    """The session table web2py apps share (``web2py_session_<app>``), defined in ``db``."""
    from pydal import Field

    return db.define_table(
        tablename,
        Field("locked", "boolean", default=False),
        Field("client_ip", length=64),
        Field("created_datetime", "datetime", default=datetime.datetime.now),
        Field("modified_datetime", "datetime"),
        Field("unique_key", length=64),
        Field("session_data", "blob"),
        migrate=migrate,
    )


class LockTable:
    """One lock per session while a request holds or waits for it, dropped after: the table is
    as small as the number of requests in flight, whatever ids clients send."""

    def __init__(self):
        self._guard = threading.Lock()
        self._entries: dict[str, list] = {}  # key -> [lock, holders and waiters]

    def __len__(self) -> int:
        return len(self._entries)

    def acquire(self, key: str, timeout: float) -> bool:
        """Take ``key``'s lock, waiting at most ``timeout`` seconds; False if it stayed busy."""
        with self._guard:
            entry = self._entries.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        if entry[0].acquire(timeout=timeout):
            return True
        self._leave(key, entry)
        return False

    def release(self, key: str) -> None:
        entry = self._entries[key]
        entry[0].release()
        self._leave(key, entry)

    def _leave(self, key: str, entry: list) -> None:
        with self._guard:
            entry[1] -= 1
            if entry[1] == 0:
                del self._entries[key]


class FileSessionStore:
    """One pickle file per session (mode 0600), locked while a request holds it.

    The lock is both a thread lock (from ``locks``, shared by the Application's threads) and,
    where the OS has ``fcntl``, an exclusive ``flock`` for other processes (gunicorn workers).
    Waiting for it is bounded by ``lock_timeout``: then the request is a 503, never stuck.
    """

    def __init__(self, folder: Path, locks: LockTable, lock_timeout: float = DEFAULT_SESSION_LOCK_TIMEOUT):
        self.folder = folder
        self.locks = locks
        self.lock_timeout = lock_timeout
        self._file: BinaryIO | None = None
        self._held: Path | None = None
        self._locked_key: str | None = None

    def valid_id(self, session_id: str | None) -> TypeGuard[str]:
        return session_id is not None and bool(SESSION_ID_RE.match(session_id))

    def path_for(self, session_id: str) -> Path:
        return safe_join(self.folder, session_id)

    def load(self, session_id: str) -> dict | None:
        """Lock and read an existing session; None (and no lock) when there is none."""
        try:
            path = self.path_for(session_id)
        except PathEscape:
            return None
        if not path.is_file():
            return None
        file = self._acquire(path)
        values = session_values(file.read())
        return {} if values is None else values  # a damaged session starts empty

    def save(self, session_id: str, data: dict) -> None:
        path = self.path_for(session_id)
        file = self._file if self._held == path else None
        if file is None:
            self.release()
            self.folder.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            file = self._acquire(path)
        file.seek(0)
        file.truncate()
        file.write(pickle.dumps(dict(data), pickle.HIGHEST_PROTOCOL))
        file.flush()

    def delete(self, session_id: str) -> None:
        try:
            self.path_for(session_id).unlink(missing_ok=True)
        except PathEscape:
            pass

    def release(self) -> None:
        """Unlock and close whatever this store holds (safe to call at any point, twice too)."""
        if self._file is not None:
            try:
                if fcntl:
                    fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            finally:
                self._file.close()
                self._file = None
                self._held = None
        if self._locked_key is not None:
            key, self._locked_key = self._locked_key, None
            self.locks.release(key)

    def _acquire(self, path: Path) -> BinaryIO:
        """Lock ``path`` (thread lock, then flock) and return it open, at its start."""
        deadline = time.monotonic() + self.lock_timeout
        key = str(path)
        if not self.locks.acquire(key, self.lock_timeout):
            raise session_busy()
        self._locked_key = key
        file = self._file = open_session_file(path)  # held until release()
        self._held = path
        if fcntl:
            _flock_until(file, deadline)
        return file


def open_session_file(path: Path) -> BinaryIO:
    """The session file opened for reading and writing (one place, so tests can make it fail)."""
    return open(path, "r+b")  # noqa: SIM115 - the store closes it in release()


def _flock_until(file: BinaryIO, deadline: float) -> None:
    """An exclusive flock, retried until ``deadline`` (another process may hold it); 503 then."""
    pause = 0.005
    while True:
        try:
            fcntl.flock(file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise session_busy() from None
            time.sleep(pause)
            pause = min(pause * 2, 0.05)


class DatabaseSessionStore:
    """Sessions in a table ``web2py_session_<app>`` of the app's own database (``connect(db=)``).

    The cookie holds ``record_id:unique_key``; the key makes ids unguessable. With
    ``only_client`` (web2py's ``connect(check_client=True)``) a session is loaded only for the
    address it was made from: the same cookie from elsewhere starts a fresh session.
    """

    chooses_ids = True  # save() returns the id: a new record's

    def __init__(self, db: DAL, tablename: str, only_client: str | None = None):
        self.db = db
        self.table = db[tablename] if tablename in db.tables else define_session_table(db, tablename)
        self.only_client = only_client

    def valid_id(self, session_id: str | None) -> TypeGuard[str]:
        return session_id is not None and bool(DB_SESSION_ID_RE.match(session_id))

    def _row(self, session_id: str):
        record_id, key = session_id.split(":", 1)
        row = self.table(int(record_id))
        if not row or not secrets.compare_digest(row.unique_key or "", key):
            return None
        return row if self.only_client in (None, row.client_ip) else None

    def load(self, session_id: str) -> dict | None:
        row = self._row(session_id)
        if row is None:
            return None
        values = session_values(row.session_data)
        return {} if values is None else values

    def save(self, session_id: str | None, data: dict, client_ip: str = "") -> str:
        """Write and return the id (a new record gets a new id)."""
        blob = pickle.dumps(dict(data), pickle.HIGHEST_PROTOCOL)
        now = datetime.datetime.now()
        if self.valid_id(session_id):
            row = self._row(session_id)
            if row is not None:
                row.update_record(session_data=blob, modified_datetime=now)
                return session_id
        key = new_session_id()
        record_id = self.table.insert(session_data=blob, unique_key=key, client_ip=client_ip,
                                      created_datetime=now, modified_datetime=now)
        return f"{record_id}:{key}"

    def delete(self, session_id: str) -> None:
        if self.valid_id(session_id):
            self.db(self.table.id == int(session_id.split(":", 1)[0])).delete()

    def release(self) -> None:
        """Rows are committed with the action's transaction; nothing to unlock here."""


# --------------------------------------------------------------------------------------------
# Expiry
# --------------------------------------------------------------------------------------------
def session_files(app_folder: Path) -> list[Path]:
    """The app's session files (names that are session ids)."""
    folder = Path(app_folder) / "sessions"
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_file() and SESSION_ID_RE.match(p.name)]


def delete_expired_sessions(app_folder: Path, max_age_seconds: float) -> int:
    """Delete sessions untouched for longer than ``max_age_seconds``; returns how many."""
    limit = time.time() - max_age_seconds
    removed = 0
    for path in session_files(app_folder):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another sweep or the desktop removed it first
            continue
    return removed


class ExpiredSessionSweeper:
    """Removes every app's session files untouched for ``max_age`` seconds, by itself: the
    first request starts a sweep, later ones another once ``interval`` has passed. A sweep runs
    in a thread of its own, so no request waits for it."""

    def __init__(self, applications: Path, max_age: float = DEFAULT_SESSION_MAX_AGE,
                 interval: float = SWEEP_INTERVAL):
        self.applications = applications
        self.max_age = max_age
        self.interval = interval
        self._due = 0.0
        self._lock = threading.Lock()

    def maybe_sweep(self) -> threading.Thread | None:
        """Start a sweep if one is due (a clock read when not); the sweeping thread, or None."""
        now = time.monotonic()
        if now < self._due:
            return None
        with self._lock:
            if now < self._due:
                return None
            self._due = now + self.interval
        thread = threading.Thread(target=self.sweep, name="pocketweb-session-sweep", daemon=True)
        thread.start()
        return thread

    def sweep(self) -> int:
        removed = 0
        try:
            for app_folder in self.applications.iterdir():
                if app_folder.is_dir():
                    removed += delete_expired_sessions(app_folder, self.max_age)
        except OSError:
            log.exception("session sweep of %s failed", self.applications)
        if removed:
            log.info("removed %d expired session files", removed)
        return removed
