"""Running an application's code: the globals it sees, its models, its controller, its action.

Compiled code objects are cached by (path, mtime, size), so a warm request compiles nothing;
``CodeCache.compilations`` counts real compilations (the benchmark reports it). An app with a
``compiled/`` folder runs from it instead (``server.compiled_apps``), its sources unread.
"""

from __future__ import annotations

import ast
import builtins
import importlib.util
import os
import re
import sys
import threading
import types
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING, Any

import pydal.validators
from pydal.connection import ConnectionPool

from server import auth as auth_package
from server import forms as forms_package
from server import helpers as web2py_helpers
from server.compiled_apps import compile_code, model_order, of_request
from server.context import Context
from server.current import current
from server.dal import DAL
from server.deferred_tables import use_file_stamps
from server.file_stamps import UNCACHED, FileStamps
from server.http import HTTP, client_error, redirect
from server.model_fields import Field
from server.paths import subfolder
from server.routing import URL
from server.services import Service
from server.storage import List, Storage

if TYPE_CHECKING:
    from server.cache import Cache
    from server.compiled_apps import CompiledApp
    from server.request import Request
    from server.request_caches import RequestCaches
    from server.response import Response
    from server.sessions import Session
    from server.translation.i18n import Translator


@dataclass
class CompiledFile:
    code: CodeType
    actions: tuple[str, ...]
    stamp: tuple[int, int]


class CodeCache:
    """Compile each source file once per version; thread-safe."""

    def __init__(self, stamps: FileStamps = UNCACHED):
        self._entries: dict[str, CompiledFile] = {}
        self._lock = threading.Lock()
        self._stamps = stamps
        self.compilations = 0

    def get(self, path: Path) -> CompiledFile:
        stat = self._stamps.stat(path)
        if stat is None:
            raise FileNotFoundError(2, "No such file", str(path))
        stamp = (stat.st_mtime_ns, stat.st_size)
        key = str(path)
        entry = self._entries.get(key)
        if entry is not None and entry.stamp == stamp:
            return entry
        source = path.read_text(encoding="utf-8-sig")  # a BOM (Windows editors) is no code
        code = compile_code(source, key)
        entry = CompiledFile(code, exposed_actions(source), stamp)
        with self._lock:
            self._entries[key] = entry
            self.compilations += 1
        return entry


def exposed_actions(source: str) -> tuple[str, ...]:
    """Functions a URL may call: top-level ``def name():`` without arguments, not ``_private``."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return ()
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            arguments = node.args
            if not (arguments.args or arguments.posonlyargs or arguments.kwonlyargs
                    or arguments.vararg or arguments.kwarg):
                names.append(node.name)
    return tuple(names)


def _declares_action(path: Path, function: str) -> bool:
    """Whether a controller that does not compile has a line ``def function():``. As in web2py,
    which finds a controller's actions by reading its text, a URL naming any other function of
    it is a 404, and only its own actions show the syntax error (a ticket)."""
    source = path.read_text(encoding="utf-8-sig")  # it decoded: compiling it raised SyntaxError
    return re.search(rf"^def\s+{re.escape(function)}\s*\(\s*\)\s*:", source, re.M) is not None


def _public_names(module) -> dict:
    return {name: getattr(module, name) for name in module.__all__}


def _base_globals() -> dict:
    """Names every model, controller and view sees, as in web2py."""
    names = {}
    names.update(_public_names(web2py_helpers))
    names.update({n: getattr(pydal.validators, n) for n in dir(pydal.validators)
                  if n.startswith("IS_") or n in ("CRYPT", "CLEANUP", "ANY_OF", "Validator")})
    names.update(_public_names(forms_package))
    names.update(_public_names(auth_package))
    names.update(DAL=DAL, Field=Field, URL=URL, redirect=redirect, HTTP=HTTP, current=current,
                 Storage=Storage, List=List, Service=Service,
                 SQLDB=DAL, SQLField=Field)  # the last two: web2py 1.x's names, still in use
    return names


BASE_GLOBALS = _base_globals()


def build_environment(caches: RequestCaches, request: Request, response: Response,
                      session: Session, cache: Cache | None = None,
                      T: Translator | None = None) -> dict:  # noqa: N803 - web2py's name
    """The globals dict of one request's models, controller and views (``current`` is the
    caller's :class:`~server.context.Context` to fill)."""
    env = BASE_GLOBALS.copy()  # copy(): twice as fast as dict() of it
    env["request"], env["response"], env["session"] = request, response, session
    env["cache"], env["T"] = cache, T
    env["__builtins__"] = caches.builtins.of(request.folder_path)
    env["__name__"] = "__main__"
    request._compiled = caches.compiled.find(request.folder_path)  # once per request
    if T is not None and getattr(request, "uri_language", None):
        T.force(request.uri_language)  # a routers language prefix (/app/it/...) picks T's
    return env


def bind_environment(context: Context, env: dict, **more: Any) -> None:
    """Put a request's globals on ``current`` as web2py apps expect them (and ``more``)."""
    context.bind(request=env["request"], response=env["response"], session=env["session"],
                 cache=env["cache"], T=env["T"], globalenv=env, **more)


# --------------------------------------------------------------------------------------------
# modules/: ``import x`` inside an app finds applications/<app>/modules/x.py first
# --------------------------------------------------------------------------------------------
class AppBuiltins:
    """The builtins of each app's code, one dict per app folder (reused: building it is not
    free); keyed by app folders that exist, so as many as the apps on disk."""

    def __init__(self):
        self._by_folder: dict[Path, dict] = {}

    def of(self, app_folder: Path) -> dict:
        found = self._by_folder.get(app_folder)
        if found is None:
            found = self._by_folder[app_folder] = app_builtins(app_folder)
        return found


def app_builtins(app_folder: Path) -> dict:
    """A builtins dict whose ``__import__`` looks in the app's modules/ first."""
    names = dict(builtins.__dict__)
    modules_folder = subfolder(app_folder, "modules")

    def app_import(name, globals=None, locals=None, fromlist=(), level=0):  # noqa: A002
        dotted = name if level == 0 else _relative_in_app(modules_folder, name, globals, level)
        if dotted:
            module = _import_app_module(modules_folder, dotted)
            if module is not None:
                for item in fromlist or ():  # ``from package import submodule``
                    if item != "*" and not hasattr(module, item):
                        _import_app_module(modules_folder, f"{dotted}.{item}")
                return module if fromlist or "." not in name else sys.modules[
                    _qualified(modules_folder, name.split(".")[0])]
        return builtins.__import__(name, globals, locals, fromlist, level)

    names["__import__"] = app_import
    return names


_module_lock = threading.RLock()


def _qualified(modules_folder: Path, dotted: str) -> str:
    tag = re.sub(r"\W", "_", str(modules_folder))
    return f"_pocketweb_modules_{tag}.{dotted}"


def _relative_in_app(modules_folder: Path, name: str, globals: dict | None,  # noqa: A002
                     level: int) -> str | None:
    """The app-level dotted name of a relative import made inside one of the app's modules
    (``from .s3utils import x`` in ``modules/s3/``), so that module, too, is loaded with the
    app's import; None when the importer is not an app module."""
    package = (globals or {}).get("__package__") or ""
    root = _qualified(modules_folder, "")
    if not package.startswith(root.rstrip(".")):
        return None
    try:
        absolute = importlib.util.resolve_name("." * level + name, package)
    except ImportError:
        return None
    return absolute[len(root):] if absolute.startswith(root) else None


def _ensure_root_package(modules_folder: Path) -> None:
    """The app's modules folder as a package of its own, so its packages' relative imports
    (``from . import x``) find their parents."""
    root_name = _qualified(modules_folder, "").rstrip(".")
    if root_name not in sys.modules:
        root = types.ModuleType(root_name)
        root.__path__ = [str(modules_folder)]
        sys.modules[root_name] = root


def _import_app_module(modules_folder: Path, dotted: str):
    """Import ``dotted`` from the app's modules folder (reloading a changed file); None if absent."""
    parts = dotted.split(".")
    module = None
    with _module_lock:
        _ensure_root_package(modules_folder)
        for depth in range(1, len(parts) + 1):
            relative = Path(*parts[:depth])
            package_init = modules_folder / relative / "__init__.py"
            plain = modules_folder / relative.with_suffix(".py")
            source = package_init if package_init.is_file() else plain if plain.is_file() else None
            if source is None:
                return None
            parent = module
            module = _load_module(_qualified(modules_folder, ".".join(parts[:depth])), source,
                                  module_builtins=app_builtins(modules_folder.parent))
            if parent is not None:
                setattr(parent, parts[depth - 1], module)  # ``import a.b`` makes ``a.b`` work
    return module


def _load_module(qualified: str, source: Path, module_builtins: dict):
    """Load an app module whose own ``import x`` also looks in the app's modules/ first (an
    ``__init__.py`` as a package, whose submodules are searched for in its folder)."""
    stamp = source.stat().st_mtime_ns
    existing = sys.modules.get(qualified)
    if existing is not None and getattr(existing, "__pocketweb_stamp__", None) == stamp:
        return existing
    spec = importlib.util.spec_from_file_location(qualified, source)
    assert spec is not None and spec.loader is not None  # a .py file always has its loader
    module = importlib.util.module_from_spec(spec)
    module.__pocketweb_stamp__ = stamp  # type: ignore[attr-defined] # our own mark
    module.__builtins__ = module_builtins  # type: ignore[attr-defined]
    sys.modules[qualified] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(qualified, None)
        raise
    return module


# --------------------------------------------------------------------------------------------
# models and controllers
# --------------------------------------------------------------------------------------------
class ModelListing:
    """Each app's model files, remembered until a folder under models/ changes (adding,
    removing or renaming a file or folder changes its parent's mtime): a warm request lists
    nothing. Also remembers which databases/ folders exist, checked once."""

    def __init__(self, stamps: FileStamps = UNCACHED):
        self._entries: dict[Path, tuple[list[str], tuple[int, ...], list[str]]] = {}
        self._checked: dict[Path, int] = {}  # app folder -> stamps generation it was checked at
        self._ready_folders: set[Path] = set()
        self._stamps = stamps

    def files(self, app_folder: Path) -> list[str]:
        cached = self._entries.get(app_folder)
        if cached is not None and self._stamps.unchanged_since(self._checked.get(app_folder, -1)):
            return cached[2]  # nothing can look different since the last check
        generation = self._stamps.generation
        if cached is None or self._folder_stamps(cached[0]) != cached[1]:
            folders, files = _scan_models(str(subfolder(app_folder, "models")))
            cached = self._entries[app_folder] = (folders, self._folder_stamps(folders), files)
        self._checked[app_folder] = generation
        return cached[2]

    def _folder_stamps(self, folders: list[str]) -> tuple[int, ...]:
        return tuple(self._stamps.mtime(folder) for folder in folders)

    def ensure_folder(self, folder: Path) -> None:
        if folder not in self._ready_folders:
            folder.mkdir(exist_ok=True)
            self._ready_folders.add(folder)


def model_files(app_folder: Path) -> list[str]:
    """Every model file, as a path relative to models/, in web2py's order."""
    return _scan_models(str(subfolder(app_folder, "models")))[1]


def _scan_models(models: str) -> tuple[list[str], list[str]]:
    """The folders under ``models`` and the model files in them, in web2py's order."""
    folders: list[str] = []
    files: list[str] = []
    for folder, _, names in os.walk(models):
        folders.append(folder)
        relative = os.path.relpath(folder, models).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        files.extend(prefix + name for name in names if name.endswith(".py"))
    files.sort(key=model_order)
    return folders or [models], files  # a models/ folder made later must be noticed


def default_models_to_run(controller: str, function: str) -> list[str]:
    return [r"^\w+\.py$", rf"^{controller}/\w+\.py$", rf"^{controller}/{function}/\w+\.py$"]


def run_models(env: dict, app_folder: Path, caches: RequestCaches) -> None:
    """Run models alphabetically, then the conditional ones for this controller and function.

    ``response.models_to_run`` (regexes on paths relative to models/) is read before each file,
    so a model may change which later models run, as in web2py.
    """
    request, response = env["request"], env["response"]
    databases = subfolder(app_folder, "databases")
    ConnectionPool.set_folder(str(databases))
    use_file_stamps(caches.stamps)
    caches.models.ensure_folder(databases)
    if response.models_to_run is None:
        response.models_to_run = default_models_to_run(request.controller, request.function)
    compiled = of_request(request)
    for relative in compiled.models if compiled else caches.models.files(app_folder):
        patterns = response.models_to_run or []
        if any(re.search(pattern, relative) for pattern in patterns):
            code = compiled.model(relative) if compiled else \
                caches.code.get(subfolder(app_folder, "models", relative)).code
            exec(code, env)  # noqa: S102


def controller_path(app_folder: Path, controller: str) -> Path:
    return subfolder(app_folder, "controllers", f"{controller}.py")


def run_action(env: dict, app_folder: Path, code_cache: CodeCache) -> Any:
    """Run the controller (from its source or the app's compiled form) and its requested
    function, through ``response._caller``; its result passed through each of
    ``response.postprocessing``, as in web2py. 404 when the controller or function is missing."""
    request, response = env["request"], env["response"]
    compiled_form = of_request(request)
    if compiled_form is not None:
        result = _run_compiled_action(env, compiled_form)
    else:
        result = _run_source_action(env, app_folder, code_cache)
    for process in response._built("postprocessing") or ():
        result = process(result)
    response._vars = result
    return result


def _run_source_action(env: dict, app_folder: Path, code_cache: CodeCache) -> Any:
    request, response = env["request"], env["response"]
    path = controller_path(app_folder, request.controller)
    try:
        compiled = code_cache.get(path)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError) as exc:
        raise _invalid("controller", request) from exc
    except SyntaxError:
        if not _declares_action(path, request.function):
            raise _invalid("function", request) from None
        raise
    if request.function not in compiled.actions:
        raise _invalid("function", request)
    exec(compiled.code, env)  # noqa: S102
    action = env.get(request.function)
    if not callable(action):
        raise _invalid("function", request)
    return response._caller(action)


def _run_compiled_action(env: dict, compiled: CompiledApp) -> Any:
    """The action from the app's compiled form, whose code ends by calling it."""
    request, response = env["request"], env["response"]
    code = compiled.action(request.controller, request.function)
    if code is None:
        raise _invalid("function" if compiled.has_controller(request.controller)
                       else "controller", request)
    exec(code, env)  # noqa: S102
    return response._vars


def _invalid(what: str, request: Request) -> HTTP:
    return client_error(404, f"invalid {what} ({request.controller}/{request.function})")


@contextmanager
def model_environment(root: Path, app_name: str, with_models: bool = True,
                      keep_databases: bool = False, controller: str | None = None,
                      function: str | None = None, is_shell: bool = False) -> Iterator[dict]:
    """``with model_environment(root, app) as env:`` the globals of an app's code outside a
    request: a synthetic local request, response, session, cache and T, then (unless
    ``with_models`` is False) its models, all inside one :class:`Context`: the top-level
    models, or with ``controller`` (and ``function``) also the conditional ones a request there
    would run.

    Cron scripts, scheduler workers, the shell and the desktop's database and sessions panels
    run in it. Leaving it clears ``current`` and commits the databases (rolls them back if the
    block raised); ``keep_databases=True`` leaves them open for the caller (the desktop goes on
    browsing the app's DALs, and closes them itself).
    """
    from server.cache import Cache
    from server.request import Request
    from server.request_caches import RequestCaches
    from server.response import Response
    from server.routing import Route
    from server.sessions import Session
    from server.translation.i18n import Translator

    app_folder = Path(root) / "applications" / app_name
    if not app_folder.is_dir():
        raise FileNotFoundError(f"no application named {app_name!r}")
    route = Route(app_name, controller or "appadmin", function or "index")
    environ = {"REQUEST_METHOD": "GET",
               "PATH_INFO": f"/{app_name}/{route.controller}/{route.function}",
               "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http",
               "QUERY_STRING": ""}
    caches = RequestCaches()
    with Context(keep_databases=keep_databases) as context:
        request = Request(environ, route, app_folder)
        request.is_shell = is_shell
        response = Response(request)
        if controller is None:
            response.models_to_run = [r"^\w+\.py$"]
        env = build_environment(caches, request, response, Session(), Cache(app_folder),
                                Translator(app_folder / "languages", None, caches.languages))
        bind_environment(context, env)
        if with_models:
            run_models(env, app_folder, caches)
        yield env
