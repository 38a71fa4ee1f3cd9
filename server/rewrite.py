"""URL rewriting from ``routes.py`` (the web2py book's "URL rewrite"), both ways.

A ``routes.py`` in the root folder, and one per app, hold either a parameter-based ``routers``
dict (see :mod:`server.routers`) or pattern-based ``routes_in`` / ``routes_out`` rules, with
``routes_onerror``, ``error_handler``, ``routes_app``, the ``default_*`` names and ``logging``.

:class:`Rewriter` reads them at start-up and again whenever one changes (no restart). A file
that fails to load leaves the previous rules in force and logs which file and line broke.
Without any ``routes.py`` every request takes the plain :func:`server.routing.parse_path` path.
"""

from __future__ import annotations

import logging
import os
import re
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

from server import routers as router_maps
from server.file_stamps import UNCACHED, FileStamps
from server.hosting import ROUTES_LOG
from server.http import HTTP
from server.routing import (
    DEFAULT_APPLICATION,
    DEFAULT_CONTROLLER,
    DEFAULT_FUNCTION,
    NAME_RE,
    Route,
    decode_path_info,
    parse_path,
    route_of_path_info,
)

ROUTES_FILE = "routes.py"
log = logging.getLogger("pocketweb.rewrite")
problems = logging.getLogger(ROUTES_LOG)

NAMED = re.compile(r"(?<!\\)\$[a-zA-Z]\w*")
ANYTHING = re.compile(r"(?<!\\)\$anything")
REDIRECT = re.compile(r"^(\d{3})->(.*)$", re.DOTALL)
ANY_PREFIX = r"https?://[^:/]+:[a-z]+ "


class RoutesError(Exception):
    """A ``routes.py`` that cannot be used; the message names the file and, when known, the
    line."""


# --------------------------------------------------------------------------------------------
# what one routes.py says
# --------------------------------------------------------------------------------------------
@dataclass
class Pattern:
    """One ``(pattern, replacement)`` rule, completed to match the whole request key."""

    regex: re.Pattern
    replacement: str

    def apply(self, key: str) -> str | None:
        return self.regex.sub(self.replacement, key) if self.regex.match(key) else None


@dataclass
class Settings:
    """The pattern-based settings of one ``routes.py`` (the root's, or one app's)."""

    name: str
    default_application: str
    default_controller: str = DEFAULT_CONTROLLER
    default_function: str = DEFAULT_FUNCTION
    routes_app: list[Pattern] = field(default_factory=list)
    routes_in: list[Pattern] = field(default_factory=list)
    routes_out: list[Pattern] = field(default_factory=list)
    routes_onerror: list[tuple[str, str]] = field(default_factory=list)
    error_handler: dict | None = None
    logging: str = "off"
    routers: dict | None = None

    def trace(self, message: str) -> None:
        """web2py's rewrite logging: ``logging = 'debug'`` (or another level), 'print', 'off'."""
        level = str(self.logging).lower()
        if level == "print":
            print(message, flush=True)
        elif level != "off":
            log.log(logging.getLevelName(level.upper()) if level != "warn" else logging.WARNING,
                    message)


@dataclass
class Rules:
    """Everything the root's and the apps' ``routes.py`` files say, ready to use."""

    base: Settings
    apps: dict[str, Settings]
    routers: router_maps.RouterSet | None = None

    def settings_for(self, application: str | None) -> Settings:
        return self.apps.get(application or "", self.base)


def compile_pattern(pattern: str, replacement: str) -> Pattern:
    """Complete an abbreviated pattern the way web2py does, so it matches the request key
    ``remote-address:scheme://host:method path``; ``$name`` matches a word, ``$anything``
    the rest."""
    if not pattern.startswith("^"):
        pattern = "^" + pattern
    if not pattern.endswith("$"):
        pattern += "$"
    if ":" not in pattern:
        pattern = "^.*?:" + ANY_PREFIX + pattern[1:]
    elif "://" not in pattern:
        split = pattern.find(":/")
        if split < 0:
            raise RoutesError(f"pattern {pattern!r}: the path needs a leading '/'")
        pattern = pattern[:split] + ":" + ANY_PREFIX + pattern[split + 1:]
    pattern = ANYTHING.sub("(?P<anything>.*)", pattern)
    pattern = NAMED.sub(lambda m: rf"(?P<{m.group(0)[1:]}>\w+)", pattern)
    replacement = NAMED.sub(lambda m: rf"\g<{m.group(0)[1:]}>", replacement)
    return Pattern(re.compile(pattern, re.DOTALL), replacement)


def read_settings(path: Path, name: str, default_application: str) -> Settings:
    """Run one ``routes.py`` and collect its settings; :class:`RoutesError` names the line."""
    source = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    symbols: dict = {"app": None if name == "BASE" else name}
    try:
        exec(compile(source, str(path), "exec"), symbols)  # noqa: S102 - the site's own config
    except SyntaxError as exc:
        raise RoutesError(f"{path}, line {exc.lineno}: {exc.msg}") from exc
    except Exception as exc:
        raise RoutesError(f"{path}, line {_failing_line(exc, path)}: "
                          f"{type(exc).__name__}: {exc}") from exc
    settings = Settings(name, symbols.get("default_application", default_application))
    for key in ("default_controller", "default_function", "error_handler", "logging",
                "routers"):
        if key in symbols:
            setattr(settings, key, symbols[key])
    for key in ("routes_app", "routes_in", "routes_out"):
        for rule in symbols.get(key, ()):
            try:
                getattr(settings, key).append(compile_pattern(*rule))
            except (RoutesError, re.error, TypeError, ValueError) as exc:
                raise RoutesError(f"{path}, line {_line_holding(source, rule)}: {key} rule "
                                  f"{rule!r}: {exc}") from exc
    settings.routes_onerror = [(str(k), str(v)) for k, v in symbols.get("routes_onerror", ())]
    return settings


def _failing_line(exc: BaseException, path: Path) -> int | str:
    lines = [frame.lineno for frame in traceback.extract_tb(exc.__traceback__)
             if frame.filename == str(path) and frame.lineno is not None]
    return lines[-1] if lines else "?"


def _line_holding(source: str, rule) -> int | str:
    """The first line that holds a rule's pattern text (best effort: rules may be built)."""
    needle = str(rule[0]) if isinstance(rule, (tuple, list)) and rule else str(rule)
    for number, line in enumerate(source.splitlines(), 1):
        if needle in line:
            return number
    return "?"


def installed_apps(applications: Path) -> list[str]:
    """App folders (those with a controllers/ folder), as web2py counts them."""
    return [n for n in _folder_names(applications) if (applications / n / "controllers").is_dir()]


def load_rules(root: Path, default_application: str) -> Rules | None:
    """The rules of ``root``'s routes files, or None when there are none."""
    applications = root / "applications"
    apps = installed_apps(applications)
    base_file = root / ROUTES_FILE
    app_files = {a: applications / a / ROUTES_FILE for a in apps
                 if (applications / a / ROUTES_FILE).is_file()}
    if not base_file.is_file() and not app_files:
        return None
    if base_file.is_file():
        base = read_settings(base_file, "BASE", default_application)
    else:
        base = Settings("BASE", default_application)
    app_settings = {a: read_settings(path, a, a) for a, path in app_files.items()}
    routers = None
    if base.routers is not None:
        try:
            routers = router_maps.build(base.routers, {a: s.routers or {} for a, s in
                                                       app_settings.items()}, applications, apps,
                                       default_application)
        except router_maps.RouterError as exc:
            raise RoutesError(f"{base_file}: routers: {exc}") from exc
    return Rules(base, app_settings, routers)


# --------------------------------------------------------------------------------------------
# one request's view of the rules (what URL() and routes_onerror need)
# --------------------------------------------------------------------------------------------
@dataclass
class RequestRewrite:
    """The rules in force for one request and what its incoming URL said."""

    rules: Rules
    settings: Settings
    environ: dict
    application: str = ""
    language: str | None = None
    domain: tuple[str | None, str | None] = (None, None)

    def url_path(self, application: str, controller: str, function: str, args: list[str],
                 language: str | None = None, host: str | bool | None = None) -> str:
        """The path of an outgoing URL (``/a/c/f/args``), rewritten as the rules say."""
        if self.rules.routers is not None:
            acf = router_maps.map_out(
                self.rules.routers, application, controller, function, args,
                language or self.language, self.domain, bool(host))
            return acf + ("/" + "/".join(args) if args else "")
        path = f"/{application}/{controller}/{function}"
        if args:
            path += "/" + "/".join(args)
        for rule in self.settings.routes_out:
            rewritten = rule.apply(request_key(self.environ, path))
            if rewritten is not None:
                self.settings.trace(f"routes_out: [{path}] -> {rewritten}")
                return rewritten
        return path


def outside_requests(root: Path, application: str, environ: dict,
                     default_application: str = DEFAULT_APPLICATION) -> RequestRewrite | None:
    """How ``URL()`` is rewritten for code that runs outside a request (the ``-S`` shell),
    or None without routes files. A broken file raises :class:`RoutesError`."""
    rules = load_rules(Path(root), default_application)
    if rules is None:
        return None
    settings = rules.settings_for(application) if rules.base.routes_app else rules.base
    return RequestRewrite(rules, settings, environ, application)


def request_key(environ: dict, path: str) -> str:
    """``remote-address:scheme://host:method path``: what routes patterns match."""
    host = (environ.get("HTTP_HOST") or environ.get("SERVER_NAME") or "localhost").lower()
    if host.startswith("["):
        host = host[:host.find("]") + 1]
    elif ":" in host:
        host = host.split(":", 1)[0]
    return (f"{environ.get('REMOTE_ADDR', 'localhost')}:"
            f"{environ.get('wsgi.url_scheme', 'http').lower()}://{host}:"
            f"{environ.get('REQUEST_METHOD', 'GET').lower()} {path}")


def first_rewrite(rules: list[Pattern], key: str) -> str | None:
    for rule in rules:
        rewritten = rule.apply(key)
        if rewritten is not None:
            return rewritten
    return None


# --------------------------------------------------------------------------------------------
# the live rules of one root folder
# --------------------------------------------------------------------------------------------
class Rewriter:
    """Reads ``routes.py`` files when they change and rewrites requests and error answers."""

    def __init__(self, root: Path, default_application: str, stamps: FileStamps = UNCACHED):
        self.root = Path(root)
        self.default_application = default_application
        self._file_stamps = stamps
        self.rules: Rules | None = None
        self.problem: str | None = None
        self._stamp: tuple = ()
        self._applications = str(self.root / "applications")
        self._listed: tuple[int, list[str]] = (-2, [])
        self._generation = -1  # of the file stamps the rules were last checked against
        self.current()

    # ----- loading ----------------------------------------------------------------------------
    def _stamps(self) -> tuple:
        """What, when changed, means reading the files again: the routes files, and the folders
        whose listing the routers use (apps and their controllers), through the Application's
        FileStamps on strings built once per listing: this runs on every request."""
        mtime = self._file_stamps.mtime
        listed = mtime(self._applications)
        if listed != self._listed[0]:
            self._listed = (listed, self._watched(_folder_names(Path(self._applications))))
        return (listed, *map(mtime, self._listed[1]))

    def _watched(self, apps: list[str]) -> list[str]:
        paths = [str(self.root / ROUTES_FILE)]
        for name in apps:
            folder = os.path.join(self._applications, name)
            paths += [os.path.join(folder, ROUTES_FILE), os.path.join(folder, "controllers")]
        return paths

    def current(self) -> Rules | None:
        """The rules in force, re-read first if a file changed; a broken file keeps the last."""
        generation = self._file_stamps.generation
        if self._file_stamps.unchanged_since(self._generation):
            return self.rules
        self._generation = generation
        stamp = self._stamps()
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self.rules, self.problem = load_rules(self.root, self.default_application), None
            except RoutesError as exc:
                self.problem = f"routes.py not loaded, the previous rules stay: {exc}"
                problems.error(self.problem)
        return self.rules

    # ----- incoming ---------------------------------------------------------------------------
    def incoming(self, environ: dict) -> Route:
        """What the request path names, after the rules rewrote it (they may answer at once:
        a ``301->url`` rule, an ``error_handler`` for a missing app, a 400). The rules are
        those :meth:`answer` brought up to date for this request."""
        rules = self.rules
        if rules is None:
            return route_of_path_info(environ.get("PATH_INFO") or "/", self.default_application)
        path = decode_path_info(environ.get("PATH_INFO") or "/")
        query = environ.get("QUERY_STRING", "")
        environ["WEB2PY_ORIGINAL_URI"] = path + ("?" + query if query else "")
        if rules.routers is not None:
            rewrite = RequestRewrite(rules, rules.base, environ)
            route = router_maps.map_in(rules.routers, environ, path, self.root / "applications")
            rewrite.language = route.language
            rewrite.domain = (environ.get("domain_application"),
                              environ.get("domain_controller"))
        else:
            settings = self._select(rules, environ)
            rewrite = RequestRewrite(rules, settings, environ)
            path = self._rewrite_in(settings, environ, path)
            route = parse_path(path, settings.default_application, settings.default_controller,
                               settings.default_function)
            self._check_application(settings, route)
        rewrite.application = route.application
        route.rewrite = rewrite
        environ["pocketweb.rewrite"] = rewrite
        return route

    def _select(self, rules: Rules, environ: dict) -> Settings:
        """``routes_app`` picks whose routes.py applies to this request."""
        if not rules.base.routes_app:
            return rules.base
        key = request_key(environ, decode_path_info(environ.get("PATH_INFO") or "/"))
        chosen = first_rewrite(rules.base.routes_app, key)
        rules.base.trace(f"routes_app: [{key}] -> {chosen}")
        return rules.settings_for(chosen)

    def _rewrite_in(self, settings: Settings, environ: dict, path: str) -> str:
        if not settings.routes_in:
            return path
        key = request_key(environ, path)
        rewritten = first_rewrite(settings.routes_in, key)
        settings.trace(f"routes_in: [{key}] -> {rewritten or path}")
        if rewritten is None:
            return path
        redirect = REDIRECT.match(rewritten)
        if redirect:
            location = redirect.group(2)
            raise HTTP(int(redirect.group(1)), f'You are being redirected <a href="{location}">'
                       "here</a>", Location=location)
        path, _, extra_query = rewritten.partition("?")
        if extra_query:
            query = environ.get("QUERY_STRING", "")
            environ["QUERY_STRING"] = extra_query + ("&" + query if query else "")
        environ["PATH_INFO"] = path.encode("utf-8").decode("latin-1")
        return path

    def _check_application(self, settings: Settings, route: Route) -> None:
        """web2py's ``error_handler``: a request for a missing app goes to that action."""
        handler = settings.error_handler
        if not handler or (self.root / "applications" / route.application).is_dir():
            return
        location = (f"/{handler['application']}/{handler['controller']}/"
                    f"{handler['function']}/{quote(route.application)}")
        raise HTTP(303, f'You are being redirected <a href="{location}">here</a>',
                   Location=location)

    # ----- error answers ----------------------------------------------------------------------
    def answer(self, environ: dict, start_response: Callable[..., Any],
               serve: Callable[[dict, Callable[..., Any]], Iterable[bytes]]) -> Iterable[bytes]:
        """Serve the request; an error status that ``routes_onerror`` names is answered by
        the page or action it gives (with ``code``, ``ticket``, ``requested_uri`` vars)."""
        rules = self.current()
        if rules is None or environ.get("pocketweb.onerror") or not _has_onerror(rules):
            return serve(environ, start_response)
        held: dict = {}

        def hold(status, headers, exc_info=None):
            held.update(status=status, headers=headers, exc_info=exc_info)

        body = serve(environ, hold)
        target = self._error_target(environ, held)
        if target is None:
            start_response(held["status"], held["headers"], held.get("exc_info"))
            return body
        if hasattr(body, "close"):
            body.close()
        return self._error_answer(environ, start_response, serve, held, target)

    def _error_target(self, environ: dict, held: dict) -> str | None:
        status = int(held["status"].split(" ", 1)[0])
        rewrite = environ.get("pocketweb.rewrite")
        if status < 400 or rewrite is None:
            return None
        settings = rewrite.settings
        wanted = {f"{rewrite.application}/{status}", f"{rewrite.application}/*",
                  f"*/{status}", "*/*"}
        for key, target in settings.routes_onerror:
            if key in wanted:
                return None if target == "!" else target
        return None

    def _error_answer(self, environ, start_response, serve, held: dict, target: str):
        status = held["status"]
        ticket = next((v.split(" ", 1)[1] for k, v in held["headers"]
                       if k.lower() == "web2py_error" and v.startswith("ticket ")), "None")
        path, _, query = target.partition("?")
        original = environ.get("WEB2PY_ORIGINAL_URI", environ.get("PATH_INFO", "/"))
        query += ("&" if query else "") + (
            f"code={status.split(' ', 1)[0]}&ticket={quote_plus(ticket)}"
            f"&requested_uri={quote_plus(original)}"
            f"&request_url={quote_plus(decode_path_info(environ.get('PATH_INFO') or '/'))}")
        if target.startswith(("http://", "https://")):
            location = f"{path}?{query}"
            body = f'You are being redirected <a href="{location}">here</a>'.encode()
            start_response("303 See Other", [("Location", location),
                                             ("Content-Type", "text/html; charset=utf-8"),
                                             ("Content-Length", str(len(body)))])
            return [body]
        retry = dict(environ, PATH_INFO="/" + path.lstrip("/"), QUERY_STRING=query)
        retry["pocketweb.onerror"] = True
        retry.pop("pocketweb.rewrite", None)

        def keep_status(_status, headers, exc_info=None):
            return start_response(status, headers, exc_info)

        return serve(retry, keep_status)


def _has_onerror(rules: Rules) -> bool:
    return bool(rules.base.routes_onerror or any(s.routes_onerror for s in rules.apps.values()))


def _folder_names(folder: Path) -> list[str]:
    try:
        return sorted(n for n in os.listdir(folder) if NAME_RE.match(n))
    except OSError:
        return []

