"""Packing an application into a ``.w2p`` archive (gzipped tar, as web2py's) and installing one.

An archive is hostile input: every member is checked (type, path, count, total size) before
anything is written, the app is built in a hidden folder beside the target and renamed into
place, and overwriting keeps the old app's data (databases, uploads, sessions...).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path

from server.compiled_apps import COMPILED
from server.files import atomic_file
from server.manage.app_folders import (
    KEPT_ON_OVERWRITE,
    MAX_INSTALL_BYTES,
    MAX_INSTALL_MEMBERS,
    RUNTIME_FOLDERS,
    AppArchiveError,
    AppError,
    ensure_standard_folders,
    existing_app_folder,
    is_compiled_cache,
    new_app_folder,
    staging_folder,
)
from server.manage.progress import Progress
from server.paths import PathEscape, safe_join

COMPILED_SOURCES = ("models", "controllers", "views")  # what a compiled archive leaves out


def _packed_paths(folder: Path, include_databases: bool, compiled: bool = False) -> list[Path]:
    """Every directory and regular file to pack, sorted so archives are reproducible. The
    compiled form is packed only for a compiled archive, which leaves out the sources it was
    compiled from."""
    emptied = set(RUNTIME_FOLDERS) | (set() if include_databases else {"databases"})
    emptied |= set(COMPILED_SOURCES) if compiled else set()
    chosen = []
    for directory, dirnames, filenames in os.walk(folder):
        here = Path(directory)
        top = here.relative_to(folder).parts[:1]
        if not top and not compiled and COMPILED in dirnames:
            dirnames.remove(COMPILED)  # not even empty: an empty compiled/ would run nothing
        if top and top[0] in emptied:
            dirnames[:] = []
            continue
        if top == (COMPILED,):
            chosen += [here / f for f in filenames if (here / f).is_file()
                       and not (here / f).is_symlink()]
            continue
        dirnames[:] = [d for d in dirnames if not is_compiled_cache(d) and not (here / d).is_symlink()]
        chosen += [here / d for d in dirnames]
        chosen += [here / f for f in filenames
                   if not is_compiled_cache(f) and (here / f).is_file() and not (here / f).is_symlink()]
    return sorted(chosen, key=lambda p: p.relative_to(folder).as_posix())


def _normalised(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def default_archive_name(name: str) -> str:
    return f"web2py.app.{name}.w2p"


def pack_app(root: Path, name: str, destination: Path, include_databases: bool = False,
             compiled: bool = False, progress: Progress | None = None) -> Path:
    """Write application ``name`` as a ``.w2p`` (tar.gz) archive and return its path.

    ``destination`` is the archive file, or a folder to put ``web2py.app.<name>.w2p`` in. Session,
    error and cache contents are left out, and databases unless ``include_databases``. Members are
    sorted and owner-free, and the gzip header carries no time, so equal trees give equal archives.
    ``compiled`` packs the app's compiled form instead of its models, controllers and views (web2py's
    "pack compiled", for distribution without sources; its ``modules/`` stay, as they are not
    compiled); a plain archive leaves the compiled form out.
    ``progress`` hears bytes packed of the files' total; a cancel leaves no archive.
    """
    folder = existing_app_folder(root, name)
    if compiled and not (folder / COMPILED).is_dir():
        raise AppError(f"{name} is not compiled: compile it first, then pack it compiled")
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / default_archive_name(name)
    destination = destination.resolve()
    if folder == destination or folder in destination.parents:
        raise AppError("choose a place outside the application for its archive")
    return write_archive(folder, _packed_paths(folder, include_databases, compiled), destination,
                         progress)


def write_archive(folder: Path, members: list[Path], destination: Path,
                  progress: Progress | None = None) -> Path:
    """``members`` (paths under ``folder``, in order) as a ``.w2p`` at ``destination``; a
    cancel through ``progress`` (:class:`Cancelled`) leaves whatever was there before."""
    progress = progress or Progress()
    sizes = [path.stat().st_size if path.is_file() else 0 for path in members]
    total, done = sum(sizes), 0
    try:
        with atomic_file(destination) as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
            with tarfile.open(fileobj=gz, mode="w", format=tarfile.PAX_FORMAT) as tar:
                for path, size in zip(members, sizes, strict=True):
                    progress.check()
                    arcname = path.relative_to(folder).as_posix()
                    tar.add(path, arcname=arcname, recursive=False, filter=_normalised)
                    done += size
                    progress.advance(done, total)
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
    accepted: list[tuple[tarfile.TarInfo, list[str]]] = []
    total = 0
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


def _extract(tar: tarfile.TarFile, members, into: Path, progress: Progress | None = None) -> None:
    """Write the validated members under ``into``; file modes are ours, not the archive's.
    ``progress`` hears bytes written of the members' total."""
    progress = progress or Progress()
    total, done = sum(member.size for member, _segments in members), 0
    for member, segments in members:
        progress.advance(done, total)
        done += member.size
        path = safe_join(into, *segments)
        if member.isdir():
            path.mkdir(parents=True, exist_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        source = tar.extractfile(member)
        if source is None:  # only regular files get here; a tar without data for one is broken
            raise AppArchiveError(f"the archive has no data for {member.name!r}")
        with source, open(path, "wb") as out:
            shutil.copyfileobj(source, out)
        os.chmod(path, 0o755 if member.mode & 0o100 else 0o644)
        os.utime(path, (member.mtime, member.mtime))
    progress.advance(total, total)


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
                max_bytes: int = MAX_INSTALL_BYTES, max_members: int = MAX_INSTALL_MEMBERS,
                progress: Progress | None = None) -> Path:
    """Install a ``.w2p`` (or plain tar) archive as application ``name``; returns its folder.

    Every member is checked before anything is written: absolute paths, ``..``, links, devices
    and archives bigger than ``max_bytes`` unpacked are refused with :class:`AppArchiveError`.
    Files are unpacked beside the target and renamed into place, so a failure leaves nothing.
    With ``overwrite`` an existing app is replaced, keeping its databases, uploads and other
    data folders unless the archive brings its own. ``progress`` hears bytes unpacked of the
    archive's total; a cancel (:class:`Cancelled`) installs nothing and leaves an old copy as
    it was.
    """
    target = new_app_folder(root, name, overwrite)
    with _open_archive(archive) as tar:
        try:
            members = _validated_members(tar, target, max_bytes, max_members)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise AppArchiveError(f"{Path(archive).name} is damaged ({exc})") from exc
        _install_members(tar, members, target, progress)
    return target


def unpack_checked(archive: Path, into: Path, allowed: Callable[[list[str]], bool],
                   max_bytes: int = MAX_INSTALL_BYTES,
                   max_members: int = MAX_INSTALL_MEMBERS) -> list[list[str]]:
    """Check every member as :func:`install_app` does, and that ``allowed(segments)`` holds for
    it, before unpacking anything under ``into``; returns the files' path segments."""
    with _open_archive(archive) as tar:
        try:
            members = _validated_members(tar, into, max_bytes, max_members)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            raise AppArchiveError(f"{Path(archive).name} is damaged ({exc})") from exc
        refused = [member.name for member, segments in members if not allowed(segments)]
        if refused:
            raise AppArchiveError(f"the archive holds {refused[0]!r}, which it may not install")
        try:
            _extract(tar, members, into)
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise AppArchiveError(f"the archive is damaged ({exc})") from exc
    return [segments for member, segments in members if member.isfile()]


def _install_members(tar: tarfile.TarFile, members, target: Path,
                     progress: Progress | None) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = staging_folder(target, "installing")
    except OSError as exc:
        raise AppError(f"could not install {target.name!r}: {exc}") from exc
    try:
        built = staging / "app"
        _extract(tar, members, built, progress)
        ensure_standard_folders(built)
        if target.exists():
            _keep_old_data(target, built)
        _publish(built, target, staging)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise AppArchiveError(f"the archive is damaged ({exc})") from exc
    except OSError as exc:
        raise AppError(f"could not install {target.name!r}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
