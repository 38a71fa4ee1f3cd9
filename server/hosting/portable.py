"""Portable data: the writable root, first-start seeding, and what to do when it is read-only.

Pocketweb keeps ``applications/`` and ``parameters_PORT.py`` beside the program (beside the
executable when frozen), so it runs from a USB stick and takes its data along. The pristine apps
shipped inside the bundle are copied out on first start, one by one, only where missing: user
data is never overwritten. If the stick is read-only, :func:`check_writable` explains why and
:func:`fallback_root` names a per-user folder to offer; nothing is written there unless chosen.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from server.manage import apps
from server.paths import bundled_root, default_root, user_data_root


class PortableError(OSError):
    """The root folder cannot be prepared; the message is fit for a dialog."""


def writable_root(explicit: str | os.PathLike | None = None) -> Path:
    """The root the user asked for (``--folder``), else the program's own folder."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    return default_root()


def bundled_apps() -> Path:
    return bundled_root() / "applications"


HELP_DOCUMENTS = {"README": "README.md", "Tutorial": "docs/tutorial.md"}


def help_documents() -> dict[str, Path]:
    """The Markdown documents the Help menu opens offline, by title, where this copy has them
    (the source tree and the portable bundle do; an installed wheel does not)."""
    found = {title: bundled_root() / name for title, name in HELP_DOCUMENTS.items()}
    return {title: path for title, path in found.items() if path.is_file()}


def seed_root(root: Path) -> list[str]:
    """Copy each bundled app missing from ``root/applications``; return the names copied.

    Apps already there, even half-edited or broken ones, are left exactly as they are. Several
    processes may start at once in a new root (gunicorn, scheduler workers): each app is
    renamed into place whole, and the one that loses the race leaves the winner's copy.
    """
    source = bundled_apps()
    target = Path(root) / "applications"
    if not source.is_dir() or _same_folder(source, target):
        return []
    seeded = []
    for name in apps.list_apps(bundled_root()):
        if (target / name).exists():
            continue
        try:
            apps.copy_app(source / name, target / name)
        except OSError as exc:
            if (target / name).exists():  # another process starting in this root seeded it
                continue
            raise PortableError(f"could not copy the bundled app {name!r} to {target}: {exc}") \
                from exc
        seeded.append(name)
    return seeded


def _same_folder(first: Path, second: Path) -> bool:
    return second.exists() and first.resolve() == second.resolve()


def check_writable(root: Path) -> str | None:
    """None when Pocketweb can keep its data in ``root`` (created if missing), else why not.

    Writability is tested by really creating and removing a file: permission bits lie on
    read-only media, network shares and for the administrator account.
    """
    root = Path(root)
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / "applications").mkdir(exist_ok=True)
        for folder in (root, root / "applications"):
            with tempfile.TemporaryFile(dir=folder, prefix=".pocketweb-write-test-"):
                pass
    except OSError as exc:
        reason = exc.strerror or str(exc)
        return (
            f"Pocketweb cannot save its applications and settings in {root} ({reason}). "
            "The folder may be on a read-only disk or a locked USB stick. "
            "Choose another folder, or use the suggested one in your user profile."
        )
    return None


def fallback_root() -> Path:
    """A per-user folder to offer when the program's folder is read-only (not created here)."""
    return user_data_root()


def prepare_root(explicit: str | os.PathLike | None = None) -> Path:
    """The root to use, checked writable and seeded; :class:`PortableError` says why not.

    The command line calls this once at start; a window can instead call :func:`check_writable`
    itself and offer :func:`fallback_root` when it returns a message.
    """
    root = writable_root(explicit)
    problem = check_writable(root)
    if problem:
        raise PortableError(problem)
    seed_root(root)
    return root
