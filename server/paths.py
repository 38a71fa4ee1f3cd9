"""Where Pocketweb keeps its files, and the one safe-join every user- or request-named path uses.

The writable root (``applications/``, ``parameters_PORT.py``, settings) sits beside main.py, or
beside the executable when frozen by PyInstaller, so the program travels on a USB stick. Read-only
bundled files (the pristine welcome app) live under ``sys._MEIPASS`` when frozen.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent


class PathEscape(ValueError):
    """A path tried to leave the folder it was joined to."""


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def default_root() -> Path:
    """The folder that holds ``applications/``: the executable's folder when frozen."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    return SOURCE_ROOT


def bundled_root() -> Path:
    """Where read-only shipped files are: PyInstaller's unpack folder, or the source tree."""
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if meipass else SOURCE_ROOT


def safe_join(base: str | os.PathLike, *parts: str) -> Path:
    """Join ``parts`` under ``base`` and refuse any result outside ``base``.

    Absolute parts, ``..`` segments, NUL bytes and symlinks that lead out of ``base`` all raise
    :class:`PathEscape`. The returned path is resolved (symlinks followed).
    """
    base_path = Path(base).resolve()
    for part in parts:
        if "\x00" in part:
            raise PathEscape("NUL byte in path")
        if part.startswith(("/", "\\")) or (len(part) > 1 and part[1] == ":"):
            raise PathEscape(f"absolute path refused: {part!r}")
    candidate = base_path.joinpath(*parts).resolve()
    if candidate != base_path and base_path not in candidate.parents:
        raise PathEscape(f"path escapes {base_path}: {'/'.join(parts)!r}")
    return candidate


@lru_cache(maxsize=4096)
def subfolder(folder: Path, *names: str) -> Path:
    """``folder / names...`` for framework-chosen names, remembered: each request needs several of
    these joins and pathlib's parsing is a measurable share of a small request. Never pass names
    that come from a request here; those go through :func:`safe_join`."""
    return folder.joinpath(*names)
