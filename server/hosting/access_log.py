"""What the headless server says about each request: a line on the console (unless ``-Q``) and,
with ``-l FILE``, a line in web2py's ``httpserver.log`` format appended to that file."""

from __future__ import annotations

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
    """The ``log_hook`` of the headless server(s): console and/or file, safe from any thread."""

    def __init__(self, console: bool, filename: Path | None = None):
        self.console = console
        self.file = open(filename, "a", encoding="utf-8") if filename else None  # noqa: SIM115
        self._lock = threading.Lock()

    def __call__(self, entry: RequestLogEntry) -> None:
        if self.console:
            print(console_line(entry), flush=True)
        if self.file is not None:
            with self._lock:
                self.file.write(web2py_line(entry) + "\n")
                self.file.flush()

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None
