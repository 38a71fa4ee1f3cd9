"""web2py's parameter-based router: ``routers = dict(BASE=dict(...), app=dict(...))``.

Incoming, the defaults may be left out of a URL (``/`` is the default app's default controller's
default function) and a language code or a domain picks the language or the app. Outgoing,
:func:`map_out` writes the shortest ``/a/lang/c/f`` that :func:`map_in` maps back, leaving a name
in only where dropping it would be ambiguous (web2py's rules, from the book and
``router.example.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from server.http import client_error
from server.routing import MAX_NAME_LENGTH, Route

BASE_ONLY = frozenset({"default_application", "applications", "domains", "path_prefix"})
APP_KEYS = frozenset({
    "default_controller", "controllers", "default_function", "functions", "default_language",
    "languages", "root_static", "map_static", "map_hyphen", "exclusive_domain", "acfe_match",
    "file_match", "args_match", "domain"})
VERSION = re.compile(r"^_\d+\.\d+\.\d+$")


class RouterError(ValueError):
    """A ``routers`` dict that cannot be used (an unknown key, a BASE-only key per app...)."""


@dataclass
class AppRouter:
    """The effective router of one app (BASE's values, then the app's own)."""

    name: str
    default_controller: str = "default"
    controllers: set[str] | str | None = "DEFAULT"
    default_function: str | dict | None = "index"
    functions: dict[str, set[str]] = field(default_factory=dict)
    default_language: str | None = None
    languages: set[str] = field(default_factory=set)
    root_static: tuple[str, ...] = ("favicon.ico", "robots.txt")
    map_static: bool | None = None
    map_hyphen: bool = False
    exclusive_domain: bool = False
    acfe_match: str = r"\w+$"
    file_match: str = r"([+=@$%\w-]|(?<=[+=@$%\w-])[./])*$"
    args_match: str | None = r"([\w@ =-]|(?<=[\w@ =-])\.)*$"
    domain: str | None = None

    def function_default(self, controller: str) -> str | None:
        if isinstance(self.default_function, dict):
            return self.default_function.get(controller)
        return self.default_function

    def check_name(self, value: str, what: str) -> None:
        if not re.match(self.acfe_match, value):
            raise client_error(400, f"invalid request: bad {what} name")


@dataclass
class RouterSet:
    """All the routers of a root folder."""

    default_application: str
    applications: set[str]
    domains: dict[tuple[str, str | None], tuple[str, str | None, str | None]]
    path_prefix: list[str]
    base: AppRouter
    apps: dict[str, AppRouter]

    def router(self, application: str) -> AppRouter:
        return self.apps.get(application, self.base)


# --------------------------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------------------------
def build(routers: dict, app_routers: dict[str, dict], applications: Path,
          installed: list[str], default_application: str) -> RouterSet:
    """Merge the root's ``routers`` with each app's own routes.py ``routers`` into a set."""
    if not isinstance(routers, dict):
        raise RouterError("routers must be a dict")
    base_dict = dict(routers.get("BASE") or {})
    unknown = set(base_dict) - APP_KEYS - BASE_ONLY
    if unknown:
        raise RouterError(f"unknown key(s) {sorted(unknown)} in router 'BASE'")
    base = _app_router("BASE", AppRouter("BASE"), base_dict)
    names = sorted(set(installed) | {n for n in routers if n != "BASE"})
    apps = {}
    for name in names:
        merged = dict(routers.get(name) or {})
        merged.update((app_routers.get(name) or {}).get(name) or {})
        misplaced = set(merged) & BASE_ONLY
        if misplaced:
            raise RouterError(f"BASE-only key(s) {sorted(misplaced)} in router '{name}'")
        unknown = set(merged) - APP_KEYS
        if unknown:
            raise RouterError(f"unknown key(s) {sorted(unknown)} in router '{name}'")
        router = _app_router(name, replace(base, name=name), merged)
        router.controllers = _controllers(router, applications / name / "controllers")
        apps[name] = router
    base.controllers = set() if base.controllers in ("DEFAULT", None) else set(base.controllers)
    listed = base_dict.get("applications", "ALL")
    application_names = set(names) if listed == "ALL" else set(listed or ())
    domains = _domains(base_dict.get("domains") or {}, apps)
    prefix = base_dict.get("path_prefix") or []
    if isinstance(prefix, str):
        prefix = [p for p in prefix.strip("/").split("/") if p]
    return RouterSet(base_dict.get("default_application", default_application), application_names, domains,
                     list(prefix), base, apps)


def _app_router(name: str, start: AppRouter, values: dict) -> AppRouter:
    router = replace(start, **{k: v for k, v in values.items() if k in APP_KEYS})
    router.name = name
    router.languages = set(router.languages or ())
    router.root_static = tuple(router.root_static or ())
    functions = values.get("functions")
    if functions is not None:
        if isinstance(functions, dict):
            router.functions = {c: set(fs) for c, fs in functions.items()}
        else:
            names = set(functions)
            if isinstance(router.default_function, str):
                names.add(router.default_function)
            router.functions = {router.default_controller: names}
    for pattern in (router.acfe_match, router.file_match, router.args_match):
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise RouterError(f"bad pattern {pattern!r} in router '{name}': {exc}") from exc
    return router


def _controllers(router: AppRouter, folder: Path) -> set[str]:
    """The names taken as controllers; 'DEFAULT' means the app's controller files."""
    given = router.controllers
    if given is None:
        return set()
    if given == "DEFAULT":
        names = {p.stem for p in folder.glob("*.py")} if folder.is_dir() else set()
    else:
        names = set(given)
    return names | {"static", router.default_controller} if names else names


def _domains(domains: dict, apps: dict[str, AppRouter]) -> dict:
    table = {}
    for name, router in apps.items():
        if router.domain:
            domains = {**domains, router.domain: name}
    for where, target in domains.items():
        host, _, port = where.strip(":").partition(":")
        parts = target.strip("/").split("/")
        if parts[0] not in apps:
            raise RouterError(f"unknown app '{parts[0]}' in domains")
        parts += [None] * (3 - len(parts))
        table[(host.lower(), port or None)] = (parts[0], parts[1], parts[2])
    return table


# --------------------------------------------------------------------------------------------
# incoming
# --------------------------------------------------------------------------------------------
def map_in(routers: RouterSet, environ: dict, path: str, applications: Path) -> Route:
    """The route an incoming path names; the domain found is left in ``environ`` as web2py's
    ``domain_application`` / ``domain_controller`` / ``domain_function``."""
    trimmed = path.lstrip("/")
    if trimmed.endswith("/"):
        trimmed = trimmed[:-1]
    args = trimmed.split("/") if trimmed else []
    if any(len(segment) > MAX_NAME_LENGTH for segment in args[:4]):
        raise client_error(400, f"invalid request: a name is longer than {MAX_NAME_LENGTH} "
                                "characters")
    args = _strip_prefix(args, routers.path_prefix)
    application, domain_controller, domain_function = _pick_application(routers, environ, args)
    router = routers.router(application)
    hyphen = router.map_hyphen

    def first(mapped: bool = True) -> str | None:
        if not args:
            return None
        return args[0].replace("-", "_") if mapped and hyphen else args[0]

    if len(args) == 1 and args[0] in router.root_static:
        return Route(application, static=args[0])
    language = router.default_language
    if first(False) in router.languages:
        language = args.pop(0)
    candidate = first()
    controller = domain_controller or router.default_controller
    if candidate and (not router.controllers or candidate in router.controllers):
        controller = args.pop(0).replace("-", "_") if hyphen else args.pop(0)
    router.check_name(controller, "controller")
    if controller == "static":
        return Route(application, static=_static_file(router, args, language, applications
                                                      / application / "static"),
                     language=language)
    function, extension = _function(router, controller, domain_function, args, first())
    for arg in args:
        if router.args_match and not re.match(router.args_match, arg):
            raise client_error(400, "invalid request: bad arguments")
    return Route(application, controller, function, extension, args, language=language)


def _strip_prefix(args: list[str], prefix: list[str]) -> list[str]:
    if prefix and args[:len(prefix)] == prefix:
        return args[len(prefix):]
    return args


def _pick_application(routers: RouterSet, environ: dict, args: list[str]):
    """The app a URL names: a listed first segment, else its domain, else the default."""
    base = routers.base
    first = args[0].replace("-", "_") if args and base.map_hyphen else (args[0] if args else None)
    host, port = _host_and_port(environ)
    domain = routers.domains.get((host, port)) or routers.domains.get((host, None))
    if first and not base.exclusive_domain and first in routers.applications:
        application, controller, function = first, None, None
    elif domain:
        application, controller, function = domain
        environ.update(domain_application=application, domain_controller=controller,
                       domain_function=function)
    elif first and not routers.applications:
        application, controller, function = first, None, None
    else:
        application, controller, function = routers.default_application or "", None, None
    if args and first == application:
        args.pop(0)
    base.check_name(application, "application")
    if application not in routers.apps:
        raise client_error(400, f"invalid request: unknown application '{application}'")
    return application, controller, function


def _host_and_port(environ: dict) -> tuple[str, str]:
    scheme = environ.get("wsgi.url_scheme", "http").lower()
    host, port = environ.get("HTTP_HOST"), None
    if not host:
        host, port = environ.get("SERVER_NAME"), environ.get("SERVER_PORT")
    host = (host or "localhost").lower()
    if ":" in host and not host.endswith("]"):
        host, port = host.rsplit(":", 1)
    return host, port or ("443" if scheme == "https" else "80")


def _static_file(router: AppRouter, args: list[str], language: str | None,
                 static_folder: Path) -> str:
    """The path under static/ (a ``_1.2.3`` version segment kept for serve_static), checked
    against ``file_match``; ``static/<lang>/file`` is preferred when it exists."""
    names = args[1:] if args and VERSION.match(args[0]) else list(args)
    file = "/".join(names)
    if not names:
        raise client_error(400, "invalid request: no static file named")
    if "/" in router.file_match:
        bad = not re.match(router.file_match, file)
    else:
        bad = any(n in ("", ".", "..") or not re.match(router.file_match, n) for n in names)
    if bad:
        raise client_error(400, "invalid request: bad static file name")
    if language and (static_folder / language / file).is_file():
        file = f"{language}/{file}"
    return "/".join(args[:1] + [file]) if len(args) > len(names) else file


def _function(router: AppRouter, controller: str, domain_function: str | None,
              args: list[str], candidate: str | None) -> tuple[str, str]:
    known = router.functions.get(controller, set())
    default = domain_function or router.function_default(controller) or ""
    if not candidate or (known and candidate.split(".")[0] not in known):
        function, extension = default, "html"
        if candidate and candidate == function:
            args.pop(0)
    else:
        name, _, extension = candidate.partition(".")
        function, extension = name, extension.rsplit(".", 1)[-1] if extension else "html"
        args.pop(0)
    router.check_name(function, "function")
    router.check_name(extension, "extension")
    return function, extension


# --------------------------------------------------------------------------------------------
# outgoing
# --------------------------------------------------------------------------------------------
def map_out(routers: RouterSet, application: str, controller: str, function: str,
            args: list[str], language: str | None, domain: tuple[str | None, str | None],
            host_given: bool = False) -> str:
    """The shortest ``/a/lang/c/f`` that :func:`map_in` maps back to these names."""
    router = routers.router(application)
    domain_application, domain_controller = domain
    if (router.exclusive_domain and domain_application and domain_application != application
            and not host_given):
        raise ValueError("cross-domain conflict: URL() to another app needs host=")
    language = language if language in router.languages else None
    drop = _omissions(routers, router, application, controller, function, args, language,
                      domain_application, domain_controller)
    static = controller == "static" or controller.startswith("static/")
    if router.map_hyphen:
        controller = controller.replace("_", "-")
        if not static:
            application, function = application.replace("_", "-"), function.replace("_", "-")
    parts = [] if "a" in drop else [application]
    if static and router.map_static is False and "lang" not in drop:
        parts += [controller, language or ""]
    else:
        parts += ([] if "lang" in drop else [language or ""]) + ([] if "c" in drop else [controller])
    parts += [] if "f" in drop else [function]
    path = "/".join(["", *routers.path_prefix, *parts])
    return path if args else (path or "/")


def _omissions(routers: RouterSet, router: AppRouter, application: str, controller: str,
               function: str, args: list[str], language: str | None,
               domain_application: str | None, domain_controller: str | None) -> set[str]:
    """Which of application, language, controller and function a URL may leave out."""
    drop = set()
    known = router.functions.get(controller, set())
    default_function = router.function_default(controller)
    if not language or language == router.default_language:
        drop.add("lang")
    if not args and function == default_function:
        drop.add("f")
        if controller == router.default_controller:
            drop.add("c")
            if application == routers.default_application:
                drop.add("a")
    if application == (domain_application or routers.default_application):
        drop.add("a")
    own_controller = application == domain_application and domain_controller
    if controller == (own_controller or router.default_controller or ""):
        drop.add("c")
    if known and function in known and function == default_function:
        drop.add("f")
    applications = {domain_application} if router.exclusive_domain else routers.applications
    controllers = router.controllers or set()
    if "lang" in drop:
        if not applications or controller in applications:
            drop.discard("a")
        if "a" in drop and (not applications or function in applications):
            drop.discard("c")
    if not controllers or function in controllers:
        drop.discard("c")
    if args and (args[0] in known or args[0] in controllers or args[0] in applications):
        drop.discard("f")
    if "c" in drop and (function in controllers or function in applications):
        drop.discard("c")
    if "a" in drop and controller in applications:
        drop.discard("a")
    if controller == "static" or controller.startswith("static/"):
        if not router.map_static:
            drop.discard("a")
            if language:
                drop.discard("lang")
        drop -= {"c", "f"}
    return drop
