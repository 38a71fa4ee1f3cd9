"""URL mapping: ``/app/controller/function.ext/arg1/arg2?vars`` both ways (parse and ``URL()``)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, unquote, urlencode

from server.current import current
from server.hosting.host_names import ENVIRON_KEY, select_host
from server.http import client_error
from server.options import DEFAULT_APPLICATION

NAME_RE = re.compile(r"^\w+$", re.ASCII)
FUNCTION_RE = re.compile(r"^(\w+)(?:\.(\w+))?$", re.ASCII)
ARG_RE = re.compile(r"^[\w@=~ .,:+-]*$")
# a name becomes a folder or file name (``controllers/<name>.py``): far below the OS's 255
MAX_NAME_LENGTH = 128
DEFAULT_CONTROLLER = "default"
DEFAULT_FUNCTION = "index"


@dataclass
class Route:
    """What a request path names. ``static`` is set (the path under static/) for static files."""

    application: str
    controller: str = DEFAULT_CONTROLLER
    function: str = DEFAULT_FUNCTION
    extension: str = "html"
    args: list[str] = field(default_factory=list)
    static: str | None = None
    language: str | None = None
    rewrite: object = None  # server.rewrite.RequestRewrite when routes.py files are in use


def decode_path_info(raw: str) -> str:
    """WSGI hands PATH_INFO as latin-1 text of the raw bytes; re-read it as UTF-8 (400 if not)."""
    try:
        return raw.encode("latin-1").decode("utf-8")
    except UnicodeError as exc:
        raise client_error(400, "invalid request: the path is not valid UTF-8") from exc


def parse_path(path: str, default_application: str = DEFAULT_APPLICATION,
               default_controller: str = DEFAULT_CONTROLLER,
               default_function: str = DEFAULT_FUNCTION) -> Route:
    """Split a decoded path into a :class:`Route`; bad names raise HTTP 400."""
    segments = [s for s in path.split("/") if s]
    if any(len(segment) > MAX_NAME_LENGTH for segment in segments[:3]):
        raise client_error(400, f"invalid request: a name is longer than {MAX_NAME_LENGTH} characters")
    application = segments[0] if segments else default_application
    if not NAME_RE.match(application):
        raise client_error(400, "invalid request: bad application name")
    if len(segments) >= 2 and segments[1] == "static":
        return Route(application, static="/".join(segments[2:]))
    controller = segments[1] if len(segments) > 1 else default_controller
    if not NAME_RE.match(controller):
        raise client_error(400, "invalid request: bad controller name")
    function, extension = default_function, "html"
    if len(segments) > 2:
        match = FUNCTION_RE.match(segments[2])
        if not match:
            raise client_error(400, "invalid request: bad function name")
        function, extension = match.group(1), match.group(2) or "html"
    args = segments[3:]
    for arg in args:
        if not ARG_RE.match(arg) or arg in (".", ".."):
            raise client_error(400, "invalid request: bad arguments")
    return Route(application, controller, function, extension, args)


ROUTE_CACHE_PATH_LENGTH = 256  # longer paths (rare, and each would hold memory) are parsed anew


@lru_cache(maxsize=2048)
def _route_parts(path_info: str, default_application: str) -> tuple:
    route = parse_path(decode_path_info(path_info), default_application)
    return (route.application, route.controller, route.function, route.extension,
            tuple(route.args), route.static)


def route_of_path_info(path_info: str, default_application: str = DEFAULT_APPLICATION) -> Route:
    """:func:`parse_path` of a raw WSGI ``PATH_INFO`` (no routes.py), each path parsed once:
    a server's clients ask for the same few paths again and again. A fresh Route every time
    (the request owns and may change it); a path that is refused is refused every time."""
    if len(path_info) > ROUTE_CACHE_PATH_LENGTH:
        return parse_path(decode_path_info(path_info), default_application)
    application, controller, function, extension, args, static = _route_parts(
        path_info, default_application)
    return Route(application, controller, function, extension, list(args), static)


def URL(  # noqa: N802 - web2py's public name
    a: str | None = None,
    c: str | None = None,
    f: str | Callable | None = None,
    r: Any = None,
    args: Any = None,
    vars: dict | None = None,  # noqa: A002 - web2py's keyword
    anchor: str = "",
    extension: str | None = None,
    env: Any = None,
    hmac_key: str | None = None,
    hash_vars: bool | list | tuple = True,
    salt: str | None = None,
    user_signature: bool | None = None,
    scheme: str | bool | None = None,
    host: str | bool | None = None,
    port: int | str | None = None,
    url_encode: bool = True,
    language: str | None = None,
    **_ignored: Any,
) -> str:
    """Build an application URL the way web2py does.

    Positional forms: ``URL('f')``, ``URL('c', 'f')``, ``URL('a', 'c', 'f')``; static files are
    ``URL('static', 'css/x.css')``. ``user_signature=True`` or ``hmac_key`` add a ``_signature``
    var that :func:`verify_url` checks.
    """
    request = r or getattr(current, "request", None)
    if a is not None and f is None:  # one positional argument means f, two mean c and f
        a, c, f = (None, None, a) if c is None else (None, a, c)
    if not request:  # none, or an empty Storage standing in for one
        application = a or DEFAULT_APPLICATION
        controller = c or DEFAULT_CONTROLLER
        function = f or DEFAULT_FUNCTION
    else:
        application = a or request.application
        controller = c or request.controller
        function = f or request.function
    if callable(function):
        function = function.__name__
    if controller == "static":
        return _static_url(request, application, function, language, scheme, host, port)
    if "." in function:
        function, extension = function.rsplit(".", 1)
    elif extension is None and request is not None and f is None:
        extension = request.extension
    if extension and extension != "html":
        function += "." + extension
    if isinstance(args, (str, int)):
        args = [args]
    encoded = [quote_arg(str(x)) if url_encode else str(x) for x in args] if args else []
    path = _path(request, application, controller, function, encoded, language, host)
    key = hmac_key or (_session_signature_key() if user_signature else None)
    if key or vars:
        query_vars = dict(vars or {})
        if key:
            plain = _path(None, application, controller, function, encoded, None, None)
            signed_vars = query_vars if hash_vars is True else _pick(query_vars, hash_vars)
            query_vars["_signature"] = sign_url(unquote(plain), signed_vars, key, salt)
        if query_vars:
            path += "?" + urlencode(sorted(_flatten(query_vars)))
    if anchor:
        path += "#" + quote(str(anchor))
    return _add_host(path, request, scheme, host, port) if scheme or host or port else path


def _static_url(request, application, function, language, scheme, host, port) -> str:
    """``URL('static', 'css/x.css')``: with ``response.static_version`` in the path when the
    app asks for versioned static URLs."""
    response = getattr(current, "response", None)
    version = getattr(response, "static_version", None)
    if version and getattr(response, "static_version_urls", False):
        function = f"_{version}/{function}"
    path = _path(request, application, "static", function, [], language, host)
    return _add_host(path, request, scheme, host, port)


# what ``quote(..., safe=ARG_SAFE)`` leaves as it is: most arguments, given back unquoted
ARG_SAFE = "@=~,:+-"
_UNQUOTED_ARG = re.compile(r"[\w.~@=,:+-]*", re.ASCII)


def quote_arg(text: str) -> str:
    """A URL argument percent-encoded as web2py does; one with nothing to encode (an id, a
    name) is returned at once."""
    if _UNQUOTED_ARG.fullmatch(text):
        return text
    return quote(text, safe=ARG_SAFE)


def _path(request, application, controller, function, args, language, host) -> str:
    """``/a/c/f/args``, rewritten by the request's routes.py rules when there are any."""
    rewrite = getattr(request, "_rewrite", None)
    if rewrite is not None:
        return rewrite.url_path(application, controller, function, args, language, host)
    return "/".join([f"/{application}/{controller}/{function}", *args])


def _flatten(variables: dict):
    for name, value in variables.items():
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            yield str(name), str(item)


def _pick(variables: dict, names) -> dict:
    if not names:
        return {}
    names = [names] if isinstance(names, str) else list(names)
    return {k: v for k, v in variables.items() if k in names}


def _add_host(path, request, scheme, host, port) -> str:
    if not (scheme or host or port):
        return path
    env = request.env if request is not None else {}
    if scheme is True or scheme is None:
        scheme = env.get("wsgi_url_scheme", "http")
    if host is True or host is None:
        host = select_host(env.get("http_host"), env.get(ENVIRON_KEY.replace(".", "_"))
                           ) or "localhost"
    if port:
        host = f"{host.split(':')[0]}:{port}"
    return f"{scheme}://{host}{path}"


def sign_url(path: str, variables: dict, key: str, salt: str | None = None) -> str:
    """HMAC-SHA256 of the path and the sorted vars (the ``_signature`` value)."""
    message = path + "?" + urlencode(sorted(_flatten({k: v for k, v in variables.items()
                                                     if k != "_signature"})))
    if salt:
        message += str(salt)
    return hmac.new(str(key).encode(), message.encode(), hashlib.sha256).hexdigest()


def _session_signature_key() -> str | None:
    """The per-user signing key: Auth's ``hmac_key`` when logged in, else one made per session."""
    session = getattr(current, "session", None)
    if session is None:
        return None
    auth = session.get("auth")
    if auth and getattr(auth, "hmac_key", None):
        return auth.hmac_key
    if not session.get("_signature_key"):
        session["_signature_key"] = secrets.token_hex(16)
    return session["_signature_key"]


def verify_url(request: Any, hmac_key: str | None = None, hash_vars: bool | list | tuple = True,
               salt: str | None = None, user_signature: bool | None = None) -> bool:
    """Check a request's ``_signature`` (made by ``URL(..., user_signature=True)``)."""
    signature = request.get_vars.get("_signature")
    if not signature:
        return False
    key = hmac_key or (_session_signature_key() if user_signature is not False else None)
    if not key:
        return False
    path = request.env.path_info if getattr(request, "_rewrite", None) is None else _plain(request)
    variables = dict(request.get_vars)  # sign_url leaves _signature itself out
    signed_vars = variables if hash_vars is True else _pick(variables, hash_vars)
    expected = sign_url(path, signed_vars, key, salt)
    return hmac.compare_digest(expected, str(signature))


def _plain(request) -> str:
    """The un-rewritten ``/a/c/f.ext/args`` of a request (what a rewritten URL was signed on)."""
    function = request.function + ("" if request.extension == "html" else "." + request.extension)
    return "/".join([f"/{request.application}/{request.controller}/{function}",
                     *map(str, request.args)])


URL.verify = verify_url  # type: ignore[attr-defined] # web2py's URL.verify(request, ...)
