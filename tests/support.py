"""Test helpers importable by any test as ``from support import ...`` (a unique module name:
``conftest`` is ambiguous once sub-folders have their own conftest.py)."""

from __future__ import annotations

import http.cookiejar
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


def write_app(root: Path, name: str, files: dict[str, str]) -> Path:
    """Create ``applications/<name>`` under ``root`` with ``files`` (relative path -> text)."""
    app = root / "applications" / name
    for sub in ("models", "controllers", "views", "languages", "static", "modules",
                "private", "uploads", "databases", "sessions", "errors", "cache", "cron"):
        (app / sub).mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        target = app / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return app


class Fetched:
    """A finished HTTP exchange: status, headers and body, whatever the status."""

    def __init__(self, status: int, headers, body: bytes):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, data: bytes | None = None, headers: dict | None = None,
          method: str | None = None, follow_redirects: bool = False,
          cookies=None) -> Fetched:
    """One real HTTP request; non-2xx answers are returned, not raised. A dict ``data`` is sent
    form-encoded; a ``cookies`` jar is read and updated."""
    if isinstance(data, dict):
        data = urllib.parse.urlencode(data, doseq=True).encode()
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    handlers = [] if cookies is None else [urllib.request.HTTPCookieProcessor(cookies)]
    if not follow_redirects:
        handlers.append(_NoRedirect())
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=15) as answer:
            return Fetched(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read())


class Browser:
    """A cookie-keeping HTTP client, like a user's browser: ``get``, ``post`` (form or bytes)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()

    def request(self, url, data=None, headers=None, method=None, follow_redirects=False):
        return fetch(url, data, headers, method, follow_redirects, cookies=self.cookies)

    def get(self, url, **kwargs):
        return self.request(url, **kwargs)

    def post(self, url, data, **kwargs):
        return self.request(url, data=data, method="POST", **kwargs)


MAIN = Path(__file__).resolve().parents[1] / "main.py"


def serve_main(folder: Path, port: int, *extra, env=None):
    """Run ``main.py --folder folder -p port *extra`` until it answers; (process, first page)."""
    import subprocess
    import sys
    import time

    process = subprocess.Popen(
        [sys.executable, str(MAIN), "--folder", str(folder), "-p", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    deadline = time.time() + 20
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                return process, answer.read().decode()
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(process.communicate()[1])
