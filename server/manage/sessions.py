"""Where an application's sessions are kept, behind one small interface for the desktop.

Sessions live in files (``app/sessions``) unless the app calls ``session.connect(request,
response, db)``; then they are rows of ``web2py_session_<app>`` in that database. The sessions
panel lists, reads and deletes both kinds through :class:`FileSessions` and
:class:`DatabaseSessions`, found by :func:`session_sources`.
"""

from __future__ import annotations

import datetime
import pickle
from collections.abc import Mapping
from pathlib import Path

from pydal import DAL, Field
from pydal.objects import Table

from server import sessions
from server.manage import dbinspect
from server.sessions import SessionInfo

SESSION_TABLE_PREFIX = "web2py_session_"


class FileSessions:
    """The app's ``sessions/`` folder (server.sessions does the work)."""

    def __init__(self, app_folder: Path):
        self.app_folder = Path(app_folder)
        self.label = "files"

    def list(self) -> list[SessionInfo]:
        return sessions.list_sessions(self.app_folder)

    def read(self, session_id: str) -> dict:
        return sessions.read_session(self.app_folder, session_id)

    def delete(self, session_id: str) -> None:
        sessions.delete_session(self.app_folder, session_id)

    def delete_expired(self, max_age_seconds: float) -> int:
        return sessions.delete_expired_sessions(self.app_folder, max_age_seconds)


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
        data = self._unpickled(row.session_data) or {}
        modified = row.modified_datetime or row.created_datetime or datetime.datetime.min
        return SessionInfo(str(row.id), modified, len(row.session_data or b""),
                           sessions.user_id_of(data))

    @staticmethod
    def _unpickled(blob) -> dict | None:
        if not blob:
            return {}
        try:
            return dict(pickle.loads(blob))
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError,
                TypeError):
            return None

    def read(self, session_id: str) -> dict:
        """The stored values (ValueError for a bad id or unreadable data, KeyError if gone)."""
        row = self.table(self._record_id(session_id))
        self.db.rollback()
        if row is None:
            raise KeyError(f"no session {session_id}")
        data = self._unpickled(row.session_data)
        if data is None:
            raise ValueError(f"session {session_id} is unreadable")
        return data

    def delete(self, session_id: str) -> None:
        self._committed(lambda: self.db(self.table.id == self._record_id(session_id)).delete())

    def delete_expired(self, max_age_seconds: float) -> int:
        limit = datetime.datetime.now() - datetime.timedelta(seconds=max_age_seconds)
        return self._committed(lambda: self.db(self.table.modified_datetime < limit).delete())

    def _committed(self, operation):
        try:
            result = operation()
            self.db.commit()
        except Exception:
            self.db.rollback()
            raise
        return result

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
    if opened_here:
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
    return db.define_table(
        tablename,
        Field("locked", "boolean", default=False),
        Field("client_ip", length=64),
        Field("created_datetime", "datetime"),
        Field("modified_datetime", "datetime"),
        Field("unique_key", length=64),
        Field("session_data", "blob"),
        migrate=False,
    )
