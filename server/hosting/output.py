"""What the apps and the server say, for the window's Output panel: ``print()`` from models,
controllers and views, ``logging`` records, and a line per ticket, each tagged with its app.

``sys.stdout`` and ``sys.stderr`` are replaced, while someone listens, by streams that still
write everything to the console the program was started from and also cut it into lines *per
thread*, so two requests printing at once never share a line. A line's app is the one of the
request (or shell, cron job) bound to ``current`` in the thread that printed it.

:func:`thread_output` sends one thread's output somewhere else instead (the Shell panel's
statements), without touching the console or the other threads.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from server.current import current

if TYPE_CHECKING:  # cheroot loads with the first server, not with the window
    from server.hosting.httpd import RequestLogEntry

TICKET_MESSAGE = "ticket %s/%s"  # how the server logs each ticket it writes: app, id
LONGEST_PARTIAL_LINE = 4096  # a print without a newline is shown once it grows this long


@dataclass(frozen=True)
class OutputLine:
    """One line of output. ``app`` is empty for the server's own messages; ``ticket`` is the
    id of the error ticket the line announces (in ``app``)."""

    time: float
    app: str
    kind: str  # "print", "log", "access"
    text: str
    ticket: str | None = None


Listener = Callable[[OutputLine], None]


def current_app() -> str:
    """The app whose code runs in this thread (a request, the shell, a cron job), or ''."""
    request = getattr(current, "request", None)
    return str(getattr(request, "application", "") or "")


def access_output(entry: RequestLogEntry) -> OutputLine:
    """The access-log line of one served request, tagged with the app its path names."""
    from server.hosting.access_log import console_line

    first = entry.path.split("?", 1)[0].strip("/").split("/", 1)[0]
    return OutputLine(entry.time, first, "access", console_line(entry))


class _Hub:
    """The listeners, the per-thread partial lines and the installed streams and handler."""

    def __init__(self):
        self.lock = threading.Lock()
        self.listeners: list[Listener] = []
        self.local = threading.local()  # .partial (str), .redirect (callable), .quiet (bool)
        self.handler = _LogForwarder(self)
        self.stream_users = 0  # listeners and threads under thread_output

    def emit(self, line: OutputLine) -> None:
        for listener in list(self.listeners):
            try:
                listener(line)
            except Exception:  # a broken listener must never break the app that printed
                pass

    def printed(self, text: str) -> None:
        """Cut this thread's printed text into lines and hand the complete ones out."""
        pending = getattr(self.local, "partial", "") + text
        *lines, rest = pending.split("\n")
        if len(rest) >= LONGEST_PARTIAL_LINE:
            lines.append(rest)
            rest = ""
        self.local.partial = rest
        if lines:
            app, now = current_app(), time.time()
            for line in lines:
                self.emit(OutputLine(now, app, "print", line.rstrip("\r")))

    def start(self, listener: Listener) -> None:
        with self.lock:
            self.listeners.append(listener)
            self._use_streams(+1)
            if len(self.listeners) == 1:
                logging.root.addHandler(self.handler)

    def stop(self, listener: Listener) -> None:
        with self.lock:
            if listener not in self.listeners:
                return
            self.listeners.remove(listener)
            self._use_streams(-1)
            if not self.listeners:
                logging.root.removeHandler(self.handler)


    def _use_streams(self, change: int) -> None:
        """Routed streams in place while someone uses them; the originals back after."""
        self.stream_users += change
        if change > 0:
            self.route()
        elif self.stream_users == 0:
            for name in ("stdout", "stderr"):
                stream = getattr(sys, name)
                if isinstance(stream, _RoutedStream):  # else someone replaced it since
                    setattr(sys, name, stream.original)

    @staticmethod
    def route() -> None:
        for name in ("stdout", "stderr"):
            stream = getattr(sys, name)
            if not isinstance(stream, _RoutedStream):
                setattr(sys, name, _RoutedStream(stream))

    @contextlib.contextmanager
    def streams_in_use(self) -> Iterator[None]:
        with self.lock:
            self._use_streams(+1)
        try:
            yield
        finally:
            with self.lock:
                self._use_streams(-1)


class _RoutedStream:
    """Stands in for ``sys.stdout``/``sys.stderr``: the console still gets every write, except
    a thread's under :func:`thread_output`; listeners get the lines."""

    def __init__(self, original: TextIO):
        self.original = original

    def write(self, text: str) -> int:
        local = _hub.local
        redirect = getattr(local, "redirect", None)
        if redirect is not None:
            redirect(text)
            return len(text)
        written = self.original.write(text)
        if _hub.listeners and not getattr(local, "quiet", False):
            _hub.printed(text)
        return written if written is not None else len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if getattr(_hub.local, "redirect", None) is None:
            self.original.flush()

    def __getattr__(self, name: str):  # encoding, isatty, fileno, buffer, ...: the console's
        return getattr(self.original, name)


class _LogForwarder(logging.Handler):
    """The root logger's handler while listening: each record as lines of its app."""

    def __init__(self, hub: _Hub):
        super().__init__(logging.DEBUG)
        self.hub = hub
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        ticket, app = None, current_app()
        if record.msg == TICKET_MESSAGE and isinstance(record.args, tuple) and record.args[1]:
            app, ticket = str(record.args[0]), str(record.args[1])
        text = self.format(record)
        for number, line in enumerate(text.splitlines() or [""]):
            self.hub.emit(OutputLine(record.created, app, "log", line,
                                     ticket if number == 0 else None))
        self._keep_console_default(record)

    @staticmethod
    def _keep_console_default(record: logging.LogRecord) -> None:
        """Without this handler Python prints warnings to stderr (its "last resort"); keep
        doing so when no one else configured logging, without showing them twice here."""
        others = [h for h in logging.root.handlers if not isinstance(h, _LogForwarder)]
        last_resort = logging.lastResort
        if not others and last_resort is not None and record.levelno >= last_resort.level:
            _hub.local.quiet = True
            try:
                last_resort.handle(record)
            finally:
                _hub.local.quiet = False


_hub = _Hub()


def capture_output(listener: Listener) -> Callable[[], None]:
    """Call ``listener(OutputLine)`` for every line printed or logged, from the thread that
    wrote it; returns what stops the calls. The console keeps getting everything."""
    _hub.start(listener)
    return lambda: _hub.stop(listener)


@contextlib.contextmanager
def thread_output(write: Callable[[str], None]) -> Iterator[None]:
    """While inside, this thread's ``print()`` and ``sys.stderr`` writes go to ``write``
    only: not to the console, not to the listeners."""
    local = _hub.local
    previous = getattr(local, "redirect", None)
    with _hub.streams_in_use():
        local.redirect = write
        try:
            yield
        finally:
            local.redirect = previous


def keep_routed() -> None:
    """Put the routed streams back in front if someone replaced ``sys.stdout`` or
    ``sys.stderr`` since (a test runner's capture): called before each shell statement."""
    with _hub.lock:
        if _hub.stream_users:
            _hub.route()
