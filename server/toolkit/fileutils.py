"""web2py's file helpers (``gluon.fileutils``): reading, writing and listing app files, version
strings, ``.w2p`` packing on top of :mod:`server.manage.apps`, and the admin-credential check.

Paths here are the app's own (web2py's contract: apps call these with paths they built), so
they are not confined; paths that come from a request go through ``server.paths.safe_join``.
"""

from __future__ import annotations

import datetime
import errno
import os
import re
import shutil
import time
from pathlib import Path
from typing import IO, Any

from server.http import HTTP, PLAIN_TEXT
from server.manage import apps
from server.settings import global_settings

VERSION_RE = re.compile(
    r"(?:Version\s+)?(?P<major>\d+)\.(?P<minor>\d+)\.(?P<patch>\d+)"
    r"(?:[-.](?P<pre>[^+\s(]*))?(?:\+timestamp\.(?P<stamp>[\d.]+)|\s*\((?P<legacy>[\d\-: ]+)\))?")


def abspath(*relpath: str, gluon: bool = False) -> str:
    """A path under the root folder (``gluon=True``: under the folder holding ``gluon``)."""
    base = global_settings.gluon_parent if gluon else global_settings.applications_parent
    return os.path.join(base, *relpath)


class MissingWeb2pyFile(HTTP, FileNotFoundError):
    """A file of web2py's own distribution that an app reads beside ``gluon`` (the examples app
    shows ``LICENSE.web2py.txt`` and ``CHANGELOG``). Pocketweb ships none of web2py's files, so
    the page is a 404 that names it; it is still the FileNotFoundError an app may catch."""

    def __init__(self, filename: str):
        name = os.path.basename(filename)
        super().__init__(404, f"{name}: web2py's own file, not part of Pocketweb",
                         **{"Content-Type": PLAIN_TEXT})
        self.errno, self.strerror, self.filename = errno.ENOENT, "No such file", filename


def _is_missing_web2py_file(filename: str, mode: str) -> bool:
    beside_gluon = os.path.dirname(os.path.abspath(filename)) == os.path.abspath(
        global_settings.gluon_parent)
    return beside_gluon and "r" in mode and not os.path.exists(filename)


def open_file(filename: str, mode: str) -> IO[Any]:
    """``open`` that reads text as UTF-8 (web2py opens app files this way)."""
    if _is_missing_web2py_file(filename, mode):
        raise MissingWeb2pyFile(filename)
    if "b" in mode:
        return open(filename, mode)  # noqa: SIM115 - the caller closes it
    return open(filename, mode, encoding="utf-8")  # noqa: SIM115


def read_file(filename: str, mode: str = "r") -> Any:
    with open_file(filename, mode) as handle:
        return handle.read()


def readlines_file(filename: str, mode: str = "r") -> list:
    return read_file(filename, mode).split("\n")


def write_file(filename: str, value: str | bytes, mode: str = "w") -> None:
    with open_file(filename, mode) as handle:
        handle.write(value)


def listdir(path: str, expression: str = "^.+$", drop: bool = True, add_dirs: bool = False,
            sort: bool = True, maxnum: int | None = None,
            exclude_content_from: list[str] | None = None,
            followlinks: bool = False) -> list[str]:
    """Files below ``path`` (recursively) whose name matches ``expression``.

    Names are relative to ``path`` when ``drop`` (web2py's default), else full paths; hidden
    entries are skipped; ``add_dirs`` lists matching folders too; ``maxnum`` stops early;
    folders named in ``exclude_content_from`` are listed but not entered.
    """
    pattern = re.compile(expression)
    base = os.path.join(path, "")
    excluded = set(exclude_content_from or ())
    found: list[str] = []
    for folder, dirnames, filenames in os.walk(path, topdown=True, followlinks=followlinks):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if add_dirs:
            found += [os.path.join(folder, d) for d in dirnames if pattern.match(d)]
        dirnames[:] = [d for d in dirnames if d not in excluded]
        found += [os.path.join(folder, f) for f in filenames
                  if not f.startswith(".") and pattern.match(f)]
        if maxnum is not None and len(found) >= maxnum:
            found = found[:maxnum]
            break
    if sort:
        found.sort()
    return [name[len(base):] for name in found] if drop else found


def recursive_unlink(target: str) -> None:
    """Remove a file or a whole folder tree; a missing path is not an error."""
    if os.path.isdir(target) and not os.path.islink(target):
        shutil.rmtree(target)
    elif os.path.lexists(target):
        os.unlink(target)


def up(path: str) -> str:
    """The parent folder (a trailing slash is ignored)."""
    return os.path.dirname(os.path.normpath(path))


def mktree(path: str) -> None:
    """Make the folders above the file ``path``."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)


def cleanpath(path: str) -> str:
    """A file name made of letters, digits, ``_`` and ``.`` only (others become ``_``)."""
    return re.sub(r"[^\w.]", "_", path)


def parse_version(version: str) -> tuple | None:
    """``(major, minor, patch, pre_release, build_datetime)`` of a web2py version string.

    Reads both ``2.24.1-stable+timestamp.2023.03.22.21.50.26`` and the old
    ``Version 1.99.7 (2012-03-04 22:12:08) stable``; None when it is neither.
    """
    match = VERSION_RE.search(version or "")
    if match is None:
        return None
    numbers = [int(match.group(name)) for name in ("major", "minor", "patch")]
    pre = match.group("pre") or ""
    if match.group("stamp"):
        build = datetime.datetime.strptime(match.group("stamp"), "%Y.%m.%d.%H.%M.%S")
    elif match.group("legacy"):
        build = datetime.datetime.strptime(match.group("legacy").strip(), "%Y-%m-%d %H:%M:%S")
        pre = version[match.end():].strip() or pre
    else:
        build = None
    return (*numbers, pre, build)


# -------------------------------------------------------------------------- .w2p archives
def _root_and_name(path: str) -> tuple[Path, str]:
    """An app folder ``ROOT/applications/NAME`` as (ROOT, NAME)."""
    folder = Path(path).resolve()
    return folder.parent.parent, folder.name


def w2p_pack(filename: str, path: str, compiled: bool = False,
             filenames: list[str] | None = None) -> str:
    """Pack the application folder ``path`` into the archive ``filename``.

    Pocketweb compiles nothing ahead of time, so ``compiled`` packs the source as well;
    ``filenames`` is accepted for web2py's signature and the whole app is packed.
    """
    root, name = _root_and_name(path)
    return str(apps.pack_app(root, name, Path(filename)))


def w2p_unpack(filename: str, path: str, delete_tar: bool = True) -> None:
    """Unpack the archive ``filename`` into the application folder ``path`` (created or
    replaced, keeping its data folders); the archive is deleted afterwards if ``delete_tar``."""
    root, name = _root_and_name(path)
    apps.install_app(root, name, Path(filename), overwrite=True)
    if delete_tar:
        os.unlink(filename)


def create_app(path: str | None = None, app_name: str | None = None) -> str:
    """Make a new application from the scaffold at ``path`` (an ``applications/NAME`` folder)."""
    if path is None:
        path = os.path.join(global_settings.applications_parent, "applications", app_name or "")
    root, name = _root_and_name(path)
    return str(apps.create_app(root, name))


def create_missing_app_folders(request: Any) -> None:
    """Make any standard folder the running app lacks (web2py calls this on each request)."""
    for folder in apps.STANDARD_FOLDERS:
        os.makedirs(os.path.join(request.folder, folder), exist_ok=True)


# -------------------------------------------------------------------------- credentials
def check_credentials(request: Any, other_application: str = "admin", expiration: int = 3600,
                      gae_login: bool = True) -> bool:
    """Whether this client holds a live admin login, as web2py's appadmin asks.

    web2py keeps the grant in the admin app's session; Pocketweb keeps it in the current
    session as ``session.authorized`` with ``session.last_time`` (the admin-password login sets
    them), and only a local or HTTPS client can hold it. A live grant is refreshed.
    """
    from server.current import current

    session = getattr(current, "session", None)
    if session is None or not (request.is_local or request.is_https):
        return False
    if not _live_grant(session, expiration):
        return _live_grant(_other_session(request, other_application), expiration)
    session.last_time = time.time()
    return True


def _live_grant(session, expiration: int) -> bool:
    return bool(session) and bool(session.get("authorized")) and \
        (session.get("last_time") or 0) + expiration >= time.time()


def _other_session(request, application: str) -> dict:
    """The session another app of this root (web2py: ``admin``) holds for this browser."""
    from server.manage.sessions import read_session

    if not request.folder or not request.cookies:
        return {}
    morsel = request.cookies.get(f"session_id_{application}")
    if morsel is None:
        return {}
    app_folder = Path(request.folder).parent / application
    try:
        return read_session(app_folder, morsel.value)
    except (ValueError, OSError):
        return {}
