"""Application management: list, create, delete, rename, new files, pack and install ``.w2p``.

This is the API behind the desktop's application and file actions. Every name a user types goes
through :data:`APP_NAME_RE` or the file-name rules below and then :func:`server.paths.safe_join`.
Every failure raises an :class:`AppError` subclass whose message can be shown in a dialog as is.

Writes that could leave half a result (create, install) build in a hidden temporary folder beside
the target and rename it into place, so a failure never leaves a partial application behind.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from server.manage.app_archives import default_archive_name, install_app, pack_app
from server.manage.app_folders import (
    APP_NAME_RE,
    FILE_SEGMENT_RE,
    LANGUAGE_RE,
    RUNTIME_FOLDERS,
    STANDARD_FOLDERS,
    AppArchiveError,
    AppError,
    AppExistsError,
    AppNameError,
    AppNotFoundError,
    app_folder,
    applications_folder,
    check_app_name,
    ensure_standard_folders,
    existing_app_folder,
    is_app_folder,
    is_compiled_cache,
    list_apps,
    new_app_folder,
    staging_folder,
    unused_app_name,
)
from server.paths import PathEscape, bundled_root, safe_join

# The desktop's API is this module; names and folders, and archives, live in their own modules.
__all__ = [
    "APP_NAME_RE", "STANDARD_FOLDERS", "AppArchiveError", "AppError", "AppExistsError",
    "AppNameError", "AppNotFoundError", "app_folder", "applications_folder", "check_app_name",
    "copy_app", "create_app", "default_archive_name", "delete_app", "delete_file",
    "existing_app_folder", "rename_file",
    "install_app", "is_app_folder", "list_apps", "new_app_folder", "new_file", "pack_app",
    "rename_app", "scaffold_folder", "unused_app_name",
]

# ----------------------------------------------------------------------------- create / delete


# The apps a new application can start from, with the one line the window shows for each.
STARTING_POINTS = {
    "welcome": "the empty scaffold: a home page, login and a sample table",
    "contacts": "companies and their people: references, uploads, notes",
    "login": "register, verify by mail, members-only and group-only pages",
    "todo": "a to-do list per user: add, complete, delete, filter",
    "contact_form": "a validated form that stores and mails each message",
    "cart": "a shopping cart in the session, checkout in one transaction",
    "bank": "accounts, deposits and transfers that never go below zero",
    "data_fetch": "a JSON service and a page whose script shows it",
}


def _starting_point_folder(root: Path, name: str) -> Path | None:
    """The root's copy of a starting point, else the bundled one (it may be edited or gone)."""
    for candidate in (applications_folder(root) / name, bundled_root() / "applications" / name):
        if is_app_folder(candidate):
            return candidate
    return None


def starting_points(root: Path) -> dict[str, str]:
    """The starting points a new application can be created from now: name -> description."""
    return {name: text for name, text in STARTING_POINTS.items()
            if _starting_point_folder(root, name) is not None}


def scaffold_folder(root: Path, start_from: str = "welcome") -> Path:
    """The app a new application is copied from: the root's copy, else the bundled one."""
    if start_from not in STARTING_POINTS:
        raise AppError(f"{start_from!r} is not a starting point; choose one of "
                       f"{', '.join(STARTING_POINTS)}")
    folder = _starting_point_folder(root, start_from)
    if folder is None:
        raise AppError(f"cannot create an application: the {start_from!r} scaffold is missing")
    return folder


def _scaffold_ignore(scaffold: Path):
    """copytree filter: no runtime or database contents, no caches, no links."""
    emptied = {scaffold / name for name in (*RUNTIME_FOLDERS, "databases")}

    def ignore(directory: str, names: list[str]) -> set[str]:
        here = Path(directory)
        if here in emptied:
            return set(names)
        return {n for n in names if is_compiled_cache(n) or (here / n).is_symlink()}

    return ignore


def copy_app(source: Path, target: Path) -> Path:
    """Copy the app at ``source`` to the new folder ``target``: source files only, all folders.

    Session, error, cache and database contents, compiled caches and links stay behind. The copy
    is built beside ``target`` and renamed into place, so a failure leaves no partial folder.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = staging_folder(target, "copying")
    try:
        built = staging / "app"
        shutil.copytree(source, built, ignore=_scaffold_ignore(Path(source)))
        ensure_standard_folders(built)
        os.rename(built, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def create_app(root: Path, name: str, start_from: str = "welcome") -> Path:
    """Create application ``name`` as a copy of a starting point (see :data:`STARTING_POINTS`):
    the welcome scaffold or one of the examples, with every standard folder and no data."""
    target = new_app_folder(root, name)
    scaffold = scaffold_folder(root, start_from)
    try:
        copy_app(scaffold, target)
        _name_in_comments(target, scaffold.name, name)
    except OSError as exc:
        raise AppError(f"could not create application {name!r}: {exc}") from exc
    return target


def _name_in_comments(folder: Path, old: str, new: str) -> None:
    """The scaffold's models and controllers show URLs (``/welcome/default/...``) in their
    comments: make them the new app's."""
    for path in [*folder.glob("models/*.py"), *folder.glob("controllers/*.py")]:
        text = path.read_text(encoding="utf-8")
        renamed = text.replace(f"/{old}/", f"/{new}/")
        if renamed != text:
            path.write_text(renamed, encoding="utf-8")


def delete_app(root: Path, name: str) -> None:
    """Delete application ``name`` and everything in it."""
    folder = existing_app_folder(root, name)
    # Renaming first makes the app vanish at once, even if removing its files later fails.
    doomed = staging_folder(folder, "deleting")
    try:
        os.rename(folder, doomed / "app")
    except OSError as exc:
        shutil.rmtree(doomed, ignore_errors=True)
        raise AppError(f"could not delete application {name!r}: {exc}") from exc
    shutil.rmtree(doomed, ignore_errors=True)


def rename_app(root: Path, old: str, new: str) -> Path:
    """Rename application ``old`` to ``new``; refuses to replace an existing application."""
    source = existing_app_folder(root, old)
    target = app_folder(root, new)
    if target.exists():
        raise AppExistsError(f"an application named {new!r} already exists")
    try:
        os.rename(source, target)
    except OSError as exc:
        raise AppError(f"could not rename {old!r} to {new!r}: {exc}") from exc
    return target


# ----------------------------------------------------------------------------- new files

MODEL_TEMPLATE = '''# Model file: runs before every controller of this application.
# Define tables here, for example:
# db.define_table("thing", Field("name", requires=IS_NOT_EMPTY()))
'''

CONTROLLER_TEMPLATE = '''# Controller "{name}": each function without arguments is an action,
# served at /{app}/{name}/<function>.


def index():
    """The default action: the dict goes to views/{name}/index.html."""
    return dict(message="Hello from {name}.index")
'''

VIEW_TEMPLATE = '''{{{{extend 'layout.html'}}}}
<h1>{title}</h1>
{{{{=BEAUTIFY(response._vars)}}}}
'''

MODULE_TEMPLATE = '''"""Module "{name}": models and controllers use it with ``import {name}``."""

from gluon import current
'''

LANGUAGE_TEMPLATE = '''# Translations: "original string": "translated string"
{
}
'''


@dataclass(frozen=True)
class _FileKind:
    folder: str
    suffix: str  # appended when the name has none ("" = keep the name as typed)
    python: bool = False  # the file name must then be a Python identifier


FILE_KINDS = {
    "model": _FileKind("models", ".py", python=True),
    "controller": _FileKind("controllers", ".py", python=True),
    "view": _FileKind("views", ".html"),
    "language": _FileKind("languages", ".py"),
    "module": _FileKind("modules", ".py", python=True),
    "static": _FileKind("static", ""),
    "private": _FileKind("private", ""),
}


def _split_file_name(name: str) -> list[str]:
    segments = name.replace("\\", "/").split("/") if isinstance(name, str) else []
    if not segments or not all(FILE_SEGMENT_RE.match(s) and ".." not in s for s in segments):
        raise AppNameError(
            f"{name!r} is not a valid file name: use letters, digits, '_', '-' and '.', "
            "with '/' between folders"
        )
    return segments


def _file_segments(kind: str, name: str) -> list[str]:
    """Validate ``name`` for ``kind`` and return its path segments inside the kind's folder."""
    spec = FILE_KINDS[kind]
    segments = _split_file_name(name)
    if spec.suffix and "." not in segments[-1]:
        segments[-1] += spec.suffix
    stem, _, suffix = segments[-1].rpartition(".")
    if spec.python and (suffix != "py" or not APP_NAME_RE.match(stem)):
        raise AppNameError(f"a {kind} must be named like a Python module, e.g. 'my_{kind}'")
    if kind == "controller" and len(segments) > 1:
        raise AppNameError("controllers cannot be in sub-folders")
    if kind == "language" and (len(segments) > 1 or not LANGUAGE_RE.match(stem)):
        raise AppNameError(f"{name!r} is not a language code such as 'it' or 'pt-br'")
    return segments


def _template(kind: str, app: str, segments: list[str]) -> str:
    stem = segments[-1].rpartition(".")[0] or segments[-1]
    if kind == "model":
        return MODEL_TEMPLATE
    if kind == "controller":
        return CONTROLLER_TEMPLATE.format(name=stem, app=app)
    if kind == "view" and segments[-1].endswith(".html"):
        return VIEW_TEMPLATE.format(title="/".join(segments).removesuffix(".html"))
    if kind == "module":
        return MODULE_TEMPLATE.format(name=stem)
    if kind == "language":
        return LANGUAGE_TEMPLATE
    return ""


def new_file(root: Path, app: str, kind: str, name: str) -> Path:
    """Create a new ``kind`` file named ``name`` in ``app`` from its template; returns its path.

    Kinds: model, controller, view (``controller/function`` -> ``views/controller/function.html``),
    language (``it`` -> ``languages/it.py``), module, static, private. Existing files are refused.
    """
    if kind not in FILE_KINDS:
        raise AppError(f"unknown file kind {kind!r}; choose one of {', '.join(FILE_KINDS)}")
    folder = existing_app_folder(root, app)
    segments = _file_segments(kind, name)
    try:
        target = safe_join(folder, FILE_KINDS[kind].folder, *segments)
    except PathEscape as exc:
        raise AppNameError(f"{name!r} points outside the application") from exc
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(_template(kind, app, segments))
    except FileExistsError as exc:
        raise AppExistsError(f"{target.relative_to(folder).as_posix()} already exists") from exc
    except OSError as exc:
        raise AppError(f"could not create {name!r}: {exc}") from exc
    return target


def _file_inside_applications(root: Path, path: Path) -> Path:
    """``path`` itself, once it is known to be a file inside ``root/applications``."""
    folder = applications_folder(root).resolve()
    resolved = Path(path).resolve()
    if folder not in resolved.parents:
        raise AppNameError(f"{path} is not inside the applications folder")
    return resolved


def rename_file(root: Path, path: Path, new_name: str) -> Path:
    """Rename an application's file within its folder; names with separators or ``..`` are
    refused, and so is replacing another file. Returns the new path."""
    source = _file_inside_applications(root, path)
    try:
        target = safe_join(source.parent, new_name)
    except PathEscape as exc:
        raise AppNameError(f"{new_name!r} is not a plain file name") from exc
    if target.parent != source.parent:
        raise AppNameError(f"{new_name!r} is not a plain file name")
    if target.exists():
        raise AppExistsError(f"{new_name} already exists")
    try:
        source.rename(target)
    except OSError as exc:
        raise AppError(f"could not rename {source.name}: {exc}") from exc
    return target


def delete_file(root: Path, path: Path) -> None:
    """Delete one file of an application."""
    try:
        _file_inside_applications(root, path).unlink()
    except OSError as exc:
        raise AppError(f"could not delete {Path(path).name}: {exc}") from exc
