"""Application management: list, create, delete, rename, new files, pack and install ``.w2p``.

This is the API behind the desktop's application and file actions. Every name a user types goes
through :data:`APP_NAME_RE` or the file-name rules below and then :func:`server.paths.safe_join`.
Every failure raises an :class:`AppError` subclass whose message can be shown in a dialog as is.

Writes that could leave half a result (create, install) build in a hidden temporary folder beside
the target and rename it into place, so a failure never leaves a partial application behind.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from server.files import atomic_file
from server.paths import PathEscape, bundled_root, safe_join

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


def _is_cache(name: str) -> bool:
    """Python's compiled caches: never part of an application's source."""
    return name == "__pycache__" or name.endswith(".pyc")


def _staging_folder(target: Path, purpose: str) -> Path:
    """A hidden empty folder beside ``target``, on the same disk so a rename can publish it."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.{purpose}-", dir=target.parent))


def _ensure_standard_folders(folder: Path) -> None:
    for sub in STANDARD_FOLDERS:
        (folder / sub).mkdir(parents=True, exist_ok=True)


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
        return {n for n in names if _is_cache(n) or (here / n).is_symlink()}

    return ignore


def copy_app(source: Path, target: Path) -> Path:
    """Copy the app at ``source`` to the new folder ``target``: source files only, all folders.

    Session, error, cache and database contents, compiled caches and links stay behind. The copy
    is built beside ``target`` and renamed into place, so a failure leaves no partial folder.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = _staging_folder(target, "copying")
    try:
        built = staging / "app"
        shutil.copytree(source, built, ignore=_scaffold_ignore(Path(source)))
        _ensure_standard_folders(built)
        os.rename(built, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def create_app(root: Path, name: str, start_from: str = "welcome") -> Path:
    """Create application ``name`` as a copy of a starting point (see :data:`STARTING_POINTS`):
    the welcome scaffold or one of the examples, with every standard folder and no data."""
    target = app_folder(root, name)
    if target.exists():
        raise AppExistsError(f"an application named {name!r} already exists")
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
    doomed = _staging_folder(folder, "deleting")
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


# ----------------------------------------------------------------------------- pack


def _packed_paths(folder: Path, include_databases: bool) -> list[Path]:
    """Every directory and regular file to pack, sorted so archives are reproducible."""
    emptied = set(RUNTIME_FOLDERS) | (set() if include_databases else {"databases"})
    chosen = []
    for directory, dirnames, filenames in os.walk(folder):
        here = Path(directory)
        top = here.relative_to(folder).parts[:1]
        if top and top[0] in emptied:
            dirnames[:] = []
            continue
        dirnames[:] = [d for d in dirnames if not _is_cache(d) and not (here / d).is_symlink()]
        chosen += [here / d for d in dirnames]
        chosen += [here / f for f in filenames
                   if not _is_cache(f) and (here / f).is_file() and not (here / f).is_symlink()]
    return sorted(chosen, key=lambda p: p.relative_to(folder).as_posix())


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def default_archive_name(name: str) -> str:
    return f"web2py.app.{name}.w2p"


def pack_app(root: Path, name: str, destination: Path, include_databases: bool = False) -> Path:
    """Write application ``name`` as a ``.w2p`` (tar.gz) archive and return its path.

    ``destination`` is the archive file, or a folder to put ``web2py.app.<name>.w2p`` in. Session,
    error and cache contents are left out, and databases unless ``include_databases``. Members are
    sorted and owner-free, and the gzip header carries no time, so equal trees give equal archives.
    """
    folder = existing_app_folder(root, name)
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / default_archive_name(name)
    destination = destination.resolve()
    if folder == destination or folder in destination.parents:
        raise AppError("choose a place outside the application for its archive")
    members = _packed_paths(folder, include_databases)
    try:
        with atomic_file(destination) as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for path in members:
                    arcname = path.relative_to(folder).as_posix()
                    tar.add(path, arcname=arcname, recursive=False, filter=_normalised)
    except OSError as exc:
        raise AppError(f"could not write {destination}: {exc}") from exc
    return destination


# ----------------------------------------------------------------------------- install


def _member_type_problem(member: tarfile.TarInfo) -> str | None:
    if member.issym() or member.islnk():
        return f"contains a link ({member.name} -> {member.linkname}); links are not allowed"
    if member.isdev():
        return f"contains a device or pipe ({member.name}); only files and folders are allowed"
    if not (member.isfile() or member.isdir()):
        return f"contains {member.name!r}, which is neither a file nor a folder"
    return None


def _member_segments(member: tarfile.TarInfo) -> list[str]:
    """The member's path as safe relative segments, or an :class:`AppArchiveError`."""
    name = member.name
    if "\x00" in name or name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        raise AppArchiveError(f"the archive contains an absolute path ({name!r})")
    segments = [s for s in name.replace("\\", "/").split("/") if s not in ("", ".")]
    if ".." in segments:
        raise AppArchiveError(f"the archive contains a path that climbs out ({name!r})")
    return segments


def _validated_members(tar: tarfile.TarFile, target: Path, max_bytes: int,
                       max_members: int) -> list[tuple[tarfile.TarInfo, list[str]]]:
    """Read every header and check it before anything is written; stop early on a bomb."""
    accepted, total = [], 0
    for member in tar:
        problem = _member_type_problem(member)
        if problem:
            raise AppArchiveError(f"the archive {problem}")
        segments = _member_segments(member)
        if not segments:
            continue
        try:
            safe_join(target, *segments)
        except PathEscape as exc:
            raise AppArchiveError(f"the archive member {member.name!r} leaves the app") from exc
        total += member.size
        if total > max_bytes or len(accepted) >= max_members:
            raise AppArchiveError(
                f"the archive unpacks to more than {max_bytes // (1024 * 1024)} MB "
                f"or {max_members} files; refusing it"
            )
        accepted.append((member, segments))
    if not accepted:
        raise AppArchiveError("the archive is empty")
    return accepted


def _extract(tar: tarfile.TarFile, members, into: Path) -> None:
    """Write the validated members under ``into``; file modes are ours, not the archive's."""
    for member, segments in members:
        path = safe_join(into, *segments)
        if member.isdir():
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        with source, open(path, "wb") as out:
            shutil.copyfileobj(source, out)
        os.chmod(path, 0o755 if member.mode & 0o100 else 0o644)
        os.utime(path, (member.mtime, member.mtime))


def _keep_old_data(old: Path, new: Path) -> None:
    """Copy the old copy's data folders into ``new`` where the archive brought none."""
    for sub in KEPT_ON_OVERWRITE:
        if (old / sub).is_dir() and not any((new / sub).iterdir()):
            shutil.copytree(old / sub, new / sub, dirs_exist_ok=True, symlinks=True)


def _publish(built: Path, target: Path, staging: Path) -> None:
    """Move ``built`` to ``target``; an old ``target`` is swapped out and restored on failure."""
    if not target.exists():
        os.rename(built, target)
        return
    retired = staging / "previous"
    os.rename(target, retired)
    try:
        os.rename(built, target)
    except OSError:
        os.rename(retired, target)
        raise


def _open_archive(archive: Path) -> tarfile.TarFile:
    archive = Path(archive)
    if not archive.is_file():
        raise AppArchiveError(f"{archive} is not a file")
    try:
        return tarfile.open(archive, mode="r:*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise AppArchiveError(f"{archive.name} is not a valid .w2p archive ({exc})") from exc


def install_app(root: Path, name: str, archive: Path, overwrite: bool = False,
                max_bytes: int = MAX_INSTALL_BYTES,
                max_members: int = MAX_INSTALL_MEMBERS) -> Path:
    """Install a ``.w2p`` (or plain tar) archive as application ``name``; returns its folder.

    Every member is checked before anything is written: absolute paths, ``..``, links, devices
    and archives bigger than ``max_bytes`` unpacked are refused with :class:`AppArchiveError`.
    Files are unpacked beside the target and renamed into place, so a failure leaves nothing.
    With ``overwrite`` an existing app is replaced, keeping its databases, uploads and other
    data folders unless the archive brings its own.
    """
    target = app_folder(root, name)
    if target.exists() and not overwrite:
        raise AppExistsError(f"an application named {name!r} already exists")
    with _open_archive(archive) as tar:
        try:
            members = _validated_members(tar, target, max_bytes, max_members)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise AppArchiveError(f"{Path(archive).name} is damaged ({exc})") from exc
        _install_members(tar, members, target)
    return target


def _install_members(tar: tarfile.TarFile, members, target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = _staging_folder(target, "installing")
    except OSError as exc:
        raise AppError(f"could not install {target.name!r}: {exc}") from exc
    try:
        built = staging / "app"
        _extract(tar, members, built)
        _ensure_standard_folders(built)
        if target.exists():
            _keep_old_data(target, built)
        _publish(built, target, staging)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise AppArchiveError(f"the archive is damaged ({exc})") from exc
    except OSError as exc:
        raise AppError(f"could not install {target.name!r}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
