"""A ``DAL`` made again by the next request's models reuses the adapter (and, for SQLite, the
connection) the last one in this thread left, instead of building them anew.

Models build their ``DAL`` on every request. pydal's set-up of one is mostly the adapter's: its
dialect, parser and representer (hundreds of small objects), the driver's look-up, and for SQLite
(where pydal forces ``pool_size=0``) a new connection with its functions and ``PRAGMA``\\s on
first use. When a unit of work ends (:func:`server.transactions.close_databases`), each of this
thread's databases that :func:`reuse_key` allows is committed or rolled back as before, and its
adapter is kept, with the state pydal's ``__init__`` gave the ``DAL``, for the next ``DAL`` of this
thread made with the very same arguments, under the same databases folder. That one gets a copy
of the state (its own table list, lazy tables, pending references...) and the adapter bound to it.

What stays as web2py has it: each unit of work commits or rolls back its own transaction, so a
kept connection never carries one into the next; a connection whose commit or rollback fails is
closed and its adapter dropped; other engines close their connection at the end as before (or
return it to pydal's own pool, with its liveness check, when the app asks for ``pool_size``), so a
connection the server broke is replaced. Adapters are kept per thread, so a connection is never
used by two threads, and per arguments and folder, so two apps or two URIs never share one. An
in-memory SQLite database is never reused (each ``DAL`` of one starts empty); a database file that
is gone makes the next ``DAL`` built afresh (pydal's own checks run), and one replaced by another
file gets a new connection. On Windows a kept adapter's file is closed at the end of each unit of
work (:data:`KEEP_FILES_OPEN`), as an open file there cannot be deleted or renamed.

One case differs from web2py: an app that keeps a ``DAL`` object beyond a request (in a module
global) and also makes one with the same arguments in its models shares that one adapter between
the two in the same thread (one connection, one transaction).
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from typing import Any

from pydal._globals import THREAD_LOCAL
from pydal.helpers.classes import SQLCallableList

from server.deferred_tables import REQUEST_STAMPS

log = logging.getLogger("pocketweb.database_reuse")

# arguments whose effect (code run at set-up, tables defined) a reused state would not repeat
_BUILT_EACH_TIME = ("after_connection", "auto_import", "tables")
# a DAL's state that every instance shares on purpose; every other list or dict is copied
_SHARED = frozenset({"_adapter", "_drivers_available"})
_KEPT_PER_KEY = 2  # a request rarely makes more than one DAL of the same arguments
_KEPT_KEYS = 16  # per thread: apps x databases served by one thread, least recently used go
# Windows cannot delete or rename a file that a connection holds open: an app's database kept
# open between requests would stop the window from deleting or renaming that app
KEEP_FILES_OPEN = os.name != "nt"


def frozen(value: Any) -> Any:
    """``value`` as a hashable key part (dicts and lists by content); raises TypeError when
    part of it cannot be one."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), frozen(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(frozen(item) for item in value))
    hash(value)
    return value


def reuse_key(db_class: type, args: tuple, kwargs: dict) -> tuple | None:
    """The key a ``DAL(*args, **kwargs)`` is kept and found under, or None: not reusable."""
    uri = args[0] if args else kwargs.get("uri", "sqlite://dummy.db")
    if not isinstance(uri, str) or not uri or uri == "<zombie>" \
            or ":memory" in uri.split("://", 1)[0] \
            or any(kwargs.get(name) for name in _BUILT_EACH_TIME):
        return None
    key = (db_class, args, tuple(kwargs.items()), getattr(THREAD_LOCAL, "_pydal_folder_", ""))
    try:
        hash(key)
        return key
    except TypeError:  # a list or dict argument (check_reserved=["all"], driver_args)
        pass
    try:
        return frozen(key)
    except TypeError:  # an argument an app made that cannot be compared
        return None


class PristineState:
    """A ``DAL``'s attributes right after pydal's ``__init__``: each later ``DAL`` gets its own
    copy of every list, dict, table list and thread-local in it (its tables, lazy tables,
    pending references...), and shares the rest (the adapter, strings, flags)."""

    __slots__ = ("shared", "copied")

    def __init__(self, attributes: dict[str, Any]) -> None:
        self.shared: dict[str, Any] = {}
        self.copied: list[tuple[str, Any]] = []
        for name, value in attributes.items():
            if name == "_db_uid":  # pydal's __new__ gives each DAL its own
                continue
            if name in _SHARED or not isinstance(value, _CONTAINERS):
                self.shared[name] = value
            else:
                self.copied.append((name, fresh_copy(value)))

    def copy(self) -> dict[str, Any]:
        state = dict(self.shared)
        for name, value in self.copied:
            state[name] = fresh_copy(value)
        return state


_CONTAINERS = (list, dict, SQLCallableList, threading.local)


def fresh_copy(value: Any) -> Any:
    """A new container with the same content (a new, empty thread-local)."""
    if isinstance(value, threading.local):
        return type(value)()
    return type(value)(value)


class Kept:
    """What one ``DAL`` left: its pristine state and its adapter, and the database file its
    connection is open on."""

    __slots__ = ("state", "adapter", "file")

    def __init__(self, state: PristineState, adapter: Any, file: tuple[int, int] | None):
        self.state, self.adapter, self.file = state, adapter, file


class KeptDatabases(threading.local):
    """This thread's kept adapters, by :func:`reuse_key`, least recently used first."""

    def __init__(self) -> None:
        self.by_key: OrderedDict[tuple, list[Kept]] = OrderedDict()


KEPT = KeptDatabases()


def remember_state(db: Any, key: tuple) -> None:
    """Note on ``db`` (just set up by pydal) the state a later ``DAL`` of ``key`` would copy."""
    object.__setattr__(db, "_reuse", (key, PristineState(db.__dict__)))


def restore(db: Any, key: tuple) -> bool:
    """Give ``db`` the state and adapter a kept ``DAL`` of ``key`` left; False when none is
    kept (or the one kept cannot serve: its database file is gone)."""
    kept = _take(key)
    if kept is None:
        return False
    adapter = kept.adapter
    if kept.file is not None and database_file(adapter) != kept.file:
        _close(adapter, None)  # replaced by another file: connect to the new one on first use
    db.__dict__.update(kept.state.copy())
    object.__setattr__(db, "_reuse", (key, kept.state))
    adapter.db = db
    if db._folder:
        db.set_folder(db._folder)
    return True


def _take(key: tuple) -> Kept | None:
    kept = KEPT.by_key.get(key)
    if not kept:
        return None
    candidate = kept.pop()
    if not kept:
        del KEPT.by_key[key]
    if uses_a_file(candidate.adapter) and database_file(candidate.adapter) is None:
        _close(candidate.adapter, None)  # gone: a fresh DAL runs pydal's own checks
        return None
    return candidate


def uses_a_file(adapter: Any) -> bool:
    return isinstance(getattr(adapter, "dbpath", None), str)


def database_file(adapter: Any) -> tuple[int, int] | None:
    """The SQLite file's device and inode (None: missing), which a kept connection is open on,
    as this thread's request sees it (:func:`server.deferred_tables.seen_stamp`'s stamps)."""
    status = REQUEST_STAMPS.stamps.stat(adapter.dbpath)
    return None if status is None else (status.st_dev, status.st_ino)


def keeps_connection(adapter: Any) -> bool:
    """SQLite connections are kept open (pydal would never pool them) where the OS lets an open
    file be deleted; others are closed, or go back to pydal's pool, as pydal does at the end of
    every unit of work."""
    return KEEP_FILES_OPEN and uses_a_file(adapter) \
        and getattr(adapter, "dbengine", "") in ("sqlite", "spatialite")


def refresh_schema(adapter: Any) -> None:
    """Make a kept SQLite connection read the schema again before a migration: another
    connection (a tool, another process) may have changed it since, and SQLite checks an
    ``ALTER TABLE`` against the schema the connection last read."""
    connection = getattr(THREAD_LOCAL, adapter._connection_uname_, None)
    if connection is not None and keeps_connection(adapter):
        connection.execute("SELECT count(*) FROM sqlite_master").fetchall()


def keep_databases(commit: bool) -> None:
    """End each reusable database of this thread (commit, or roll back) and keep its adapter;
    the others are left for pydal's ``close_all_instances``."""
    action = "commit" if commit else "rollback"
    groups = getattr(THREAD_LOCAL, "_pydal_db_instances_", {})
    for uid, group in list(groups.items()):
        for db in [db for db in group if "_reuse" in db.__dict__ and hasattr(db, "_adapter")]:
            group.remove(db)
            _keep(db, action)
        if not group:
            del groups[uid]


def _keep(db: Any, action: str) -> None:
    adapter = db._adapter
    if not _end_transaction(adapter, action):
        return
    file = None
    if keeps_connection(adapter):
        file = database_file(adapter)
    else:
        _close(adapter, None)
    key, state = db.__dict__["_reuse"]
    kept = KEPT.by_key.setdefault(key, [])
    KEPT.by_key.move_to_end(key)
    if len(kept) < _KEPT_PER_KEY:
        kept.append(Kept(state, adapter, file))
    else:
        _close(adapter, None)
    while len(KEPT.by_key) > _KEPT_KEYS:
        _, evicted = KEPT.by_key.popitem(last=False)
        for old in evicted:
            _close(old.adapter, None)


def close_kept() -> None:
    """Close every connection this thread keeps, and forget their adapters (a caller about to
    count, move or delete database files)."""
    for kept in KEPT.by_key.values():
        for old in kept:
            _close(old.adapter, None)
    KEPT.by_key.clear()


def _end_transaction(adapter: Any, action: str) -> bool:
    """Commit or roll back an open connection; False (closed, not to be kept) when that fails."""
    if getattr(THREAD_LOCAL, adapter._connection_uname_, None) is None:
        return True
    try:
        getattr(adapter, action)()
    except Exception:
        log.warning("%s failed; the connection is closed", action, exc_info=True)
        _close(adapter, None)
        return False
    return True


def _close(adapter: Any, action: str | None) -> None:
    """Close the adapter's connection in this thread (pydal's ``close``: back to its pool when
    the app asked for one)."""
    try:
        adapter.close(action)
    except Exception:
        log.debug("closing a kept connection failed", exc_info=True)
