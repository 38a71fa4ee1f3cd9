"""Where an application's sessions are kept, behind one small interface for the desktop.

Sessions live in files (``app/sessions``) unless the app calls ``session.connect(request,
response, db)``; then they are rows of ``web2py_session_<app>`` in that database, keys of Redis
(``db=RedisSession(...)``) or, with ``cookie_key=...``, the visitors' cookies. The sessions
panel lists, reads and deletes them through :class:`FileSessions`, :class:`DatabaseSessions`
and :class:`RedisStoredSessions`, found by :func:`session_sources`; cookie sessions are a
:class:`CookieSessions` source that says why it has nothing to list (they are only in the
browsers).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pydal import DAL
from pydal.objects import Table

from server.backends.redis_session_store import RedisSessions
from server.paths import safe_join
from server.session_stores import (
    SESSION_ID_RE,
    SESSION_TABLE_PREFIX,
    define_session_table,
    delete_expired_sessions,
    session_files,
    session_values,
)
from server.transactions import committed


@dataclass(frozen=True)
class SessionInfo:
    id: str
    modified: datetime.datetime
    size: int
    user_id: int | None


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
    for path in session_files(app_folder):
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
    values = session_values(safe_join(Path(app_folder) / "sessions", session_id).read_bytes())
    if values is None:
        raise ValueError(f"session {session_id} is unreadable")
    return values


def delete_session(app_folder: Path, session_id: str) -> None:
    if not SESSION_ID_RE.match(session_id or ""):
        raise ValueError(f"not a session id: {session_id!r}")
    safe_join(Path(app_folder) / "sessions", session_id).unlink(missing_ok=True)




class FileSessions:
    """The app's ``sessions/`` folder."""

    def __init__(self, app_folder: Path):
        self.app_folder = Path(app_folder)
        self.label = "files"

    def list(self) -> list[SessionInfo]:
        return list_sessions(self.app_folder)

    def read(self, session_id: str) -> dict:
        return read_session(self.app_folder, session_id)

    def delete(self, session_id: str) -> None:
        delete_session(self.app_folder, session_id)

    def delete_expired(self, max_age_seconds: float) -> int:
        return delete_expired_sessions(self.app_folder, max_age_seconds)


class DatabaseSessions:
    """Rows of ``web2py_session_<app>``; a session's id here is its record id (as text)."""

    def __init__(self, db: DAL, table: Table, database_name: str):
        self.db, self.table = db, table
        self.label = f"database {database_name} ({table._tablename})"

    def list(self) -> list[SessionInfo]:
        table = self.table
        rows = self.db(table).select(table.id, table.modified_datetime, table.created_datetime,
                                     table.session_data, orderby=~table.modified_datetime)
        self.db.rollback()
        return [self._info(row) for row in rows]

    def _info(self, row) -> SessionInfo:
        data = session_values(row.session_data) or {}
        modified = row.modified_datetime or row.created_datetime or datetime.datetime.min
        return SessionInfo(str(row.id), modified, len(row.session_data or b""),
                           user_id_of(data))

    def read(self, session_id: str) -> dict:
        """The stored values (ValueError for a bad id or unreadable data, KeyError if gone)."""
        row = self.table(self._record_id(session_id))
        self.db.rollback()
        if row is None:
            raise KeyError(f"no session {session_id}")
        data = session_values(row.session_data)
        if data is None:
            raise ValueError(f"session {session_id} is unreadable")
        return data

    def delete(self, session_id: str) -> None:
        committed(self.db, lambda: self.db(self.table.id == self._record_id(session_id)).delete())

    def delete_expired(self, max_age_seconds: float) -> int:
        limit = datetime.datetime.now() - datetime.timedelta(seconds=max_age_seconds)
        return committed(self.db, lambda: self.db(self.table.modified_datetime < limit).delete())

    @staticmethod
    def _record_id(session_id: str) -> int:
        if not str(session_id).isdigit():
            raise ValueError(f"not a session record id: {session_id!r}")
        return int(session_id)


class RedisStoredSessions:
    """The app's keys in Redis (``w2p:sess:<app>:<id>``); "modified" is when a request last
    used the session (Redis keeps no modification time)."""

    def __init__(self, settings: RedisSessions, app_name: str):
        self.conn = settings.conn
        self.prefix = settings.session_store(app_name).prefix
        self.label = f"Redis ({self.prefix}*)"

    def list(self) -> list[SessionInfo]:
        now = datetime.datetime.now()
        infos = []
        for key in self.conn.scan_iter(match=self.prefix + "*", count=500):
            session_id = key.decode("utf-8", "replace")[len(self.prefix):]
            if not SESSION_ID_RE.match(session_id):
                continue  # a session's lock, or not ours
            raw = self._get(key)
            if raw is None:  # expired since it was listed
                continue
            idle = self.conn.object("idletime", key) or 0
            infos.append(SessionInfo(session_id, now - datetime.timedelta(seconds=int(idle)),
                                     len(raw), user_id_of(session_values(raw) or {})))
        return sorted(infos, key=lambda info: info.modified, reverse=True)

    def read(self, session_id: str) -> dict:
        """The stored values (ValueError for a bad id or unreadable data, KeyError if gone)."""
        raw = self._get(self._key(session_id))
        if raw is None:
            raise KeyError(f"no session {session_id}")
        data = session_values(raw)
        if data is None:
            raise ValueError(f"session {session_id} is unreadable")
        return data

    def delete(self, session_id: str) -> None:
        self.conn.delete(self._key(session_id))

    def delete_expired(self, max_age_seconds: float) -> int:
        """Remove the sessions no request used for ``max_age_seconds``; how many."""
        stale = [info.id for info in self.list()
                 if info.modified < datetime.datetime.now()
                 - datetime.timedelta(seconds=max_age_seconds)]
        return self.conn.delete(*[self._key(session_id) for session_id in stale]) if stale else 0

    def _get(self, key: str | bytes) -> bytes | None:
        return cast("bytes | None", self.conn.get(key))  # a client without decode_responses

    def _key(self, session_id: str) -> str:
        if not SESSION_ID_RE.match(session_id or ""):
            raise ValueError(f"not a session id: {session_id!r}")
        return self.prefix + session_id


class CookieSessions:
    """Sessions kept in the visitors' cookies (``cookie_key=``): nothing is stored on the
    server, so there is nothing to list; :attr:`unlisted` says so to the user."""

    unlisted = ("This app keeps its sessions in the visitors' browsers (signed, encrypted "
                "cookies): the server stores none, so none can be listed or deleted here.")

    def __init__(self) -> None:
        self.label = "cookies (in the browsers)"

    def list(self) -> list[SessionInfo]:
        return []

    def read(self, session_id: str) -> dict:
        raise KeyError(self.unlisted)

    def delete(self, session_id: str) -> None:
        raise KeyError(self.unlisted)

    def delete_expired(self, max_age_seconds: float) -> int:
        return 0


SessionSource = FileSessions | DatabaseSessions | RedisStoredSessions | CookieSessions


def session_sources(root: Path, app_name: str, databases: Mapping[str, DAL] | None = None,
                    session: Any = None) -> list[SessionSource]:
    """File sessions, plus the session table of each of the app's databases that has one, plus
    the Redis or cookie sessions the models' ``session.connect`` chose.

    ``databases`` are the app's DALs by name when the caller has them already (the desktop's
    database panel runs the models once for both panels); the session table is then defined on
    them, and they stay the caller's to close; ``session`` is then the ``session`` of the same
    model run, if the caller wants Redis and cookie sessions found too. Without them the models
    are run here: the DALs without a session table are closed again, the others are the
    caller's to close (``db`` of the database sources). If the models fail, only the files are
    returned.
    """
    sources: list[SessionSource] = [FileSessions(Path(root) / "applications" / app_name)]
    opened_here = databases is None
    if databases is None:
        try:
            databases, session = _run_models(Path(root), app_name)
        except Exception:  # a broken model still leaves the file sessions to look at
            return sources
    sources.extend(_connected_sources(session, app_name))
    for name, db in databases.items():
        table = session_table(db, app_name)
        if table is not None:
            sources.append(DatabaseSessions(db, table, name))
    if opened_here:
        used = {id(source.db) for source in sources if isinstance(source, DatabaseSessions)}
        for db in {id(db): db for db in databases.values()}.values():  # once each, aliases too
            if id(db) not in used:
                db.close()
    return sources


def _run_models(root: Path, app_name: str) -> tuple[dict[str, DAL], Any]:
    """The app's DALs (still open) and its ``session``, from one run of its models."""
    from server.execution import model_environment

    with model_environment(root, app_name, keep_databases=True) as environment:
        return ({name: value for name, value in environment.items() if isinstance(value, DAL)},
                environment.get("session"))


def _connected_sources(session: Any, app_name: str) -> list[SessionSource]:
    """The source ``session.connect(...)`` chose in the models, when not files or a DAL."""
    db, cookie_key = getattr(session, "__dict__", {}).get("_connected_to", (None, None))
    if cookie_key:
        return [CookieSessions()]
    if isinstance(db, RedisSessions):
        return [RedisStoredSessions(db, app_name)]
    return []


def session_table(db: DAL, app_name: str) -> Table | None:
    """The app's session table in ``db`` if it exists there; defined without migrating."""
    if not app_name.isidentifier():
        return None
    tablename = SESSION_TABLE_PREFIX + app_name
    if tablename in db.tables:
        return db[tablename]
    try:
        db.executesql(f"SELECT id FROM {tablename} WHERE 1 = 0")
    except Exception:  # no such table in this database
        db.rollback()
        return None
    return define_session_table(db, tablename, migrate=False)
