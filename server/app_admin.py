"""web2py's ``gluon.admin`` functions (``apath``, ``app_pack``, ``app_create`` ...): application
management as apps call it, answering True/False (or a file name) instead of raising, on top of
:mod:`server.manage.apps`. Paths are relative to the ``applications/`` folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from server.compileapp import compile_application
from server.manage import apps
from server.manage.app_cleaning import empty_runtime_folders
from server.restricted import RestrictedError
from server.settings import global_settings


def apath(path: str = "", r: Any = None) -> str:
    """``path`` inside the ``applications/`` folder (the one holding ``r``'s app, if given)."""
    if r is not None and getattr(r, "folder", None):
        base = os.path.dirname(os.path.normpath(r.folder))
    else:
        base = os.path.join(global_settings.applications_parent, "applications")
    return os.path.join(base, path)


def _root(request) -> Path:
    return Path(apath("", request)).parent


def app_cleanup(app: str, request: Any) -> bool:
    """Empty the app's errors, sessions and cache folders; False if something stayed."""
    return not empty_runtime_folders(Path(apath(app, request)))


def app_pack(app: str, request: Any, raise_ex: bool = False,
             filenames: list[str] | None = None) -> str | bool:
    """Pack the app into ``deposit/web2py.app.<app>.w2p`` beside ``applications/``; its path, or
    False on failure (the error is raised instead with ``raise_ex``)."""
    try:
        if filenames is None:
            app_cleanup(app, request)
        deposit = _root(request) / "deposit"
        deposit.mkdir(exist_ok=True)
        return str(apps.pack_app(_root(request), app, deposit / apps.default_archive_name(app)))
    except (apps.AppError, OSError):
        if raise_ex:
            raise
        return False


def app_pack_compiled(app: str, request: Any, raise_ex: bool = False) -> str | None:
    """Pack the app's compiled form, without its models', controllers' and views' sources, into
    ``deposit/<app>.w2p``; its path, or None on failure (raised with ``raise_ex``). The app
    must have been compiled (``app_compile``)."""
    try:
        deposit = _root(request) / "deposit"
        deposit.mkdir(exist_ok=True)
        return str(apps.pack_app(_root(request), app, deposit / f"{app}.w2p", compiled=True))
    except (apps.AppError, OSError):
        if raise_ex:
            raise
        return None


def app_create(app: str, request: Any, force: bool = False, key: str | None = None,
               info: bool = False) -> bool | tuple[bool, str | None]:
    """Make ``app`` from the scaffold (replacing an existing one with ``force``); True/False, or
    ``(ok, error message)`` with ``info``."""
    try:
        if force and Path(apath(app, request)).exists():
            apps.delete_app(_root(request), app)
        apps.create_app(_root(request), app)
        return (True, None) if info else True
    except apps.AppError as exc:
        return (False, str(exc)) if info else False


def app_install(app: str, fobj: Any, request: Any, filename: str,
                overwrite: bool | None = None) -> str | bool:
    """Install the ``.w2p`` archive read from ``fobj`` as ``app``; the app's folder, or False."""
    deposit = _root(request) / "deposit"
    deposit.mkdir(exist_ok=True)
    archive = deposit / f"{apps.check_app_name(app)}.w2p"
    try:
        with open(archive, "wb") as out:
            shutil.copyfileobj(fobj, out)
        return str(apps.install_app(_root(request), app, archive, overwrite=bool(overwrite)))
    except (apps.AppError, OSError):
        return False
    finally:
        archive.unlink(missing_ok=True)


def app_uninstall(app: str, request: Any) -> bool:
    try:
        apps.delete_app(_root(request), app)
        return True
    except apps.AppError:
        return False


def app_compile(app: str, request: Any, skip_failed_views: bool = False) -> Any:
    """None when the app compiles, else the error text (or the failed views when skipping)."""
    try:
        failed = compile_application(apath(app, request), skip_failed_views)
    except RestrictedError as exc:
        return str(exc.output)
    return failed or None
