"""web2py's ``gluon.compileapp``: running an app's layers one by one (test harnesses and
scripts do), and compiling an app into its ``compiled/`` folder or removing that form.

The layers run from the compiled form when the app has one, as a request does; the compiling
itself is :mod:`server.manage.app_compiling`'s.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from server import execution, views
from server.current import current
from server.manage import app_compiling
from server.request_caches import RequestCaches
from server.restricted import AppRequest, RestrictedError
from server.translation.i18n import Translator

# The caches of code run through these functions (scripts and test harnesses, outside any
# Application, which keeps its own).
_caches = RequestCaches()


def _app_folder(request: AppRequest) -> Path:
    return Path(getattr(request, "folder_path", None) or request.folder)


def build_environment(request: AppRequest, response: Any, session: Any,
                      store_current: bool = True) -> dict:
    """The globals of the app's code for this request: helpers, validators, DAL, ``request``,
    ``response``, ``session``, ``cache`` and ``T``; also put on ``current`` unless told not to."""
    folder = _app_folder(request)
    cache = _caches.app_cache(str(folder), folder)
    translator = Translator(folder / "languages", (request.env or {}).get("http_accept_language"),
                            _caches.languages)
    env = execution.build_environment(_caches, request, response, session, cache, translator)
    if store_current:
        for name in ("request", "response", "session", "cache"):
            setattr(current, name, env[name])
        current.T, current.globalenv = translator, env
    return env


def run_models_in(environment: dict) -> None:
    """Run the app's models (web2py's order and ``response.models_to_run``) in ``environment``."""
    execution.run_models(environment, _app_folder(environment["request"]), _caches)


def run_controller_in(controller: str, function: str, environment: dict) -> Any:
    """Call ``controller/function`` in ``environment``; its result after
    ``response.postprocessing`` (a dict goes to the view; a helper comes back as its HTML)."""
    request = environment["request"]
    request.controller, request.function = controller, function
    result = execution.run_action(environment, _app_folder(request), _caches.code)
    return result.xml() if callable(getattr(result, "xml", None)) else result


def run_view_in(environment: dict) -> str:
    """Render ``response.view`` (or the generic view) with ``response._vars``; the text is also
    written to ``response.body``."""
    request, response = environment["request"], environment["response"]
    views_folder = _app_folder(request) / "views"
    view = views.find_view(views_folder, request, response)
    text = views.render(environment, views_folder, view, dict(response._vars or {}),
                        _caches.templates)
    response.body.write(text)
    return text


def compile_application(folder: str | os.PathLike, skip_failed_views: bool = False) -> list[str] | None:
    """Write the app's ``compiled/`` form (models, one file per controller function, views), so
    it runs from there. A file that does not compile raises RestrictedError naming it and its
    line, and leaves the app as it was; with ``skip_failed_views`` failed views are left out
    and their names returned instead."""
    try:
        counts = app_compiling.compile_folder(Path(folder), skip_failed_views)
    except app_compiling.CompileError as exc:
        raise RestrictedError(exc.path, "", str(exc)) from exc
    return counts.failed_views if skip_failed_views and counts.failed_views else None


def remove_compiled_application(folder: str | os.PathLike) -> None:
    """Delete the app's compiled form (and old web2py's ``controllers/*.pyc``): it runs from
    source again."""
    app_compiling.remove_compiled_folder(Path(folder))
