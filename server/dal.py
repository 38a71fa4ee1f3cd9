"""Pocketweb's ``DAL``: pydal's, with migration files read from memory while they are unchanged.

web2py's models run on every request, so every request defines its tables again and pydal's
migrator compares each definition with the one pickled in its ``.table`` file: it takes a shared
lock, opens and reads the file every time. Here the migrator still compares every definition on
every request (so a changed model still migrates on the next one), but it reads a ``.table``
file from disk only when the file's stat (modification time in ns, size, inode) differs from
the last read in this process; a file edited, replaced or deleted between requests is read (or
created) again. Apps get this ``DAL`` through their environment, ``gluon.dal`` and ``from gluon
import *``; pydal itself is not patched.
"""

from __future__ import annotations

import inspect
import io
import os
import threading
from typing import Any

import pydal
from pydal.contrib import portalocker
from pydal.migrator import Migrator

_DAL_PARAMETERS = inspect.signature(pydal.DAL.__init__)


class MigrationFiles:
    """The bytes of each ``.table`` file read in this process, with the stat they were read at."""

    def __init__(self) -> None:
        self._read: dict[str, tuple[tuple[int, int, int], bytes]] = {}
        self._lock = threading.Lock()

    def read(self, path: str) -> bytes:
        """The file's bytes: from memory when its stat is the one last read, else from disk."""
        status = os.stat(path)
        stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
        with self._lock:
            remembered = self._read.get(path)
        if remembered is not None and remembered[0] == stamp:
            return remembered[1]
        locked = portalocker.LockedFile(path, "rb")
        try:
            content = locked.read()
        finally:
            locked.close()
        with self._lock:
            self._read[path] = (stamp, content)
        return content


MIGRATION_FILES = MigrationFiles()


class RememberingMigrator(Migrator):
    """pydal's migrator, reading ``.table`` files through :data:`MIGRATION_FILES`."""

    def file_open(self, filename: str, mode: str = "rb", lock: bool = True) -> Any:
        if mode == "rb" and filename.endswith(".table"):
            return io.BytesIO(MIGRATION_FILES.read(filename))
        return Migrator.file_open(filename, mode, lock)


class DAL(pydal.DAL):
    """pydal's ``DAL`` with :class:`RememberingMigrator` unless the app names its own migrator
    (``adapter_args=dict(migrator=...)``, e.g. pydal's ``InDBMigrator``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        bound = _DAL_PARAMETERS.bind(self, *args, **kwargs)
        adapter_args = dict(bound.arguments.get("adapter_args") or {})
        adapter_args.setdefault("migrator", RememberingMigrator)
        bound.arguments["adapter_args"] = adapter_args
        super().__init__(*bound.args[1:], **bound.kwargs)
