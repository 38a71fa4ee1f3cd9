"""One ``stat`` per file per check interval: how every per-request cache notices a changed file.

Code, templates, language files, model listings, compiled forms and ``routes.py`` are cached
across requests and re-read when their file's stat changes. A ``stat`` is a system call, and on
a virtual machine a dozen of them cost more than the rest of a hello request, so an
:class:`~server.wsgi.Application` keeps one :class:`FileStamps` for all its caches: with an
interval of 0 every look is a fresh ``stat`` (each request sees the files as they are); with an
interval of ``n`` seconds (``ServerOptions.change_check_interval``) a request reuses what the
requests of the last ``n`` seconds saw, so a save is noticed within ``n`` seconds, as Django's
and Flask's reloaders poll once a second. :meth:`FileStamps.forget` makes the next look fresh
(the window's own saves, and tests, call it through the Application).
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

Clock = Callable[[], float]


class FileStamps:
    """``os.stat`` results of files and folders (None: missing), kept up to ``interval``
    seconds; thread-safe (a forgotten table is replaced, never cleared in place)."""

    def __init__(self, interval: float = 0.0, clock: Clock = time.monotonic):
        self.interval = interval
        self._clock = clock
        self._known: dict[str, os.stat_result | None] = {}
        self._since = clock() if interval > 0 else 0.0
        self.generation = 0  # moves on whenever a look may see something new

    def begin(self) -> None:
        """Called as a request starts: forget what is older than the interval (one clock read)."""
        if self.interval > 0:
            now = self._clock()
            if now - self._since >= self.interval:
                self._since = now
                self._known = {}
                self.generation += 1

    def forget(self) -> None:
        """The next look at every file is a fresh ``stat``."""
        self._since = self._clock() if self.interval > 0 else 0.0
        self._known = {}
        self.generation += 1

    def drop(self, path: str | Path) -> None:
        """The next look at ``path`` is a fresh ``stat`` (we have just written it)."""
        self._known.pop(str(path), None)
        self.generation += 1

    def unchanged_since(self, generation: int) -> bool:
        """Whether every look would still give what it gave when :attr:`generation` was
        ``generation`` (never so without an interval: each look is a fresh stat)."""
        return self.interval > 0 and generation == self.generation

    def stat(self, path: str | Path) -> os.stat_result | None:
        """``os.stat(path)``, or None when it fails (missing, unreadable)."""
        if self.interval <= 0:
            return _stat(path)
        key = str(path)
        known = self._known
        if key in known:
            return known[key]
        result = known[key] = _stat(key)
        return result

    def mtime(self, path: str | Path) -> int:
        """The modification time in ns, -1 for a missing file."""
        result = self.stat(path)
        return -1 if result is None else result.st_mtime_ns

    def is_file(self, path: str | Path) -> bool:
        result = self.stat(path)
        return result is not None and stat.S_ISREG(result.st_mode)

    def is_dir(self, path: str | Path) -> bool:
        result = self.stat(path)
        return result is not None and stat.S_ISDIR(result.st_mode)


def _stat(path: str | Path) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


UNCACHED = FileStamps()  # for caches built outside an Application: every look is a fresh stat
