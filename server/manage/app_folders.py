"""Application names and folders: the rules every management action checks first, and the
errors they raise (each message fit to show in a dialog as is)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from server.paths import PathEscape, safe_join

APP_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
FILE_SEGMENT_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")

STANDARD_FOLDERS = (
    "models", "controllers", "views", "languages", "static", "modules", "private",
    "uploads", "databases", "sessions", "errors", "cache", "cron",
)
# Folders whose contents belong to one running copy, never to the application's source.
RUNTIME_FOLDERS = ("sessions", "errors", "cache")
# Data folders an overwrite-install keeps from the old copy unless the archive brings its own.
KEPT_ON_OVERWRITE = ("databases", "uploads", "sessions", "errors", "cache")

MAX_INSTALL_BYTES = 512 * 1024 * 1024
MAX_INSTALL_MEMBERS = 50_000


class AppError(Exception):
    """An application action failed; ``str(error)`` is a message for the user."""


class AppNameError(AppError):
    """An application or file name is not acceptable."""


class AppExistsError(AppError):
    """The application or file to create already exists."""


class AppNotFoundError(AppError):
    """The named application does not exist."""


class AppArchiveError(AppError):
    """A ``.w2p`` archive cannot be installed (corrupt, unsafe or too big)."""


# ----------------------------------------------------------------------------- names and folders


def applications_folder(root: Path) -> Path:
    return Path(root) / "applications"


def check_app_name(name: str) -> str:
    """Return ``name`` if it can be an application (a URL segment and a Python identifier)."""
    if not isinstance(name, str) or not APP_NAME_RE.match(name):
        raise AppNameError(
            f"{name!r} is not a valid application name: use letters, digits and underscores, "
            "not starting with a digit"
        )
    return name


def app_folder(root: Path, name: str) -> Path:
    """The folder of application ``name`` (which may not exist yet)."""
    check_app_name(name)
    try:
        return safe_join(applications_folder(root), name)
    except PathEscape as exc:
        raise AppNameError(f"application {name!r} points outside the applications folder") from exc


def new_app_folder(root: Path, name: str, overwrite: bool = False) -> Path:
    """The folder a new application ``name`` would take; refuses an invalid name, and a
    taken one unless ``overwrite``. Dialogs call it to keep their form open on a bad name."""
    target = app_folder(root, name)
    if target.exists() and not overwrite:
        raise AppExistsError(f"an application named {name!r} already exists")
    return target


def unused_app_name(root: Path, wanted: str) -> str:
    """``wanted`` made a valid application name that no application has yet: ``blog``, else
    ``blog_2``, ``blog_3``, …"""
    base = re.sub(r"\W", "_", wanted) or "app"
    if base[0].isdigit():
        base = f"app_{base}"
    name, number = base, 1
    while (applications_folder(root) / name).exists():
        number += 1
        name = f"{base}_{number}"
    return name


def existing_app_folder(root: Path, name: str) -> Path:
    folder = app_folder(root, name)
    if not folder.is_dir():
        raise AppNotFoundError(f"there is no application named {name!r}")
    return folder


def is_app_folder(folder: Path) -> bool:
    return folder.is_dir() and (
        (folder / "__init__.py").is_file() or (folder / "controllers").is_dir()
    )


def list_apps(root: Path) -> list[str]:
    """Names of the applications under ``root/applications``, sorted."""
    folder = applications_folder(root)
    if not folder.is_dir():
        return []
    return sorted(
        entry.name for entry in folder.iterdir()
        if APP_NAME_RE.match(entry.name) and is_app_folder(entry)
    )


def is_compiled_cache(name: str) -> bool:
    """Python's compiled caches: never part of an application's source."""
    return name == "__pycache__" or name.endswith(".pyc")


def staging_folder(target: Path, purpose: str) -> Path:
    """A hidden empty folder beside ``target``, on the same disk so a rename can publish it."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{purpose}-", dir=target.parent))


def ensure_standard_folders(folder: Path) -> None:
    for sub in STANDARD_FOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)
