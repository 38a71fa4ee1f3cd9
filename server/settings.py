"""web2py's ``global_settings``: facts about this process that apps read.

``applications_parent`` (the root folder holding ``applications/``) and ``gluon_parent`` (the
folder that holds the ``gluon`` package; the same folder in web2py unless ``-f`` moved the
applications) are set when an :class:`server.wsgi.Application` is made for a root.
``web2py_version`` names the web2py API level Pocketweb follows, in web2py's version format, so
``gluon.fileutils.parse_version`` reads it and apps that compare versions get a sensible answer.
"""

from __future__ import annotations

import os
from pathlib import Path

from server import __version__
from server.paths import SOURCE_ROOT
from server.storage import Storage

WEB2PY_API_LEVEL = "3.3.3"
WEB2PY_VERSION = f"{WEB2PY_API_LEVEL}-pocketweb.{__version__}+timestamp.2026.12.01.00.00.00"

global_settings = Storage(
    web2py_version=WEB2PY_VERSION,
    gluon_parent=str(SOURCE_ROOT),
    applications_parent=str(SOURCE_ROOT),
    app_folders=set(),
    debugging=False,
    is_pypy=False,
    is_jython=False,
    is_source=True,
    is_py2=False,
    db_sessions=set(),
    cmd_options=None,
)


def use_root(root: Path) -> None:
    """Record the root folder that holds ``applications/``."""
    global_settings.applications_parent = str(Path(root).resolve())


def request_env_settings() -> dict[str, str]:
    """What web2py adds to each ``request.env``: its version and the two parent folders."""
    return {
        "web2py_version": global_settings.web2py_version,
        "web2py_path": global_settings.applications_parent,
        "applications_parent": global_settings.applications_parent,
        "gluon_parent": global_settings.gluon_parent,
    }


def application_folder(app_name: str) -> str:
    return os.path.join(global_settings.applications_parent, "applications", app_name)
