"""web2py's ``gluon.shell`` functions: an app's environment for scripts and interactive use.

``env('app', import_models=True)`` is the globals an action of the app would see (``db``,
``request``, ``T``...), built by :func:`server.execution.model_environment`. As in web2py, it
stays bound to ``current`` for the rest of the thread, and its databases stay open: the caller
commits (``db.commit()``) what it wants kept. Each environment's context is kept open for
the life of the process (a script or shell makes few), never ended behind the caller's back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.current import current
from server.execution import model_environment
from server.restricted import restricted
from server.settings import global_settings
from server.storage import Storage

_open_contexts: list = []


def env(a: str, import_models: bool = False, c: str | None = None, f: str | None = None,
        dir: str = "", extra_request: dict | None = None) -> dict:  # noqa: A002 - web2py's name
    """The environment of application ``a`` (its models run when ``import_models``);
    ``dir`` is the app's folder when it is not under the root's ``applications/``."""
    root = Path(dir).resolve().parent.parent if dir else Path(global_settings.applications_parent)
    manager = model_environment(root, a, with_models=import_models, keep_databases=True)
    environment = manager.__enter__()  # left entered on purpose: see the module's docstring
    _open_contexts.append(manager)  # else collecting it would end the context later
    request = environment["request"]
    request.controller, request.function = c or "default", f or "index"
    for key, value in (extra_request or {}).items():
        setattr(request, key, value)
    return environment


def exec_environment(pyfile: str = "", request: Any = None, response: Any = None,
                     session: Any = None) -> Storage:
    """Run ``pyfile`` (e.g. another app's model) in a fresh environment built from this
    request; the names it defines, as a Storage."""
    from server.compileapp import build_environment
    from server.response import Response
    from server.sessions import Session

    request = request or getattr(current, "request", None)
    if request is None:
        raise RuntimeError("exec_environment() needs a request (call it from an app's code)")
    environment = build_environment(request, response or Response(request), session or Session(),
                                    store_current=False)
    if pyfile:
        with open(pyfile, encoding="utf-8") as handle:
            restricted(compile(handle.read(), pyfile, "exec"), environment, layer=pyfile)
    return Storage(environment)
