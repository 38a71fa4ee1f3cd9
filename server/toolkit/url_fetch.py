"""web2py's ``fetch(url, data=None, headers=None, cookie=..., user_agent='Mozilla/5.0')``.

Reads a page from another server and returns its body as bytes (what web2py returns on Python
3). ``data`` (a dict) is sent url-encoded as a POST; the cookies in ``cookie`` (a
``SimpleCookie``) go along, and the answer's ``Set-Cookie`` lines are loaded back into it, so
one cookie object carries a session across calls. Network failures raise ``OSError``
(``urllib.error.URLError``, ``HTTPError`` for an error status) as web2py's does.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

TIMEOUT = 30  # seconds; a server that never answers must not hold an action forever


def fetch(url: str, data: dict | None = None, headers: dict | None = None,
          cookie: SimpleCookie | None = None, user_agent: str | None = "Mozilla/5.0") -> bytes:
    """The body of ``url`` (GET, or POST of ``data``) as bytes."""
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"fetch only reads http and https URLs, not {url!r}")
    cookie = SimpleCookie() if cookie is None else cookie
    sent = dict(headers or {})
    if user_agent:
        sent["User-Agent"] = user_agent
    if cookie:
        sent["Cookie"] = "; ".join(f"{morsel.key}={morsel.value}" for morsel in cookie.values())
    body = urlencode(data).encode() if data is not None else None
    with urlopen(Request(url, body, sent), timeout=TIMEOUT) as answer:
        for line in answer.headers.get_all("Set-Cookie") or []:
            try:
                cookie.load(line)
            except CookieError:
                continue  # a cookie we cannot parse is one we do not keep
        return answer.read()
