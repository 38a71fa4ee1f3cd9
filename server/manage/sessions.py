"""Where an application's sessions are kept, behind one small interface for the desktop.

Sessions live in files (``app/sessions``) unless the app calls ``session.connect(request,
response, db)``; then they are rows of ``web2py_session_<app>`` in that database. The sessions
panel lists, reads and deletes both kinds through :class:`FileSessions` and
:class:`DatabaseSessions`, found by :func:`session_sources`.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydal import DAL
from pydal.objects import Table

from server.manage import dbinspect
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


SessionSource = FileSessions | DatabaseSessions


def session_sources(root: Path, app_name: str,
                    databases: Mapping[str, DAL] | None = None) -> list[SessionSource]:
    """File sessions, plus the session table of each of the app's databases that has one.

    ``databases`` are the app's DALs by name when the caller has them already (the desktop's
    database panel runs the models once for both panels); the session table is then defined on
    them, and they stay the caller's to close. Without them the models are run here: the DALs
    without a session table are closed again, the others are the caller's to close (``db`` of
    the database sources). If the models fail, only the files are returned.
    """
    sources: list[SessionSource] = [FileSessions(Path(root) / "applications" / app_name)]
    opened_here = databases is None
    if databases is None:
        try:
            databases = dbinspect.app_databases(root, app_name)
        except Exception:  # a broken model still leaves the file sessions to look at
            return sources
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
