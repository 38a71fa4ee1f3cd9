"""web2py's ``gluon.custom_import``: importing from the running app's ``modules/`` first.

Pocketweb gives each app's code (models, controllers, views and the app's own modules) builtins
whose ``__import__`` looks in ``applications/<app>/modules/`` before ``sys.path`` and reloads a
module whose file changed, so nothing needs installing and changes are always tracked.
:func:`custom_importer` is that import for code outside the app's globals (a library calling
back into the running app), resolved against ``current.request``.
"""

from __future__ import annotations

import builtins
from types import ModuleType

from server.current import current
from server.execution import app_builtins


def custom_importer(name: str, globals: dict | None = None,  # noqa: A002
                    locals: dict | None = None,  # noqa: A002
                    fromlist: tuple | list = (), level: int = 0) -> ModuleType:
    """``__import__`` as the running app's code sees it (plain ``__import__`` outside a request)."""
    request = getattr(current, "request", None)
    if request is None or getattr(request, "folder_path", None) is None:
        return builtins.__import__(name, globals, locals, fromlist, level)
    return app_builtins(request.folder_path)["__import__"](name, globals, locals, fromlist, level)


def custom_import_install() -> None:
    """Nothing to install: every app's code already imports through its own builtins."""


def is_tracking_changes() -> bool:
    """Always: a module whose file changed is loaded again on its next import."""
    return True


def track_changes(track: bool = True) -> None:
    """Accepted for web2py's API; Pocketweb always tracks changes (see is_tracking_changes)."""
