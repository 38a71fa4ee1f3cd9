"""``HTTP`` and ``redirect``: exceptions an action raises to answer with a given status."""

from __future__ import annotations

from http.client import responses as STATUS_TEXT
from typing import Any, NoReturn

from server.headers import check_header

PLAIN_TEXT = "text/plain; charset=utf-8"


class HTTP(Exception):
    """Stop the action and answer ``status`` with ``body`` and extra headers.

    ``cookies`` may be a ``http.cookies.SimpleCookie`` to send along.
    """

    def __init__(self, status: int, body: Any = "", cookies: Any = None, **headers: Any):
        super().__init__(status, body)
        self.status = int(status)
        self.body = body
        self.cookies = cookies
        self.headers = {key.replace("_", "-"): str(value) for key, value in headers.items()}
        for name, value in self.headers.items():
            check_header(name, value)

    @property
    def status_line(self) -> str:
        return f"{self.status} {STATUS_TEXT.get(self.status, 'Unknown')}"

    def __str__(self) -> str:
        return self.status_line


def client_error(status: int, reason: str) -> HTTP:
    """A client's mistake as a one-line ``text/plain`` answer: whatever client text ``reason``
    quotes is never read as markup."""
    return HTTP(status, reason, **{"Content-Type": PLAIN_TEXT})


def redirect(location: str, how: int = 303, client_side: bool = False,
             headers: dict | None = None) -> NoReturn:
    """Raise an HTTP redirect (303 by default). ``client_side`` asks web2py.js to do it (ajax)."""
    from html import escape

    # as web2py: a target built from client input stays one header line, and a working URL
    location = str(location).replace("\r", "%0D").replace("\n", "%0A")
    extra = dict(headers or {})
    if client_side:
        raise HTTP(200, "", **{"web2py-redirect-location": location}, **extra)
    body = f'You are being redirected <a href="{escape(location)}">here</a>'
    raise HTTP(how, body, Location=location, **extra)
