"""Response headers: never a CR or LF in one, the security headers every answer carries, and
the header values web2py apps build themselves (``Content-Disposition``, the status names).

A value with CR, LF or NUL would end the header early and let whoever chose it write headers
(or a whole response) of their own. ``response.headers``, ``HTTP(**headers)`` and cookies
refuse one where the app sets it, so the ticket points at that line; every answer is checked
once more on its way out, so none is ever written as two lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from http.client import responses
from http.cookies import Morsel, SimpleCookie
from typing import Any
from urllib.parse import quote

# sent with every answer unless the app sets its own value ("" sends none)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "same-origin",
}
_FORBIDDEN = re.compile(r"[\r\n\0]")


class HeaderInjection(ValueError):
    """A response header name or value holds CR, LF or NUL."""

    def __init__(self, name: str):
        super().__init__(f"response header {name!r} contains CR, LF or NUL: refused")
        self.header = name


def check_header(name: str, value: Any) -> None:
    """Raise :class:`HeaderInjection` unless ``name: value`` fits on one header line."""
    if _FORBIDDEN.search(str(name)) or _FORBIDDEN.search(str(value)):
        raise HeaderInjection(str(name).strip())


class HeaderDict(dict):
    """``response.headers``: a plain dict that refuses a value with CR/LF when it is set."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()
        if args or kwargs:
            self.update(*args, **kwargs)

    @classmethod
    def empty(cls) -> HeaderDict:
        """``HeaderDict()`` without calling ``__init__`` (each response makes one)."""
        return dict.__new__(cls)

    def __setitem__(self, name: str, value) -> None:
        if value is not None:
            check_header(name, value)
        super().__setitem__(name, value)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, value in dict(*args, **kwargs).items():
            self[name] = value

    def setdefault(self, name: str, value: Any = None) -> Any:
        if name not in self:
            self[name] = value
        return self[name]


class _CheckedMorsel(Morsel):
    def __setitem__(self, key: str, value) -> None:
        if isinstance(value, str):
            check_header(f"Set-Cookie ({key})", value)
        super().__setitem__(key, value)


class CheckedCookie(SimpleCookie):
    """``response.cookies``: attributes (path, domain, expires...) with CR/LF are refused.

    Values need no check: the cookie module quotes them.
    """

    def __setitem__(self, key: str, value) -> None:
        fresh = not isinstance(value, Morsel) and key not in self
        if fresh:
            dict.__setitem__(self, key, _CheckedMorsel())
        try:
            super().__setitem__(key, value)
        except Exception:
            if fresh:
                dict.__delitem__(self, key)
            raise


_SECURITY_NAMES = frozenset(name.lower() for name in SECURITY_HEADERS)


_SECURITY_LINES = list(SECURITY_HEADERS.items())


def finish_headers(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The headers as they go out: security defaults where the app set none (one it set to ""
    is left out), and every line checked (all at once: one search of their joined text, which
    holds CR, LF or NUL only if a line does; then the culprit is named)."""
    present = {name.lower() for name, _ in headers}
    if present.isdisjoint(_SECURITY_NAMES):  # most answers: the app set none of them
        result = headers + _SECURITY_LINES
    else:
        result = [(name, value) for name, value in headers
                  if value != "" or name.lower() not in _SECURITY_NAMES]
        result += [line for line in _SECURITY_LINES if line[0].lower() not in present]
    try:
        text = "".join(map("".join, result))
    except TypeError:  # a name or value that is not a str
        text = " ".join([f"{name!s} {value!s}" for name, value in result])
    if _FORBIDDEN.search(text):
        for name, value in result:
            check_header(name, value)
    return result


class GuardedStartResponse:
    """``start_response`` that sends :func:`finish_headers` of what it is given; ``.unguarded``
    is the server's own, for headers the caller finished itself (see :func:`usual_headers`)."""

    __slots__ = ("unguarded",)

    def __init__(self, start_response: Callable):
        self.unguarded = start_response

    def __call__(self, status: str, headers: list[tuple[str, str]],
                 exc_info: Any = None) -> Callable:
        return self.unguarded(status, finish_headers(headers), exc_info)


def unguarded(start_response: Callable) -> Callable:
    """The server's ``start_response`` behind a guarded one (any other is returned as it is:
    what it is given is finished later, and finishing finished headers changes nothing)."""
    return start_response.unguarded if type(start_response) is GuardedStartResponse \
        else start_response


def usual_headers(content_type: Any, length: int) -> list[tuple[str, str]] | None:
    """What :func:`finish_headers` makes of ``Content-Type`` and ``Content-Length`` alone (most
    answers: an action that set no header), without its look for the app's own security
    headers; None when ``content_type`` is not a one-line text."""
    if type(content_type) is not str or _FORBIDDEN.search(content_type):
        return None
    return [("Content-Type", content_type), ("Content-Length", str(length)), *_SECURITY_LINES]


def no_store_for_sessions(response: Any) -> list[tuple[str, str]]:
    """``Cache-Control: no-store`` for a page that carries a session (so a logged-in user's
    page is never kept by a shared cache or the browser's history), unless the app chose."""
    chosen = any(name.lower() == "cache-control" for name in response.headers)
    return [] if chosen or not response.session_id else [("Cache-Control", "no-store")]


DISPOSITION_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9!#$&^_.+\-]*")

# web2py's ``defined_status``: every status code with its reason phrase.
defined_status: dict[int, str] = dict(responses)


def content_disposition_header(filename: str, disposition: str = "attachment") -> str:
    """``attachment; filename="caff%C3%A8.txt"``: the name percent-encoded as UTF-8, so no
    quote, newline or non-ASCII character can break the header."""
    if not DISPOSITION_TYPE.fullmatch(disposition or ""):
        raise ValueError(f"invalid Content-Disposition type: {disposition!r}")
    return f'{disposition}; filename="{quote(str(filename), safe="")}"'
