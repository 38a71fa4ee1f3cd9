"""Live reload for the window's development server: a saved file makes the app's open pages
reload themselves.

:func:`with_live_reload` wraps the framework's WSGI callable. For a request from this machine
it adds one ``<script>`` (bundled, served from :data:`SCRIPT_PATH`) to each full HTML page; the
script long-polls :data:`POLL_PATH` with the app's change number it was served with, and
reloads when the number moves on, asking first if a form on the page holds unsaved input.
:class:`ChangeBoard` keeps the numbers; :meth:`ChangeBoard.changed` is what a change calls
(a save in the window, or :mod:`server.hosting.live_reload_watch` for files changed elsewhere).

Bounded by design: a poll waits at most :data:`POLL_SECONDS`, at most ``max_waiting`` polls wait
at once (the others are told to come back later, so open pages never take all worker threads),
and :meth:`ChangeBoard.stop_waiting` ends every wait at once when the server stops. Remote
clients get neither the script nor the endpoints (404). Only the window wraps its server so:
``--no-gui`` and gunicorn serve the plain application.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any
from urllib.parse import parse_qs

from server.hosting.live_reload_watch import AppsWatcher
from server.request import is_local_address

PREFIX = "/__pocketweb__/"
SCRIPT_PATH = PREFIX + "live-reload.js"
POLL_PATH = PREFIX + "live-reload"
POLL_SECONDS = 20.0
RETRY_SECONDS = 5  # what a poll turned away (too many waiting, or the server stopping) waits
APP_KEY = "pocketweb.application"  # set in the environ by server.wsgi once the route is known


class ChangeBoard:
    """A change number per app, and the polls waiting for one to move on."""

    def __init__(self, max_waiting: int = 4, poll_seconds: float = POLL_SECONDS):
        self.max_waiting = max_waiting
        self.poll_seconds = poll_seconds
        self._numbers: dict[str, int] = {}
        self._condition = threading.Condition()
        self._waiting = 0
        self._stopped = False
        self.enabled = True  # off: pages are served as they are, saves reload nothing
        self.files_changed: Callable[[], None] | None = None  # the served Application's

    def number(self, app: str) -> int:
        with self._condition:
            return self._numbers.get(app, 0)

    def files_saved(self) -> None:
        """Files were saved: the served Application's next request looks at every file."""
        if self.files_changed is not None:
            self.files_changed()

    def changed(self, app: str) -> None:
        """A file of ``app`` was saved: the server looks at its files again at once (see
        :mod:`server.file_stamps`) and its open pages should reload (when enabled)."""
        self.files_saved()
        if not self.enabled:
            return
        with self._condition:
            self._numbers[app] = self._numbers.get(app, 0) + 1
            self._condition.notify_all()

    def wait(self, app: str, seen: int) -> dict[str, int]:
        """Wait (bounded) until ``app``'s number differs from ``seen``; the poll's answer."""
        with self._condition:
            if self._stopped or self._waiting >= self.max_waiting:
                return {"number": self._numbers.get(app, 0), "retry": RETRY_SECONDS}
            self._waiting += 1
            try:
                self._condition.wait_for(
                    lambda: self._stopped or self._numbers.get(app, 0) != seen, self.poll_seconds)
            finally:
                self._waiting -= 1
            retry = RETRY_SECONDS if self._stopped else 0
            return {"number": self._numbers.get(app, 0), "retry": retry}

    @property
    def waiting(self) -> int:
        with self._condition:
            return self._waiting

    def stop_waiting(self) -> None:
        """The server is stopping: answer every waiting poll now, and the next ones at once."""
        with self._condition:
            self._stopped = True
            self._condition.notify_all()

    def resume(self) -> None:
        """The server serves again: polls may wait again."""
        with self._condition:
            self._stopped = False


def script_source() -> bytes:
    return resources.files("server.hosting").joinpath("live_reload.js").read_bytes()


def script_tag(app: str, number: int) -> bytes:
    """The tag put before ``</body>``; ``app`` is a checked app name (letters, digits, _)."""
    return (f'<script src="{SCRIPT_PATH}" data-poll="{POLL_PATH}" data-app="{app}" '
            f'data-number="{number}"></script>').encode("ascii")


def inject(body: bytes, tag: bytes) -> bytes | None:
    """``body`` with ``tag`` before its last ``</body>``; None for a fragment (no ``</body>``)."""
    at = body.lower().rfind(b"</body>")
    return None if at < 0 else body[:at] + tag + body[at:]


def is_local(environ: dict) -> bool:
    """From this machine, and not relayed by a local proxy for someone else."""
    return (is_local_address(environ.get("REMOTE_ADDR", ""))
            and not environ.get("HTTP_X_FORWARDED_FOR"))


StartResponse = Callable[..., Any]


class LiveReloadApplication:
    """``app`` with the live-reload script in its local HTML pages and the poll endpoint."""

    def __init__(self, app: Callable[[dict, StartResponse], Iterable[bytes]], board: ChangeBoard,
                 watcher: AppsWatcher | None = None):
        self.app = app
        self.board = board
        self.watcher = watcher

    def stop_waiting(self) -> None:
        """Called by :meth:`server.hosting.httpd.WebServer.stop` before it stops."""
        self.board.stop_waiting()
        if self.watcher is not None:
            self.watcher.stop()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            return self._own(environ, start_response, path)
        if (not self.board.enabled or not is_local(environ)
                or environ.get("REQUEST_METHOD") == "HEAD"):
            return self.app(environ, start_response)
        return self._page(environ, start_response)

    def _own(self, environ: dict, start_response: StartResponse, path: str) -> Iterable[bytes]:
        if not is_local(environ) or path not in (SCRIPT_PATH, POLL_PATH):
            return _answer(start_response, "404 Not Found", "text/plain", b"not found")
        if path == SCRIPT_PATH:
            return _answer(start_response, "200 OK", "text/javascript; charset=utf-8",
                           script_source())
        if self.watcher is not None:  # a page is open: files changed elsewhere count now
            self.watcher.start()
        query = parse_qs(environ.get("QUERY_STRING", ""))
        app = query.get("app", [""])[0]
        try:
            seen = int(query.get("number", [""])[0])
        except ValueError:
            return _answer(start_response, "400 Bad Request", "text/plain",
                           b"number must be an integer")
        body = json.dumps(self.board.wait(app, seen)).encode()
        return _answer(start_response, "200 OK", "application/json", body)

    def _page(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        held: dict[str, Any] = {}

        def hold_html(status: str, headers: list, exc_info=None):
            if held.get("passed") or not _injectable(status, headers):
                held["passed"] = True
                return start_response(status, headers, exc_info)
            held.update(status=status, headers=headers, exc_info=exc_info)
            return lambda data: held.setdefault("written", []).append(data)

        result = self.app(environ, hold_html)
        if "status" not in held:
            held["passed"] = True  # started late (while iterating) or not HTML: left as it is
            return result
        try:
            body = b"".join([*held.get("written", []), *result])
        finally:
            if hasattr(result, "close"):
                result.close()
        app = environ.get(APP_KEY, "")
        injected = inject(body, script_tag(app, self.board.number(app))) if app else None
        body = injected if injected is not None else body
        headers = [(k, v) for k, v in held["headers"] if k.lower() != "content-length"]
        start_response(held["status"], [*headers, ("Content-Length", str(len(body)))],
                       held["exc_info"])
        return [body]


def _injectable(status: str, headers: list) -> bool:
    values = {key.lower(): value for key, value in headers}
    return (status.startswith("200") and values.get("content-type", "").startswith("text/html")
            and "content-encoding" not in values)


def _answer(start_response: StartResponse, status: str, content_type: str, body: bytes
            ) -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body))),
                            ("Cache-Control", "no-store")])
    return [body]


def with_live_reload(app: Callable[[dict, StartResponse], Iterable[bytes]], board: ChangeBoard,
                     watcher: AppsWatcher | None = None) -> LiveReloadApplication:
    """``app`` serving live reload for the pages of this machine, with ``board``'s numbers;
    ``watcher`` (started by the first poll, stopped with the server) reports files changed
    outside the window."""
    board.resume()
    board.files_changed = getattr(app, "files_changed", None)
    return LiveReloadApplication(app, board, watcher)
