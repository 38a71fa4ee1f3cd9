"""What the headless server says about each request: a line on the console (unless ``-Q``) and,
with ``-l FILE``, a line in web2py's ``httpserver.log`` format appended to that file."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

from server.hosting.httpd import RequestLogEntry


def console_line(entry: RequestLogEntry) -> str:
    return f"{entry.method} {entry.path} {entry.status} {entry.duration * 1000:.1f} ms"


def web2py_line(entry: RequestLogEntry) -> str:
    """``client, YYYY-MM-DD HH:MM:SS, METHOD, /path, PROTOCOL, status, seconds``: the query is
    left out and commas in the path are escaped, so the line splits on ", "."""
    when = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(entry.time))
    path = entry.path.split("?", 1)[0].replace(",", "%2C")
    return (f"{entry.client}, {when}, {entry.method}, {path}, {entry.protocol or 'HTTP/1.1'}, "
            f"{entry.status}, {entry.duration:f}")


class AccessLog:
    """The ``log_hook`` of the headless server(s): console and/or file, safe from any thread.

    Lines are written by one thread of their own, off the request threads: a console that
    scrolls slowly (or a slow disk) would otherwise hold every request up. :meth:`close` writes
    what is still queued."""

    def __init__(self, console: bool, filename: Path | None = None):
        self.console = console
        self.file = open(filename, "a", encoding="utf-8") if filename else None  # noqa: SIM115
        self._entries: queue.SimpleQueue[RequestLogEntry | None] = queue.SimpleQueue()
        self._writer: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self, entry: RequestLogEntry) -> None:
        if self._closed or not (self.console or self.file is not None):
            return
        self._entries.put(entry)
        if self._writer is None:
            self._start_writer()

    def _start_writer(self) -> None:
        with self._lock:
            if self._writer is None and not self._closed:
                self._writer = threading.Thread(target=self._drain, daemon=True,
                                                name="pocketweb-access-log")
                self._writer.start()

    def _drain(self) -> None:
        while (entry := self._entries.get()) is not None:
            settled = self._entries.empty()  # flush once the queue is caught up, not per line
            if self.console:
                print(console_line(entry), flush=settled)
            if self.file is not None:
                self.file.write(web2py_line(entry) + "\n")
                if settled:
                    self.file.flush()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            writer, self._writer = self._writer, None
        if writer is not None:
            self._entries.put(None)
            writer.join()
        if self.file is not None:
            self.file.close()
            self.file = None
