"""How Pocketweb serves, as one frozen object from the command line or the window to the server.

``server.hosting.cli`` builds it from the flags, the window from its fields; the WSGI
:class:`~server.wsgi.Application` reads what a request needs (body limit, default app, session
timing) and :class:`~server.hosting.httpd.WebServer` what the socket needs (address, threads,
TLS). A new option is one field here with its default, and its flag or control where it is set.
This module imports nothing: the window reads it before the server is loaded, through
``server.hosting`` (the desktop's door to the server).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_THREADS = 10
DEFAULT_MAX_BODY_SIZE = 10 * 1024 * 1024
DEFAULT_APPLICATION = "welcome"
DEFAULT_SESSION_LOCK_TIMEOUT = 10.0  # seconds a request waits for another of its session
DEFAULT_SESSION_MAX_AGE = 30 * 24 * 3600  # Auth's "remember me" lifetime
DEFAULT_CHANGE_CHECK_INTERVAL = 0.5  # seconds an app's files go unchecked (0: every request)


@dataclass(frozen=True)
class ServerOptions:
    """Everything chosen about serving; ``host``/``port`` None means "not chosen here" (the
    window then uses its saved address, the command line the defaults: see :meth:`address`)."""

    host: str | None = None
    port: int | None = None
    threads: int = DEFAULT_THREADS
    certfile: str | None = None
    keyfile: str | None = None
    max_body_size: int = DEFAULT_MAX_BODY_SIZE
    default_application: str = DEFAULT_APPLICATION
    session_lock_timeout: float = DEFAULT_SESSION_LOCK_TIMEOUT
    session_max_age: float = DEFAULT_SESSION_MAX_AGE
    hsts_max_age: int = 0  # seconds of Strict-Transport-Security over HTTPS; 0 sends none
    change_check_interval: float = DEFAULT_CHANGE_CHECK_INTERVAL  # see server.file_stamps

    @property
    def https(self) -> bool:
        return bool(self.certfile)

    def address(self) -> tuple[str, int]:
        """The host and port to listen on, the defaults filling what was not chosen."""
        return (self.host or DEFAULT_HOST, DEFAULT_PORT if self.port is None else self.port)

    def at(self, host: str, port: int) -> ServerOptions:
        """The same options listening on ``host:port`` (the window's fields)."""
        return replace(self, host=host, port=port)
