"""How long work reports how far it got, and how it is told to stop.

A tool (the window) makes a :class:`Progress` and hands it to the function doing the work on
another thread: the function calls :meth:`Progress.advance` as it goes, which passes ``(done,
total)`` on to the tool's callback (a few times a second, not once per row) and raises
:class:`Cancelled` once the tool has called :meth:`Progress.cancel`. The function decides what a
cancel leaves behind (rolled back, kept, removed) and says so in what it returns or raises.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Report = Callable[[int, int | None], None]  # (done, total or None when unknown)

REPORT_INTERVAL = 0.05  # seconds between two reports: enough for a bar, not a flood of signals


class Cancelled(Exception):
    """The work was cancelled; the message says what it left behind."""


class Progress:
    """Thread-safe: ``advance`` on the working thread, ``cancel`` from any other."""

    def __init__(self, report: Report | None = None):
        self._report = report
        self._cancelled = threading.Event()
        self._last = 0.0
        self._lock = threading.Lock()
        self._on_cancel: list[Callable[[], object]] = []

    def cancel(self) -> None:
        """Ask the work to stop: at its next ``advance``, and at once for a statement it runs
        (see :meth:`interrupting`)."""
        with self._lock:
            self._cancelled.set()
            hooks, self._on_cancel = self._on_cancel, []
        for hook in hooks:
            _quietly(hook)

    @contextmanager
    def interrupting(self, interrupt: Callable[[], object]) -> Iterator[None]:
        """While the block runs, a cancel calls ``interrupt`` (a database connection's
        ``interrupt`` or ``cancel``, which stop a statement from another thread)."""
        with self._lock:
            cancelled = self._cancelled.is_set()
            if not cancelled:
                self._on_cancel.append(interrupt)
        if cancelled:
            _quietly(interrupt)
        try:
            yield
        finally:
            with self._lock:
                if interrupt in self._on_cancel:
                    self._on_cancel.remove(interrupt)

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` if the work was cancelled."""
        if self._cancelled.is_set():
            raise Cancelled("cancelled")

    def advance(self, done: int, total: int | None = None) -> None:
        """``done`` of ``total`` units (rows, bytes, files) so far; raises :class:`Cancelled`
        when cancelled. The last unit (``done == total``) is always reported."""
        self.check()
        now = time.monotonic()
        if self._report is not None and (now - self._last >= REPORT_INTERVAL or done == total):
            self._last = now
            self._report(done, total)



def _quietly(hook: Callable[[], object]) -> None:
    try:
        hook()
    except Exception:  # a connection already closed has nothing left to stop
        pass
