"""The admin-password login that guards an app's appadmin (web2py's "admin" credentials).

Only a local client, or one over HTTPS, may log in or use the grant; the password is the one
given with ``-a`` (its salted hash in ``parameters_PORT.py`` of the served root). A login is
kept in the app's session as web2py's ``session.authorized``/``session.last_time``, which
``gluon.fileutils.check_credentials`` (and so web2py's own appadmin.py) reads.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from server.hosting.admin_password import PasswordFileError, check_password, has_password


def secure_channel(request: Any) -> bool:
    """web2py's rule: appadmin only for the local machine or over HTTPS."""
    return bool(request.is_local or request.is_https)


def _root_and_port(request) -> tuple[Path, int | None]:
    root = Path(request.global_settings.applications_parent or request.folder_path.parent.parent)
    port = request.env.server_port
    return root, int(port) if port and str(port).isdigit() else None


def password_is_set(request: Any) -> bool:
    """False when the server was started without an admin password (admin features off)."""
    return has_password(*_root_and_port(request))


def log_in(request: Any, session: Any, password: str) -> bool:
    """Grant this session admin rights if ``password`` is the admin password."""
    if not secure_channel(request) or not password:
        return False
    try:
        if not check_password(*_root_and_port(request), str(password)):
            return False
    except (PasswordFileError, OSError, UnicodeDecodeError):
        return False
    session.renew()
    session.authorized, session.last_time = True, time.time()
    return True


def log_out(session: Any) -> None:
    session.authorized = session.last_time = None
