"""Live reload for files changed outside the window: a thread that polls the modification
times of every app's files and reports the apps whose files changed.

An external editor, ``git checkout`` or a script writes an app's files without the window
knowing; :class:`AppsWatcher` notices within :data:`POLL_SECONDS` and calls ``changed(app)``,
which moves that app's live-reload number on (:class:`server.hosting.live_reload.ChangeBoard`).
It runs in a thread of its own, never on a request's path, and skips the folders a running
app writes itself (its databases, sessions, tickets, cache, uploads), or every request would
reload its pages. A save in the window only wakes it (:meth:`AppsWatcher.look_now`), so a
save is one reload whoever made it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path

POLL_SECONDS = 0.5
RUNTIME_FOLDERS = frozenset({"databases", "sessions", "errors", "cache", "uploads", "private",
                             "__pycache__"})
Stamp = tuple[int, int]  # (mtime in ns, size)


def app_stamps(folder: Path) -> dict[str, Stamp]:
    """Each source file of the app in ``folder`` (relative path) with its time and size."""
    stamps: dict[str, Stamp] = {}
    pending = [str(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:  # removed while we looked
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name not in RUNTIME_FOLDERS and not entry.name.startswith("."):
                        pending.append(entry.path)
                elif entry.is_file() and not entry.name.endswith((".pyc", "~", ".swp")):
                    status = entry.stat()
                    stamps[os.path.relpath(entry.path, folder)] = (status.st_mtime_ns,
                                                                    status.st_size)
            except OSError:
                continue
    return stamps


class AppsWatcher:
    """``AppsWatcher(root / "applications", changed).start()``; :meth:`stop` when done."""

    def __init__(self, applications: Path, changed: Callable[[str], None],
                 poll_seconds: float = POLL_SECONDS):
        self.applications = Path(applications)
        self.changed = changed
        self.poll_seconds = poll_seconds
        self._stamps: dict[str, dict[str, Stamp]] = {}
        self._lock = threading.Lock()  # one comparison at a time: a change is reported once
        self._stopped = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self.scans = 0  # passes made, for tests waiting for the watcher to have looked

    def start(self) -> None:
        """Take the apps' current times, then watch them in a thread (once)."""
        with self._lock:
            if self._thread is not None or self._stopped.is_set():
                return
            self._stamps = {app: app_stamps(self.applications / app) for app in self._apps()}
            self._thread = threading.Thread(target=self._run, name="pocketweb-live-reload",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=10)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def scan(self) -> list[str]:
        """One pass: the apps whose files changed since the last one, each reported."""
        with self._lock:
            found = []
            for app in sorted(set(self._apps()) | set(self._stamps)):
                stamps = app_stamps(self.applications / app)
                previous = self._stamps.get(app)
                if previous is not None and previous != stamps:
                    found.append(app)
                self._stamps[app] = stamps
            self.scans += 1
        for app in found:
            self.changed(app)
        return found

    def look_now(self) -> None:
        """A file was saved in the window: the next pass starts now, not at its time (off
        the caller's thread; the pass reports the save like any other change, once)."""
        self._wake.set()

    def _apps(self) -> list[str]:
        try:
            return [entry.name for entry in os.scandir(self.applications)
                    if entry.is_dir() and not entry.name.startswith((".", "__"))]
        except OSError:
            return []

    def _run(self) -> None:
        while True:
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
            if self._stopped.is_set():
                return
            self.scan()
