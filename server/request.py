"""``request``: what the client asked, built from the WSGI environ.

The body is parsed lazily, on first access to ``vars``/``post_vars``/``body``: an action that
never reads it never pays for it. A declared Content-Length over the limit is refused up front
(413); a chunked body is counted while read.
"""

from __future__ import annotations

import datetime
import functools
import inspect
import io
import ipaddress
import json
import uuid
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import multipart

from server.http import client_error
from server.options import DEFAULT_MAX_BODY_SIZE
from server.routing import Route
from server.settings import global_settings, request_env_settings
from server.storage import AttributeMapping, List, Storage, lazy_attribute
from server.toolkit.user_agent import parse as parse_user_agent

DEFAULT_MAX_FIELDS = 1000  # Django's DATA_UPLOAD_MAX_NUMBER_FIELDS
LOCAL_ADDRESSES = frozenset({"127.0.0.1", "::1", "::ffff:127.0.0.1", "localhost"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class UploadedFile:
    """A file field of a multipart post, shaped like web2py's ``cgi.FieldStorage`` use:
    ``.filename``, ``.file`` (a binary file object at 0), ``.value`` (bytes), ``.type``."""

    def __init__(self, part: multipart.MultipartPart):
        self.name = part.name
        self.filename = part.filename
        self.type = part.content_type
        self.length = part.size
        self.file = part.file
        self.file.seek(0)

    @property
    def value(self) -> bytes:
        self.file.seek(0)
        data = self.file.read()
        self.file.seek(0)
        return data

    def __repr__(self) -> str:
        return f"<UploadedFile {self.filename!r} {self.length} bytes>"


def environ_storage(environ: dict) -> Storage:
    """web2py's ``request.env``: CGI/WSGI keys lowercased, dots as underscores."""
    env = Storage()
    for key, value in environ.items():
        env[key.lower().replace(".", "_")] = value
    env.update(request_env_settings())
    return env


def client_address(remote_addr: str, forwarded: str | None) -> str:
    """Who sent the request. ``X-Forwarded-For`` is believed only from a local proxy, and then
    only its right-most entry that is not itself a local proxy: every entry left of that one
    is whatever the client chose to write."""
    if not forwarded or not is_local_address(remote_addr):
        return remote_addr or "unknown"
    for entry in reversed([part.strip() for part in forwarded.split(",")]):
        if not is_local_address(entry):
            return entry if _is_ip(entry) else remote_addr
    return remote_addr


def is_local_address(address: str) -> bool:
    """The loopback addresses (an empty or missing address is not one)."""
    if address in LOCAL_ADDRESSES:
        return True
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(parsed, "ipv4_mapped", None)
    return parsed.is_loopback or bool(mapped and mapped.is_loopback)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def parse_query(text: str, max_fields: int = DEFAULT_MAX_FIELDS) -> Storage:
    """Parse ``a=1&b=2&b=3`` into a Storage; repeated keys become lists; bad UTF-8 is 400;
    more than ``max_fields`` fields is 413."""
    if not text:  # most requests: no query at all
        return Storage()
    try:
        pairs = parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="strict",
                          max_num_fields=max_fields)
    except UnicodeDecodeError as exc:
        raise client_error(400, "invalid request: variables are not valid UTF-8") from exc
    except ValueError as exc:  # parse_qsl's "Max number of fields exceeded"
        raise client_error(413, f"too many fields (limit {max_fields})") from exc
    result = Storage()
    for key, value in pairs:
        add_value(result, key, value)
    return result


def add_value(target: Storage, key: str, value: Any) -> None:
    """Set ``key``; a repeated key becomes a list, appended to in place (linear in the body)."""
    if key not in target:
        target[key] = value
    elif isinstance(target[key], list):
        target[key].append(value)
    else:
        target[key] = [target[key], value]


class Request(AttributeMapping):
    """One request; attributes follow web2py's ``request`` (a Storage there: see the base).

    ``Request(environ)`` alone is web2py's ``gluon.globals.Request(env)``, as app test harnesses
    build it: no application, controller or function yet.
    """

    is_restful: bool
    is_scheduler: bool
    is_shell: bool

    def __init__(self, environ: dict, route: Route | None = None, app_folder: Path | None = None,
                 max_body_size: int = DEFAULT_MAX_BODY_SIZE,
                 max_fields: int = DEFAULT_MAX_FIELDS):
        route = route or Route(None, None, None)  # type: ignore[arg-type] # web2py: all None
        if not isinstance(app_folder, Path):  # the pipeline passes its remembered Path: no copy
            app_folder = Path(app_folder) if app_folder is not None else Path.cwd()
        self.environ = environ
        self.application = route.application
        self.controller = route.controller
        self.function = route.function
        self.extension = route.extension
        self.args = List(route.args)
        self.uri_language = route.language
        self._rewrite = route.rewrite
        self.folder_path = app_folder
        self._compiled: Any = None  # its compiled form, if any: see server.compiled_apps
        self.folder = str(app_folder) + "/" if route.application else None
        self.max_body_size = max_body_size
        self.max_fields = max_fields
        self.method = environ.get("REQUEST_METHOD", "GET").upper()
        self.now = datetime.datetime.now()
        self.is_https = environ.get("wsgi.url_scheme") == "https" or environ.get("HTTPS") == "on"
        self.is_restful = self.is_scheduler = self.is_shell = False
        self.global_settings = global_settings
        self.ajax = environ.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest"
        self.cid = environ.get("HTTP_WEB2PY_COMPONENT_ELEMENT")
        query = environ.get("QUERY_STRING")
        self.get_vars = parse_query(query, max_fields) if query else Storage()
        self._post_vars: Storage | None = None
        self._body: io.BytesIO | None = None
        if environ.get("CONTENT_LENGTH"):
            self._check_declared_length()

    # built on first read (most actions read none of them): see lazy_attribute
    @lazy_attribute
    def client(self) -> str:
        return client_address(self.environ.get("REMOTE_ADDR") or "",
                              self.environ.get("HTTP_X_FORWARDED_FOR"))

    @lazy_attribute
    def is_local(self) -> bool:
        remote_addr = self.environ.get("REMOTE_ADDR") or ""
        forwarded = self.environ.get("HTTP_X_FORWARDED_FOR")
        hops = [remote_addr] + ([part.strip() for part in forwarded.split(",")] if forwarded else [])
        return all(is_local_address(hop) for hop in hops)

    @lazy_attribute
    def cookies(self) -> SimpleCookie:
        return self._parse_cookies()

    @lazy_attribute
    def wsgi(self) -> Storage:
        return Storage(environ=self.environ)

    def restful(self, ignore_extension: bool = False) -> Callable[[Callable], Callable]:
        """web2py's ``@request.restful()``: the action returns its handlers (``GET``, ``POST``,
        ...) and the one named by the request method is called with the args and vars."""

        def decorator(action):
            @functools.wraps(action)
            def dispatch():
                self.is_restful = True
                args = list(self.args)
                if not ignore_extension and args and "." in args[-1]:
                    args[-1], self.extension = args[-1].rsplit(".", 1)
                handler = action().get(self.method)
                if not callable(handler):
                    raise client_error(405, f"method {self.method} not allowed")
                variables = dict(self.vars)
                try:  # the client's args and vars must fit the handler; its own bugs are tickets
                    inspect.signature(handler).bind(*args, **variables)
                except TypeError as exc:
                    raise client_error(400, f"invalid arguments: {exc}") from exc
                return handler(*args, **variables)

            return dispatch

        return decorator

    @lazy_attribute
    def env(self) -> Storage:
        """web2py's ``request.env``, built on first use (most actions never read it)."""
        env = environ_storage(self.environ)
        env.request_method = self.method
        return env

    # ----- client and headers ---------------------------------------------------------------
    def _parse_cookies(self) -> SimpleCookie:
        cookies = SimpleCookie()
        header = self.environ.get("HTTP_COOKIE")
        if header:
            try:
                cookies.load(header)
            except CookieError:
                pass  # a malformed Cookie header is treated as no cookies
        return cookies

    @property
    def utcnow(self) -> datetime.datetime:
        return self.now.astimezone(datetime.UTC).replace(tzinfo=None)

    @lazy_attribute
    def uuid(self) -> str:
        return f"{self.application}/{uuid.uuid4()}"

    @property
    def url(self) -> str:
        return self.env.path_info or "/"

    @property
    def full_url(self) -> str:
        query = self.env.query_string
        host = self.env.http_host or "localhost"
        scheme = "https" if self.is_https else "http"
        return f"{scheme}://{host}{self.url}" + (f"?{query}" if query else "")

    def user_agent(self) -> Storage:
        """web2py's parsed agent: ``.browser.name``, ``.os.name``, ``.is_mobile``, ``.is_tablet``."""
        return self._parsed_agent

    @lazy_attribute
    def _parsed_agent(self) -> Storage:
        return parse_user_agent(self.env.http_user_agent or "")

    # ----- body -----------------------------------------------------------------------------
    def _check_declared_length(self) -> None:
        length = self.environ.get("CONTENT_LENGTH")
        if not length:
            return
        if not length.isdigit():
            raise client_error(400, "invalid request: bad Content-Length")
        declared = int(length)
        if declared > self.max_body_size:
            raise self._too_large()

    def _too_large(self):
        return client_error(413, f"request body too large (limit {self.max_body_size} bytes)")

    @property
    def body(self) -> io.BytesIO:
        """The raw request body (for non-form posts such as JSON)."""
        if self._body is None:
            self._body = io.BytesIO(self._read_body())
        self._body.seek(0)
        return self._body

    def _read_body(self) -> bytes:
        stream = self.environ.get("wsgi.input")
        if stream is None:
            return b""
        length = self.environ.get("CONTENT_LENGTH")
        limit = int(length) if length else self.max_body_size + 1
        try:
            data = stream.read(limit)
        except (ValueError, OSError) as exc:  # a malformed chunk stream, a client gone quiet
            raise client_error(400, "invalid request: the body could not be read") from exc
        if len(data) > self.max_body_size:
            raise self._too_large()
        if length and len(data) < limit:
            raise client_error(400, "invalid request: the body is shorter than its Content-Length")
        return data

    @property
    def post_vars(self) -> Storage:
        if self._post_vars is None:
            self._post_vars = self._parse_body_vars()
        return self._post_vars

    @post_vars.setter
    def post_vars(self, value: Storage) -> None:
        self._post_vars = value

    @property
    def vars(self) -> Storage:
        """GET and POST variables together (POST values come after GET ones for a same key)."""
        combined = Storage()
        for source in (self.get_vars, self.post_vars):
            for key, value in source.items():
                for item in value if isinstance(value, list) else [value]:
                    add_value(combined, key, item)
        return combined

    def _content_type(self) -> str:
        return (self.environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()

    def _parse_body_vars(self) -> Storage:
        if self.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return Storage()
        content_type = self._content_type()
        if content_type == "multipart/form-data":
            return self._parse_multipart()
        if content_type == "application/x-www-form-urlencoded":
            try:
                return parse_query(self._read_body_text(), self.max_fields)
            except UnicodeDecodeError as exc:
                raise client_error(400, "invalid request: body is not valid UTF-8") from exc
        if content_type == "application/json":
            return self._parse_json()
        return Storage()

    def _read_body_text(self) -> str:
        return self.body.getvalue().decode("utf-8")

    def _parse_json(self) -> Storage:
        raw = self.body.getvalue()
        if not raw.strip():
            return Storage()
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            raise client_error(400, "invalid request: body is not valid JSON") from exc
        return Storage(data) if isinstance(data, dict) else Storage()

    def _parse_multipart(self) -> Storage:
        environ = dict(self.environ)
        stream = self.environ.get("wsgi.input") or io.BytesIO()
        environ["wsgi.input"] = _LimitedReader(stream, self.max_body_size)
        try:
            forms, files = multipart.parse_form_data(
                environ, strict=True, charset="utf-8", memory_limit=self.max_body_size,
                disk_limit=self.max_body_size, part_limit=self.max_fields)
        except _BodyTooLarge as exc:
            raise self._too_large() from exc
        except multipart.ParserLimitReached as exc:
            raise client_error(413, f"form data over a limit ({exc}; at most {self.max_fields} "
                                    "fields)") from exc
        except (multipart.MultipartError, UnicodeDecodeError, ValueError) as exc:
            raise client_error(400, f"invalid request: malformed form data ({exc})") from exc
        result = Storage()
        for key, value in forms.iterallitems():
            add_value(result, key, value)
        for key, part in files.iterallitems():
            add_value(result, key, UploadedFile(part))
        return result


class _BodyTooLarge(Exception):
    pass


class _LimitedReader:
    """Reads at most ``limit`` bytes from a stream, raising past it (multipart always reads
    in buffers of a given size)."""

    def __init__(self, stream, limit: int):
        self.stream = stream
        self.remaining = limit

    def read(self, size: int) -> bytes:
        data = self.stream.read(size)
        self.remaining -= len(data)
        if self.remaining < 0:
            raise _BodyTooLarge()
        return data
