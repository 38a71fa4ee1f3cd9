"""The one way the window runs slow work: on Qt's thread pool, reporting back through signals.

Signals emitted from the pool thread are delivered in the GUI thread (queued connection), so the
callbacks may touch widgets. A running task is kept referenced until it reports, otherwise Python
could collect its signal object while the pool thread still uses it. When ``owner`` is given and
that widget or object is deleted before the task ends, the callbacks are not called.

Database work takes a connection of its own on the worker (:func:`on_own_connection`); in-memory
SQLite databases cannot be shared with another thread (:func:`is_in_memory`), so callers run
their work in place.
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class TaskSignals(QObject):
    """``succeeded(result)`` or ``failed(message)``, exactly one of them per task."""

    succeeded = Signal(object)
    failed = Signal(str)


class Task(QRunnable):
    """Call ``function(*args)`` in a pool thread; any exception becomes a ``failed`` message."""

    def __init__(self, function: Callable, *args):
        super().__init__()
        self.setAutoDelete(False)
        self.function = function
        self.args = args
        self.signals = TaskSignals()

    def run(self) -> None:
        try:
            result = self.function(*self.args)
        except Exception as exc:  # reported to the user, never allowed to kill the window
            self.signals.failed.emit(error_message(exc))
        else:
            self.signals.succeeded.emit(result)


def error_message(exc: BaseException) -> str:
    """A user-fit text: the exception's own message, or its class name when it has none."""
    return str(exc) or type(exc).__name__


_running: set[Task] = set()


def run_in_background(
    function: Callable,
    *args,
    on_success: Callable[[object], None],
    on_failure: Callable[[str], None],
    owner: QObject | None = None,
) -> Task:
    """Start ``function(*args)`` off the GUI thread; the callbacks run in the GUI thread."""
    task = Task(function, *args)
    _running.add(task)

    def finish(callback: Callable, value) -> None:
        _running.discard(task)
        if owner is None or shiboken6.isValid(owner):
            callback(value)

    task.signals.succeeded.connect(lambda result: finish(on_success, result))
    task.signals.failed.connect(lambda message: finish(on_failure, message))
    QThreadPool.globalInstance().start(task)
    return task


def is_in_memory(db) -> bool:
    """Whether ``db`` (a pydal DAL) is an in-memory SQLite database, bound to its thread."""
    uri = str(getattr(db, "_uri", ""))
    return uri.startswith("sqlite:memory") or uri.split("://", 1)[-1] == ":memory:"


def on_own_connection(function: Callable, db, *args):
    """``function(db, *args)`` on a worker thread, which gets a connection of its own (pydal
    keeps one per thread), closed again when done.

    A connection left open would outlive the database it belongs to (every app shown leaks one
    to the PostgreSQL server) and, once Python reuses the closed DAL's id, serve another one.
    Whatever the function left uncommitted is rolled back.
    """
    try:
        return function(db, *args)
    finally:
        try:
            db._adapter.close(action="rollback")
        except Exception:  # a broken connection is dropped all the same
            pass


def run_on_database(function: Callable, db, *args, on_success: Callable[[object], None],
                    on_failure: Callable[[str], None], owner: QObject | None = None) -> None:
    """``function(db, *args)`` on a worker with a connection of its own, or in place for an
    in-memory database (another thread would see another, empty, one); same callbacks."""
    if not is_in_memory(db):
        run_in_background(on_own_connection, function, db, *args, on_success=on_success,
                          on_failure=on_failure, owner=owner)
        return
    try:
        result = function(db, *args)
    except Exception as exc:  # reported like a worker's failure
        on_failure(error_message(exc))
    else:
        on_success(result)


def close_database(db) -> None:
    """Close ``db`` (a pydal DAL) from any thread. pydal's own ``close`` closes this thread's
    connection, then forgets the DAL in a registry of the thread that made it, which this
    thread may lack or hold other DALs of the same URI in."""
    try:
        db.close()
    except (AttributeError, ValueError):  # made on another thread: the connection is closed
        pass


class SingleRead:
    """At most one background read of a panel at a time: asking while one runs asks for one
    more once it ends (its answer may predate the change that asked)."""

    def __init__(self):
        self.running = False
        self.again = False

    def start(self) -> bool:
        """Whether to start a read now; if not, one more is due after the running one."""
        if self.running:
            self.again = True
            return False
        self.running, self.again = True, False
        return True

    def finish(self) -> bool:
        """The read ended: whether another was asked for meanwhile."""
        again = self.again
        self.running = self.again = False
        return again
