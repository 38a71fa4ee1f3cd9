"""web2py admin's "clean": what an application gathered while it ran (sessions, error tickets,
cache files), counted first so the user knows what will go, then deleted."""

from __future__ import annotations

import shutil
from pathlib import Path

from server.manage.app_folders import RUNTIME_FOLDERS, existing_app_folder


def runtime_counts(root: Path, name: str) -> dict[str, int]:
    """How many files each of ``name``'s sessions, errors and cache folders holds."""
    folder = existing_app_folder(root, name)
    return {kind: sum(1 for path in _entries(folder / kind) for _ in _files(path))
            for kind in RUNTIME_FOLDERS}


def clean_app(root: Path, name: str) -> dict[str, int]:
    """Delete what :func:`runtime_counts` counts; returns the counts of what was deleted.
    Raises OSError naming the first entry that could not be deleted (the rest still goes)."""
    folder = existing_app_folder(root, name)
    counts = runtime_counts(root, name)
    failed = empty_runtime_folders(folder)
    if failed:
        names = ", ".join(path.relative_to(folder).as_posix() for path in failed[:3])
        more = f" and {len(failed) - 3} more" if len(failed) > 3 else ""
        raise OSError(f"could not delete {names}{more}")
    return counts


def empty_runtime_folders(app_folder: Path) -> list[Path]:
    """Delete every entry of the app's runtime folders (hidden ones such as ``.gitkeep``
    stay); returns those that could not be deleted."""
    failed = []
    for path in (path for kind in RUNTIME_FOLDERS for path in _entries(app_folder / kind)):
        try:
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        except OSError:
            failed.append(path)
    return failed


def _entries(folder: Path) -> list[Path]:
    try:
        return [path for path in folder.iterdir() if not path.name.startswith(".")]
    except OSError:  # no such folder: nothing gathered
        return []


def _files(path: Path):
    if path.is_dir() and not path.is_symlink():
        yield from (child for child in path.rglob("*") if not child.is_dir())
    else:
        yield path
