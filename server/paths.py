"""Where Pocketweb keeps its files, and the one safe-join every user- or request-named path uses.

Three ways to run, three rules for the writable root (``applications/``, ``parameters_PORT.py``,
settings):

- a checkout (``main.py`` beside ``server/``): beside main.py;
- the portable bundle (frozen by PyInstaller): beside the executable, so it travels on a stick;
- an installed package (``pip install pocketweb``): the current folder when it holds
  ``applications/``, else a per-user data folder.

Read-only shipped files (the pristine welcome app and the examples) are the checkout's own
``applications/``, ``sys._MEIPASS`` when frozen, or the wheel's ``pocketweb/applications``.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent


class PathEscape(ValueError):
    """A path tried to leave the folder it was joined to."""


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def is_checkout() -> bool:
    """Running from the source tree (``make run``), not frozen and not installed."""
    return not is_frozen() and (SOURCE_ROOT / "main.py").is_file()


def is_installed() -> bool:
    """An installed package, neither a checkout nor the portable bundle: its root is chosen by
    :func:`installed_root`, so the command line names it."""
    return not is_frozen() and not is_checkout()


def default_root() -> Path:
    """The folder that holds ``applications/`` when no ``--folder`` is given."""
    if is_frozen():
        return Path(sys.executable).resolve().parent
    if is_checkout():
        return SOURCE_ROOT
    return installed_root()


def installed_root() -> Path:
    """An installed ``pocketweb``: the current folder if it holds ``applications/``, else the
    per-user data folder."""
    here = Path.cwd()
    if (here / "applications").is_dir():
        return here
    return user_data_root()


def user_data_root() -> Path:
    """The per-user data folder (``~/.local/share/pocketweb`` and its kin; not created here)."""
    import platformdirs

    return platformdirs.user_data_path("pocketweb", appauthor=False)


def bundled_root() -> Path:
    """The folder whose ``applications/`` holds the shipped apps: PyInstaller's unpack folder,
    the source tree, or, installed, the ``pocketweb`` package (the wheel carries them there)."""
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        return Path(meipass)
    if is_checkout():
        return SOURCE_ROOT
    spec = importlib.util.find_spec("pocketweb")
    if spec is None or not spec.submodule_search_locations:
        return SOURCE_ROOT
    return Path(next(iter(spec.submodule_search_locations)))


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


SUBFOLDERS_KEPT = 4096
_subfolders: dict[tuple[int, tuple[str, ...]], tuple[Path, Path]] = {}


def subfolder(folder: Path, *names: str) -> Path:
    """``folder / names...`` for framework-chosen names, remembered: each request needs several of
    these joins and pathlib's parsing is a measurable share of a small request. Never pass names
    that come from a request here; those go through :func:`safe_join`.

    Remembered by the identity of ``folder`` (the caller's long-lived Path; hashing and comparing
    Paths costs more than the join saves), the entry holding ``folder`` itself so its id is
    never another object's."""
    key = (id(folder), names)
    entry = _subfolders.get(key)
    if entry is not None and entry[0] is folder:
        return entry[1]
    joined = folder.joinpath(*names)
    if len(_subfolders) >= SUBFOLDERS_KEPT:
        _subfolders.clear()
    _subfolders[key] = (folder, joined)
    return joined
