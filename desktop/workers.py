"""Run slow work (packing, installing) on Qt's thread pool and report back through signals.

Signals emitted from the pool thread are delivered in the GUI thread (queued connection), so the
callbacks may touch widgets. A running task is kept referenced until it reports, otherwise Python
could collect its signal object while the pool thread still uses it.
"""

from __future__ import annotations

from collections.abc import Callable

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
) -> Task:
    """Start ``function(*args)`` off the GUI thread; the callbacks run in the GUI thread."""
    task = Task(function, *args)
    _running.add(task)
    task.signals.succeeded.connect(on_success)
    task.signals.failed.connect(on_failure)
    task.signals.succeeded.connect(lambda _result: _running.discard(task))
    task.signals.failed.connect(lambda _message: _running.discard(task))
    QThreadPool.globalInstance().start(task)
    return task
