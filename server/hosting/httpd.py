"""The embedded web server: cheroot bound in the caller's thread, served in a worker thread.

Binding in the caller's thread means "address in use" surfaces where the caller (the window or the
command line) can show it. ``expiration_interval`` is kept short so :meth:`stop` returns fast.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cheroot import wsgi

from server.hosting.host_names import ENVIRON_KEY as HOST_NAMES_KEY
from server.hosting.host_names import served_host_names
from server.hosting.protocol import HttpLimits, make_strict
from server.options import ServerOptions

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

# connections the OS holds until cheroot accepts them (cheroot's 5 makes a burst of clients
# wait for TCP retries, seconds each)
LISTEN_BACKLOG = 128
LogHook = Callable[["RequestLogEntry"], None]


@dataclass(frozen=True)
class RequestLogEntry:
    """One served request, as the request log shows it."""

    time: float
    method: str
    path: str
    status: int
    duration: float
    client: str
    protocol: str = ""


class ServerError(RuntimeError):
    """The server could not start, with a message fit to show a user."""


class _LoggingApp:
    """Wrap a WSGI app to report each request's method, path, status and duration."""

    def __init__(self, app, hook: LogHook):
        self.app = app
        self.hook = hook

    def __call__(self, environ, start_response):
        started = time.time()
        status_holder = {}

        def recording_start_response(status, headers, exc_info=None):
            status_holder["status"] = int(status.split(" ", 1)[0])
            return start_response(status, headers, exc_info)

        result = self.app(environ, recording_start_response)
        try:
            yield from result
        finally:
            if hasattr(result, "close"):
                result.close()
            path = environ.get("PATH_INFO", "")
            if environ.get("QUERY_STRING"):
                path += "?" + environ["QUERY_STRING"]
            entry = RequestLogEntry(
                time=started,
                method=environ.get("REQUEST_METHOD", ""),
                path=path,
                status=status_holder.get("status", 0),
                duration=time.time() - started,
                client=environ.get("REMOTE_ADDR", ""),
                protocol=environ.get("SERVER_PROTOCOL", ""),
            )
            try:
                self.hook(entry)
            except Exception:  # a broken log hook must never break serving
                pass


class _HostNames:
    """Tell the apps which host names this server answers to (Auth's default allow-list);
    known once the port is bound, so worked out on the first request."""

    def __init__(self, app, server: WebServer):
        self.app, self.server, self.names = app, server, None

    def __call__(self, environ, start_response):
        if self.names is None:
            self.names = served_host_names(self.server.host, self.server.port)
        environ[HOST_NAMES_KEY] = self.names
        return self.app(environ, start_response)


def _with_header(app, name: str, value: str):
    """``app`` with one more response header (HSTS: only this server knows it speaks HTTPS)."""

    def with_header(environ, start_response):
        def start(status, headers, exc_info=None):
            if not any(key.lower() == name.lower() for key, _ in headers):
                headers = [*headers, (name, value)]
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return with_header


class WebServer:
    """Start, serve and stop one cheroot server.

    >>> server = WebServer(app, "127.0.0.1", 0)
    >>> server.start()        # binds now; raises ServerError on a busy port
    >>> server.url            # 'http://127.0.0.1:54321'
    >>> server.stop()
    """

    def __init__(
        self,
        app: WSGIApplication,
        host: str = "127.0.0.1",
        port: int = 8000,
        threads: int = 10,
        certfile: str | None = None,
        keyfile: str | None = None,
        log_hook: LogHook | None = None,
        shutdown_timeout: float = 3.0,
        limits: HttpLimits | None = None,
        hsts_max_age: int = 0,
    ):
        self.host = host
        self.requested_port = port
        self.https = bool(certfile)
        self.app = app
        wsgi_app = _LoggingApp(app, log_hook) if log_hook else app
        wsgi_app = _HostNames(wsgi_app, self)
        if certfile and hsts_max_age:
            wsgi_app = _with_header(wsgi_app, "Strict-Transport-Security", f"max-age={hsts_max_age}")
        self._server = wsgi.Server(
            (host, port),
            wsgi_app,
            numthreads=threads,
            request_queue_size=LISTEN_BACKLOG,
            server_name="Pocketweb",
            shutdown_timeout=shutdown_timeout,  # type: ignore[arg-type] # cheroot takes a float
        )
        self._server.expiration_interval = 0.1
        make_strict(self._server, limits or HttpLimits())
        if certfile:
            self._server.ssl_adapter = _ssl_adapter(certfile, keyfile)
        self._thread: threading.Thread | None = None

    @classmethod
    def from_options(cls, app: WSGIApplication, options: ServerOptions, log_hook: LogHook | None = None
                     ) -> WebServer:
        """A server for ``app`` listening where ``options`` say, with their threads and TLS."""
        host, port = options.address()
        return cls(app, host, port, threads=options.threads, certfile=options.certfile,
                   keyfile=options.keyfile, log_hook=log_hook, hsts_max_age=options.hsts_max_age)

    @property
    def port(self) -> int:
        bound = self._server.bind_addr
        return bound[1] if isinstance(bound, tuple) else self.requested_port

    @property
    def url(self) -> str:
        scheme = "https" if self.https else "http"
        host = self.host if ":" not in self.host else f"[{self.host}]"
        if host in ("0.0.0.0", "[::]"):
            host = "127.0.0.1"
        return f"{scheme}://{host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Bind the port here (errors raise :class:`ServerError`), then serve in a thread."""
        try:
            self._server.prepare()
        except OSError as exc:
            raise ServerError(_bind_message(self.host, self.requested_port, exc)) from exc
        self._thread = threading.Thread(
            target=self._server.serve, name=f"pocketweb-httpd-{self.port}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Finish in-flight requests, close the socket and wait for the worker thread."""
        if self._thread is None:
            return
        stop_waiting = getattr(self.app, "stop_waiting", None)
        if stop_waiting is not None:  # requests waiting on an event (live reload) end now
            stop_waiting()
        self._server.stop()
        self._thread.join(timeout=10)
        self._thread = None

    def serve_forever(self) -> None:
        """Block until interrupted (command-line use); starts the server if it is not running."""
        if not self.running:
            self.start()
        try:
            while self.running:
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()


def _ssl_adapter(certfile: str, keyfile: str | None):
    from cheroot.ssl.builtin import BuiltinSSLAdapter

    try:
        return BuiltinSSLAdapter(certfile, keyfile or certfile)
    except (OSError, ValueError) as exc:
        raise ServerError(f"cannot use certificate {certfile!r}: {exc}") from exc


def _bind_message(host: str, port: int, exc: OSError) -> str:
    text = str(exc)
    if "in use" in text.lower() or getattr(exc, "errno", None) in (98, 48, 10048):
        return f"port {port} on {host} is already in use; choose another port"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on ``host:port`` (used after stop to confirm release)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) != 0


def free_port(host: str = "127.0.0.1") -> int:
    """A port the OS says is free right now."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
