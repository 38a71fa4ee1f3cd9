"""cheroot made strict where HTTP/1.1 asks for it and where cheroot has no setting of its own.

- the request line has its own limit (414) and the header block another (431, by size or by
  count); a ``Content-Length`` that is not a plain number, appears twice with different values
  or comes along with ``Transfer-Encoding`` is 400 (the request-smuggling cases);
- ``HEAD``, 204 and 304 answers carry no body (cheroot writes whatever the app returns), 204
  carries no ``Content-Length``, and a chunked body the app left unread closes the connection
  instead of being parsed as the next request;
- a connection gets a worker thread only once its request head has arrived: the bytes are
  collected without blocking, each time the socket is readable, and a head still incomplete
  after ``head_timeout`` seconds drops the connection. Clients that trickle their headers a
  byte at a time therefore cannot hold the worker threads.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass
from typing import Any

from cheroot import errors, server


@dataclass(frozen=True)
class HttpLimits:
    """What the server accepts from a client before the app sees the request."""

    max_request_line: int = 8 * 1024
    max_header_bytes: int = 64 * 1024
    max_headers: int = 100
    head_timeout: float = 5.0


class _TooManyHeaders(Exception):
    pass


class _CheckedHeaders(dict):
    """cheroot's header dict, refusing what its parser lets through (raised as ValueError: 400)."""

    def __init__(self, max_headers: int):
        super().__init__()
        self.max_headers = max_headers
        self.lines = 0

    def __setitem__(self, key: bytes, value: bytes) -> None:
        self.lines += 1
        if self.lines > self.max_headers:
            raise _TooManyHeaders()
        if key == b"Content-Length":
            if not value.isdigit():
                raise ValueError("Malformed Content-Length Header.")
            if key in self and self[key] != value:
                raise ValueError("Conflicting Content-Length Headers.")
        body_headers = {b"Content-Length", b"Transfer-Encoding"}
        if key in body_headers and (body_headers - {key}) & self.keys():
            raise ValueError("Content-Length and Transfer-Encoding together.")
        super().__setitem__(key, value)


class StrictRequest(server.HTTPRequest):
    """cheroot's request with separate line and header limits and body-less answers."""

    def read_request_line(self) -> bool:
        limits: HttpLimits = self.server.limits
        self.rfile.maxlen = limits.max_request_line
        try:
            ok = super().read_request_line()
        except errors.MaxSizeExceeded:
            self._refuse("414 URI Too Long",
                         f"The request line is longer than {limits.max_request_line} bytes.")
            return False
        self.rfile.maxlen = self.rfile.bytes_read + limits.max_header_bytes
        return ok

    def read_request_headers(self) -> bool:
        limits: HttpLimits = self.server.limits
        self.inheaders = _CheckedHeaders(limits.max_headers)
        try:
            return super().read_request_headers()
        except (errors.MaxSizeExceeded, _TooManyHeaders):
            self._refuse("431 Request Header Fields Too Large",
                         f"At most {limits.max_headers} headers of {limits.max_header_bytes} "
                         "bytes in all.")
            return False

    def _refuse(self, status: str, message: str) -> None:
        """A plain answer that closes the connection (the rest of the stream is unreadable)."""
        self.response_protocol = "HTTP/1.1"  # else cheroot turns 414 into 400 before the version
        self.close_connection = True
        self.simple_response(status, message)

    def send_headers(self) -> None:
        if self.status[:1] == b"1" or self.status[:3] == b"204":
            self.outheaders = [(k, v) for k, v in self.outheaders if k.lower() != b"content-length"]
        if self.chunked_read and not self.rfile.closed:
            self.close_connection = True
        super().send_headers()

    def write(self, chunk: bytes) -> None:
        if self.method == b"HEAD" or self.status[:3] in (b"204", b"304"):
            return
        super().write(chunk)


class _HeadBuffer:
    """A connection's reader: bytes taken off the socket early are read first, then the socket.

    Reads behave like the buffered reader underneath (``read(n)`` blocks for ``n`` bytes).
    """

    def __init__(self, inner, sock, limit: int):
        self.inner = inner
        self.sock = sock
        self.limit = limit
        self.pending = bytearray()

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def read(self, size=-1) -> bytes:
        if size is None or size < 0:
            data = bytes(self.pending) + self.inner.read()
            self.pending.clear()
            return data
        data = bytes(self.pending[:size])
        del self.pending[:size]
        return data + self.inner.read(size - len(data)) if len(data) < size else data

    def readline(self, size=-1) -> bytes:
        if not self.pending:
            return self.inner.readline(size)
        bounded = size is not None and size >= 0
        end = self.pending.find(b"\n")
        cut = end + 1 if end >= 0 else len(self.pending)
        if bounded:
            cut = min(cut, size)
        line = bytes(self.pending[:cut])
        del self.pending[:cut]
        if line.endswith(b"\n") or (bounded and len(line) >= size):
            return line
        return line + self.inner.readline(size - len(line) if bounded else -1)

    def has_data(self) -> bool:
        return self.head_complete() or self.inner.has_data()

    def head_complete(self) -> bool:
        """A whole head is here (or more than the limits allow: the parser answers 414/431)."""
        return (b"\n\r\n" in self.pending or b"\n\n" in self.pending
                or len(self.pending) > self.limit)

    def collect(self) -> bool:
        """Take what has arrived without waiting; False when the client has gone."""
        while self.inner.has_data():
            self.pending += self.inner.read1(64 * 1024)
        timeout = self.sock.gettimeout()
        self.sock.settimeout(0)
        try:
            while not self.head_complete():
                chunk = self.sock.recv(16 * 1024)
                if not chunk:
                    return False
                self.pending += chunk
        except (BlockingIOError, InterruptedError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
            pass
        except OSError:
            return False
        finally:
            self.sock.settimeout(timeout)
        return True


class GuardedConnection(server.HTTPConnection):
    """A connection whose request head is gathered before a worker parses it."""

    RequestHandlerClass = StrictRequest

    def __init__(self, http_server: Any, sock: Any,
                 makefile: Any = server.MakeFile) -> None:  # type: ignore[attr-defined]
        super().__init__(http_server, sock, makefile)
        limits: HttpLimits = http_server.limits
        self.rfile = _HeadBuffer(self.rfile, sock, limits.max_request_line + limits.max_header_bytes)
        self._head_started: float | None = None

    def communicate(self) -> bool:
        if not self.rfile.head_complete():
            started = self._head_started = self._head_started or time.monotonic()
            if not self.rfile.collect():
                return False
            if not self.rfile.head_complete():
                # back to the selector until more bytes come, unless it has had long enough
                return time.monotonic() - started < self.server.limits.head_timeout
        self._head_started = None
        return super().communicate()


def make_strict(http_server: server.HTTPServer, limits: HttpLimits) -> None:
    """Give a cheroot server these request and connection classes, with ``limits``."""
    http_server.limits = limits  # type: ignore[attr-defined] # our addition, read by the classes above
    http_server.max_request_header_size = limits.max_request_line + limits.max_header_bytes
    http_server.ConnectionClass = GuardedConnection
