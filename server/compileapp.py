"""web2py's ``gluon.compileapp``: running an app's layers one by one (test harnesses and
scripts do), and checking that the whole app compiles.

Pocketweb keeps compiled code in memory (``server.execution.CodeCache``) instead of writing a
``compiled/`` folder, so ``compile_application`` checks every model, controller and view and
reports the failures, and ``remove_compiled_application`` removes what web2py may have left.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from server import execution, views
from server.current import current
from server.request_caches import RequestCaches
from server.restricted import RestrictedError
from server.translation.i18n import Translator

# The caches of code run through these functions (scripts and test harnesses, outside any
# Application, which keeps its own).
_caches = RequestCaches()


def _app_folder(request) -> Path:
    return Path(getattr(request, "folder_path", None) or request.folder)


def build_environment(request, response, session, store_current: bool = True) -> dict:
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


def run_controller_in(controller: str, function: str, environment: dict):
    """Call ``controller/function`` in ``environment``; its result (a dict goes to the view)."""
    request = environment["request"]
    request.controller, request.function = controller, function
    return execution.run_action(environment, _app_folder(request), _caches.code)


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


def _python_files(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / kind).rglob("*.py")) if (folder / kind).is_dir() else []


def compile_application(folder, skip_failed_views: bool = False) -> list[str] | None:
    """Compile every model and controller (a syntax error raises RestrictedError naming the file)
    and every view; failed views raise too, unless ``skip_failed_views``: then their names."""
    folder = Path(folder)
    for path in _python_files(folder, "models") + _python_files(folder, "controllers"):
        try:
            compile(path.read_text(encoding="utf-8"), str(path), "exec")
        except SyntaxError as exc:
            raise RestrictedError(str(path), "", f"{type(exc).__name__} {exc}") from exc
    failed = []
    views_folder = folder / "views"
    for path in sorted(views_folder.rglob("*")) if views_folder.is_dir() else []:
        if path.is_file() and path.suffix in (".html", ".load", ".json", ".xml", ".txt", ".rss"):
            name = path.relative_to(views_folder).as_posix()
            try:
                views.compile_template(views_folder, name, {}, None)
            except Exception as exc:  # any template mistake: report or skip, as asked
                if not skip_failed_views:
                    raise RestrictedError(str(path), "", f"{type(exc).__name__} {exc}") from exc
                failed.append(name)
    return failed if skip_failed_views else None


def remove_compiled_application(folder) -> None:
    """Remove a ``compiled/`` folder and stray ``.pyc`` files (web2py's bytecode)."""
    folder = Path(folder)
    shutil.rmtree(folder / "compiled", ignore_errors=True)
    for directory, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".pyc"):
                os.unlink(os.path.join(directory, name))
