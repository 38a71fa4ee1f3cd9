"""web2py's ``getcfs`` ("cache of file system"): a value computed from a file, kept until the
file changes (its modification time), shared by every thread."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

_entries: dict[str, tuple[object, object]] = {}
_lock = threading.Lock()


def getcfs(key: str, filename: str,
           filter: Callable[[], Any] | None = None) -> Any:  # noqa: A002 - web2py's name
    """``filter()`` (or the file's text when no filter) for ``filename``'s current version."""
    try:
        stamp = os.stat(filename).st_mtime_ns
    except OSError:
        stamp = None
    with _lock:
        entry = _entries.get(key)
    if entry is not None and entry[0] == stamp:
        return entry[1]
    if filter is None:
        with open(filename, encoding="utf-8") as handle:
            value = handle.read()
    else:
        value = filter()
    with _lock:
        _entries[key] = (stamp, value)
    return value
