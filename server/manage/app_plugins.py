"""web2py's plugins from outside a request: list an app's, pack one, install one into an app.

A plugin is every file or folder named ``plugin_<name>`` (with any extension) directly inside
one of the app's top folders: ``models/plugin_comments.py``, ``views/plugin_comments/…``,
``static/plugin_comments/…``, ``modules/plugin_comments.py`` and so on. It travels as
``web2py.plugin.<name>.w2p``, a gzipped tar of those paths relative to the app, as web2py's
admin makes. Installing checks the archive as an app install does (no links, no paths that
climb out, bounded size) and also that every member belongs to one plugin, so a plugin
archive can never replace the app's own ``models/db.py``.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from server.manage.app_archives import unpack_checked, write_archive
from server.manage.app_folders import (
    AppArchiveError,
    AppError,
    existing_app_folder,
    is_compiled_cache,
    staging_folder,
)
from server.paths import safe_join

PLUGIN_FOLDERS = ("models", "controllers", "views", "static", "modules", "private", "languages",
                  "cron", "uploads")
PLUGIN_ENTRY = re.compile(r"^plugin_([a-z0-9_]+?)(?:\.[A-Za-z0-9_.]+)?$")


def archive_name(name: str) -> str:
    return f"web2py.plugin.{name}.w2p"


def plugin_of(segments: list[str]) -> str | None:
    """The plugin an archive or app path (``["views", "plugin_x", "a.html"]``) belongs to."""
    if len(segments) < 2 or segments[0] not in PLUGIN_FOLDERS:
        return None
    found = PLUGIN_ENTRY.match(segments[1])
    if found is None or (len(segments) > 2 and "." in segments[1]):
        return None  # a file named plugin_x.py holds nothing below it
    return found.group(1)


def list_plugins(root: Path, app: str) -> dict[str, list[str]]:
    """Each plugin of ``app``, by name: its files, as paths relative to the app."""
    folder = existing_app_folder(root, app)
    found: dict[str, list[str]] = {}
    for path in _plugin_files(folder):
        relative = path.relative_to(folder)
        name = plugin_of(list(relative.parts))
        if name is not None:
            found.setdefault(name, []).append(relative.as_posix())
    return {name: sorted(files) for name, files in sorted(found.items())}


def _plugin_files(folder: Path) -> list[Path]:
    files = []
    for top in PLUGIN_FOLDERS:
        for directory, dirnames, filenames in os.walk(folder / top):
            here = Path(directory)
            dirnames[:] = [d for d in dirnames
                           if not is_compiled_cache(d) and not (here / d).is_symlink()]
            files += [here / name for name in filenames
                      if not is_compiled_cache(name) and not (here / name).is_symlink()]
    return files


def pack_plugin(root: Path, app: str, name: str, destination: Path) -> Path:
    """Write plugin ``name`` of ``app`` as ``destination`` (a file, or a folder to put
    ``web2py.plugin.<name>.w2p`` in); returns the archive's path."""
    files = list_plugins(root, app).get(name)
    if not files:
        raise AppError(f"{app} has no plugin named {name!r}")
    folder = existing_app_folder(root, app)
    destination = Path(destination)
    if destination.is_dir():
        destination = destination / archive_name(name)
    destination = destination.resolve()
    if folder in destination.parents:
        raise AppError("choose a place outside the application for the plugin's archive")
    return write_archive(folder, [folder / file for file in files], destination)


def install_plugin(root: Path, app: str, archive: Path) -> str:
    """Install the plugin in ``archive`` into ``app``; returns its name. Its files replace the
    same plugin's files (an upgrade); nothing outside ``plugin_<name>`` paths is accepted."""
    folder = existing_app_folder(root, app)
    names: set[str] = set()

    def belongs(segments: list[str]) -> bool:
        if len(segments) == 1:
            return segments[0] in PLUGIN_FOLDERS  # the folder entry itself
        name = plugin_of(segments)
        if name is not None:
            names.add(name)
        return name is not None

    staging = staging_folder(folder, "plugin")
    try:
        files = unpack_checked(Path(archive), staging, belongs)
        if len(names) != 1 or not files:
            raise AppArchiveError("the archive must hold the files of exactly one plugin"
                                  f" (found {', '.join(sorted(names)) or 'none'})")
        for segments in files:
            target = safe_join(folder, *segments)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(safe_join(staging, *segments), target)
    except OSError as exc:
        raise AppError(f"could not install the plugin into {app}: {exc}") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return names.pop()
