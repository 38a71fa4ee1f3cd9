"""``session``: per-user state kept in ``applications/<app>/sessions`` (or the app's database).

A session file is locked from the moment a request loads it until that request has saved it, so
two concurrent requests of one user never lose each other's update. It is written only when its
content changed. The functions at the bottom (list, read, delete) are the desktop's API.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import pickle
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from server.http import HTTP
from server.options import DEFAULT_SESSION_LOCK_TIMEOUT, DEFAULT_SESSION_MAX_AGE
from server.paths import PathEscape, safe_join
from server.storage import Storage

try:
    import fcntl
except ImportError:  # Windows: the in-process lock below still serialises threads
    fcntl = None

SESSION_ID_RE = re.compile(r"^[0-9a-f]{32}$")
DB_SESSION_ID_RE = re.compile(r"^\d+:[0-9a-f]{32}$")

log = logging.getLogger("pocketweb.sessions")

RETRY_AFTER_SECONDS = 2


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


def session_busy() -> HTTP:
    """503 for a request that waited too long for another request of the same session."""
    return HTTP(503, "This session is busy with another request; try again in a moment.",
                **{"Retry-After": str(RETRY_AFTER_SECONDS), "Content-Type": "text/plain; charset=utf-8"})


def new_session_id() -> str:
    return secrets.token_hex(16)


def tolerant_unpickle(raw: bytes | None, default=None):
    """Stored session values: ``{}`` for empty data, ``default`` for data that cannot be
    unpickled (truncated, from an older version, naming a class that is gone: unpickling can
    raise almost anything), so a damaged session never fails a request or a listing."""
    if not raw:
        return {}
    try:
        return dict(pickle.loads(raw))  # noqa: S301 - written by this server only
    except Exception:
        return default


def digest(data: dict) -> str:
    return hashlib.sha1(pickle.dumps(dict(data), pickle.HIGHEST_PROTOCOL)).hexdigest()


EMPTY_DIGEST = digest({})


# --------------------------------------------------------------------------------------------
# Stores: where a session's data lives
# --------------------------------------------------------------------------------------------
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
        self._file = None
        self._held: Path | None = None
        self._locked_key: str | None = None

    def valid_id(self, session_id: str | None) -> bool:
        return bool(session_id) and bool(SESSION_ID_RE.match(session_id))

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
        self._acquire(path)
        self._file.seek(0)
        return tolerant_unpickle(self._file.read(), default={})

    def save(self, session_id: str, data: dict) -> None:
        path = self.path_for(session_id)
        if self._held != path:
            self.release()
            self.folder.mkdir(parents=True, exist_ok=True)
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
            self._acquire(path)
        self._file.seek(0)
        self._file.truncate()
        self._file.write(pickle.dumps(dict(data), pickle.HIGHEST_PROTOCOL))
        self._file.flush()

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

    def _acquire(self, path: Path) -> None:
        deadline = time.monotonic() + self.lock_timeout
        key = str(path)
        if not self.locks.acquire(key, self.lock_timeout):
            raise session_busy()
        self._locked_key = key
        self._file = open_session_file(path)  # held until release()
        self._held = path
        if fcntl:
            _flock_until(self._file, deadline)


def open_session_file(path: Path):
    """The session file opened for reading and writing (one place, so tests can make it fail)."""
    return open(path, "r+b")  # noqa: SIM115 - the store closes it in release()


def _flock_until(file, deadline: float) -> None:
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

    The cookie holds ``record_id:unique_key``; the key makes ids unguessable.
    """

    def __init__(self, db, tablename: str):
        from pydal import Field

        self.db = db
        if tablename not in db.tables:
            db.define_table(
                tablename,
                Field("locked", "boolean", default=False),
                Field("client_ip", length=64),
                Field("created_datetime", "datetime", default=datetime.datetime.now),
                Field("modified_datetime", "datetime"),
                Field("unique_key", length=64),
                Field("session_data", "blob"),
            )
        self.table = db[tablename]

    def valid_id(self, session_id: str | None) -> bool:
        return bool(session_id) and bool(DB_SESSION_ID_RE.match(session_id))

    def _row(self, session_id: str):
        record_id, key = session_id.split(":", 1)
        row = self.table(int(record_id))
        return row if row and secrets.compare_digest(row.unique_key or "", key) else None

    def load(self, session_id: str) -> dict | None:
        row = self._row(session_id)
        if row is None:
            return None
        return tolerant_unpickle(row.session_data, default={})

    def save(self, session_id: str | None, data: dict, client_ip: str = "") -> str:
        """Write and return the id (a new record gets a new id)."""
        blob = pickle.dumps(dict(data), pickle.HIGHEST_PROTOCOL)
        now = datetime.datetime.now()
        row = self._row(session_id) if session_id and self.valid_id(session_id) else None
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
# The session object an action sees
# --------------------------------------------------------------------------------------------
class SessionState:
    """What the framework keeps about a session beside its values (never stored)."""

    __slots__ = ("request", "response", "cookie_name", "store", "forgotten", "secure",
                 "renewed_from", "id", "original")

    def __init__(self, request, response, store):
        self.request = request
        self.response = response
        self.cookie_name = f"session_id_{request.application}"
        self.store = store
        self.forgotten = False
        self.secure = request.is_https
        self.renewed_from = None
        self.id = None
        self.original = EMPTY_DIGEST


class Session(Storage):
    """web2py's ``session``: a Storage that the framework loads and saves around each request.

    Until :meth:`_start` runs (a session made outside a request), the API calls do nothing.
    """

    def _state(self) -> SessionState | None:
        return self.__dict__.get("_session_state")

    # ----- framework side -------------------------------------------------------------------
    def _start(self, request, response, store: FileSessionStore) -> None:
        """Load this user's session from the file store (called before the models run)."""
        state = self.__dict__["_session_state"] = SessionState(request, response, store)
        self._load_from_cookie()
        response.session_id_name = state.cookie_name
        if self.get("flash"):
            response.flash, self["flash"] = self["flash"], None

    def _load_from_cookie(self) -> None:
        state = self._state()
        morsel = state.request.cookies.get(state.cookie_name)
        candidate = morsel.value if morsel else None
        data = state.store.load(candidate) if state.store.valid_id(candidate) else None
        self.clear()
        if data is not None:
            self.update(data)
            state.id = candidate
        state.original = digest(self) if data else EMPTY_DIGEST
        state.response.session_id = state.id

    def _finish(self) -> None:
        """Save if changed (and not forgotten), set the cookie, release the lock."""
        state = self._state()
        if state is None:
            return
        try:
            if not state.forgotten and self._changed():
                self._save()
            if state.id:
                self._set_cookie()
        finally:
            state.store.release()

    def _changed(self) -> bool:
        state = self._state()
        if state.renewed_from is not None:
            return True
        if not state.id and not self:
            return False  # a new session that stayed empty: nothing to store
        return digest(self) != state.original

    def _save(self) -> None:
        state = self._state()
        if state.renewed_from:
            state.store.delete(state.renewed_from)
        if isinstance(state.store, DatabaseSessionStore):
            state.id = state.store.save(state.id, self, state.request.client)
        else:
            if not state.id:
                state.id = new_session_id()
            state.store.save(state.id, self)
        state.response.session_id = state.id

    def _set_cookie(self) -> None:
        state = self._state()
        cookies = state.response.cookies
        cookies[state.cookie_name] = state.id
        morsel = cookies[state.cookie_name]
        morsel["path"] = "/"
        morsel["httponly"] = True
        morsel["samesite"] = "Lax"
        if state.secure:
            morsel["secure"] = True
        lifetime = getattr(state.response, "session_cookie_expires", None)
        if lifetime:  # "remember me": the cookie outlives the browser
            if isinstance(lifetime, datetime.datetime):
                lifetime = (lifetime - datetime.datetime.now()).total_seconds()
            morsel["max-age"] = max(0, int(lifetime))

    # ----- application side (web2py's API) ---------------------------------------------------
    def connect(self, request=None, response=None, db=None, tablename="web2py_session",
                masterapp=None, migrate=True, separate=None, check_client=False,
                cookie_key=None, cookie_expires=None, compression_level=None):
        """Move this session to ``db`` (table ``<tablename>_<app>``); without db, keep files."""
        state = self._state()
        if db is None or state is None:
            return
        state.store.release()
        state.store = DatabaseSessionStore(db, f"{tablename}_{state.request.application}")
        self._load_from_cookie()

    def forget(self, response=None) -> None:
        """Do not save this session at the end of the request."""
        state = self._state()
        if state is not None:
            state.forgotten = True

    def renew(self, clear_session: bool = False) -> None:
        """Give the session a new id (after login, against fixation); optionally empty it."""
        state = self._state()
        if clear_session:
            self.clear()
        if state is not None:
            state.renewed_from = state.renewed_from or state.id
            state.id = None if isinstance(state.store, DatabaseSessionStore) else new_session_id()

    def secure(self) -> None:
        """Send the session cookie only over HTTPS."""
        state = self._state()
        if state is not None:
            state.secure = True

    def is_new(self) -> bool:
        state = self._state()
        return state is None or not state.id

    def __getstate__(self):
        return dict(self)


# --------------------------------------------------------------------------------------------
# The desktop's API: list, read, delete an app's sessions
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SessionInfo:
    id: str
    modified: datetime.datetime
    size: int
    user_id: int | None


def _session_files(app_folder: Path):
    folder = Path(app_folder) / "sessions"
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.is_file() and SESSION_ID_RE.match(p.name)]


def user_id_of(data: dict) -> int | None:
    """The Auth user id stored in a session's values, if someone is logged in."""
    auth = data.get("auth") if isinstance(data, dict) else None
    user = getattr(auth, "user", None) or (auth.get("user") if isinstance(auth, dict) else None)
    if user is None:
        return None
    user_id = user.get("id") if isinstance(user, dict) else getattr(user, "id", None)
    return int(user_id) if user_id is not None else None


def list_sessions(app_folder: Path) -> list[SessionInfo]:
    """The app's file sessions, most recently modified first."""
    infos = []
    for path in _session_files(app_folder):
        stat = path.stat()
        try:
            data = read_session(app_folder, path.name)
        except (OSError, ValueError):
            data = {}
        infos.append(SessionInfo(path.name, datetime.datetime.fromtimestamp(stat.st_mtime),
                                 stat.st_size, user_id_of(data)))
    return sorted(infos, key=lambda info: info.modified, reverse=True)


def read_session(app_folder: Path, session_id: str) -> dict:
    """The stored values of one session (ValueError for a bad id, FileNotFoundError if gone)."""
    if not SESSION_ID_RE.match(session_id or ""):
        raise ValueError(f"not a session id: {session_id!r}")
    raw = safe_join(Path(app_folder) / "sessions", session_id).read_bytes()
    try:
        return dict(pickle.loads(raw)) if raw else {}
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise ValueError(f"session {session_id} is unreadable: {exc}") from exc


def delete_session(app_folder: Path, session_id: str) -> None:
    if not SESSION_ID_RE.match(session_id or ""):
        raise ValueError(f"not a session id: {session_id!r}")
    safe_join(Path(app_folder) / "sessions", session_id).unlink(missing_ok=True)


def delete_expired_sessions(app_folder: Path, max_age_seconds: float) -> int:
    """Delete sessions untouched for longer than ``max_age_seconds``; returns how many."""
    limit = time.time() - max_age_seconds
    removed = 0
    for path in _session_files(app_folder):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another sweep or the desktop removed it first
            continue
    return removed


SWEEP_INTERVAL = 3600


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
