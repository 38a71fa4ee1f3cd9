"""Ending database work: commit, or roll back without letting a broken connection hide the
error that made the rollback necessary."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from pydal._globals import THREAD_LOCAL
from pydal.connection import ConnectionPool

from server.database_reuse import keep_databases
from server.deferred_tables import use_file_stamps
from server.file_stamps import UNCACHED

log = logging.getLogger("pocketweb.transactions")

T = TypeVar("T")


def quiet_rollback(db: Any) -> None:
    """Roll ``db`` back; a connection that is gone cannot be, and the caller's error matters."""
    try:
        db.rollback()
    except Exception:
        log.debug("rollback failed", exc_info=True)


def committed(db: Any, operation: Callable[[], T]) -> T:
    """Run ``operation`` and commit; roll back (quietly) and re-raise if either fails."""
    try:
        result = operation()
        db.commit()
    except Exception:
        quiet_rollback(db)
        raise
    return result


def close_databases(commit: bool) -> None:
    """Commit (or roll back) every database connection this thread opened: the ones models
    will make again keep their adapter for the next unit of work
    (:mod:`server.database_reuse`), the others are closed."""
    try:
        if not opened_databases():
            return  # a unit of work that made no DAL (a hello action) has nothing to end
        keep_databases(commit)
        if commit:
            ConnectionPool.close_all_instances("commit")
            return
        try:
            ConnectionPool.close_all_instances("rollback")
        except Exception:
            log.exception("rollback failed")
    finally:
        forget_closed_connections()
        use_file_stamps(UNCACHED)  # this thread's next work outside a request looks afresh


def opened_databases() -> bool:
    """Whether this thread made a DAL (or pydal kept a closed one's zombie) since the last end.

    Read from the thread-local's own dict: a missing attribute of a ``threading.local`` costs an
    exception, which pydal's own look-ups pay twice on every request."""
    names = vars(THREAD_LOCAL)
    return bool(names.get("_pydal_db_instances_") or names.get("_pydal_db_instances_zombie_"))


CONNECTION_NAMES = ("_pydal_connection_", "_pydal_cursor_")


def forget_closed_connections() -> None:
    """pydal keeps each adapter's connection and cursor on the thread under a name made of the
    adapter's id, and leaves the name (set to None) when it closes: with models making a DAL
    per request, a server thread would keep two names per request it ever served (memory that
    grows with the requests). The closed ones go; an adapter used again makes its names anew."""
    names = vars(THREAD_LOCAL)
    for name in [n for n, value in names.items()
                 if value is None and n.startswith(CONNECTION_NAMES)]:
        del names[name]
