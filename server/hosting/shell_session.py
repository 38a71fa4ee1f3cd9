"""An app's interactive shell for the window: ``-S app -M`` kept open in a thread of its own.

The app's environment (models run, ``db`` ready; :func:`server.hosting.shell.environment`) is
built in that thread and stays there: SQLite connections and ``current`` belong to the thread
that made them, so every statement runs in it too. Lines are pushed one at a time, as typed at
``>>>``/``...``; a statement that never ends is stopped by :meth:`ShellSession.interrupt`,
which raises ``KeyboardInterrupt`` inside it. As in web2py's shell, nothing is committed unless
the user calls ``db.commit()``; closing the session rolls the rest back.
"""

from __future__ import annotations

import code
import queue
import rlcompleter
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from server import __version__
from server.context import close_databases
from server.hosting.output import keep_routed, thread_output
from server.hosting.shell import Target, environment
from server.hosting.thread_interrupts import absorb_interrupt, raise_in_thread

CLOSE = None  # what the queue carries to end the session


def banner(app: str) -> str:
    return (f"Pocketweb {__version__} shell, application {app!r}, models run "
            f"(Python {sys.version.split()[0]}).\n"
            "Changes to the database are kept only after db.commit(), as in web2py.\n")


class _Console(code.InteractiveConsole):
    def __init__(self, namespace: dict, write: Callable[[str], None]):
        super().__init__(namespace, filename="<shell>")
        self.write = write  # type: ignore[assignment] # tracebacks go where prints go

    # Python's console hands tracebacks to sys.excepthook when someone replaced it (Qt
    # bindings, test runners do); here they are always the shell's output.
    def showtraceback(self) -> None:
        kind, value, trace = sys.exc_info()
        self.write("".join(traceback.format_exception(kind, value, trace and trace.tb_next)))

    def showsyntaxerror(self, filename=None, **_ignored) -> None:
        kind, value, _trace = sys.exc_info()
        self.write("".join(traceback.format_exception_only(kind, value)))


class ShellSession:
    """``ShellSession(root, app, write, ready).start()``; then :meth:`push` each line.

    ``write(text)`` gets everything the shell shows (the banner, prints, results, tracebacks)
    and ``ready(more)`` is called each time it waits for the next line (``more``: inside an
    unfinished statement, prompt ``...``); both from the session's thread. With ``echo`` each
    line is written too, after its prompt. ``failed(message)``
    says the app could not be opened (its models failed); the session is then over.
    """

    def __init__(self, root: Path, app: str, write: Callable[[str], None],
                 ready: Callable[[bool], None], failed: Callable[[str], None] | None = None,
                 echo: bool = False):
        self.root, self.app = Path(root), app
        self.echo = echo  # write each line after its prompt, in order with what it prints
        self.write, self.ready = write, ready
        self.failed = failed or write
        self.namespace: dict = {}
        self._lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running = False  # a statement is executing (interrupt may strike)
        self._interrupting = False
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        """A statement is running (or the models are)."""
        return self._running

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        self._running = True  # until the models have run
        self._thread = threading.Thread(target=self._serve, name=f"pocketweb-shell-{self.app}",
                                        daemon=True)
        self._thread.start()

    def push(self, line: str) -> None:
        """Run ``line`` next (queued while a statement runs)."""
        self._lines.put(line)

    def complete(self, text: str) -> list[str]:
        """Names and attributes that ``text`` could become, as Python's console offers on Tab;
        none while a statement runs (completing attributes evaluates the expression before
        the last dot)."""
        if self.busy or not self.namespace:
            return []
        completer = rlcompleter.Completer(self.namespace)
        found: list[str] = []
        for state in range(1000):
            try:
                match = completer.complete(text, state)
            except Exception:  # an expression that fails to evaluate offers nothing
                break
            if match is None:
                break
            if match not in found:
                found.append(match)
        return found

    def interrupt(self) -> bool:
        """Stop the running statement with ``KeyboardInterrupt``; False when none runs."""
        with self._lock:
            if not self._running or self._thread is None or self._thread.ident is None:
                return False
            self._interrupting = True
            raise_in_thread(self._thread.ident, KeyboardInterrupt)
            return True

    def close(self, timeout: float = 10.0) -> None:
        """End the session (interrupting a running statement); what was not committed is
        rolled back."""
        self._lines.put(CLOSE)
        self.interrupt()
        if self._thread is not None:
            self._thread.join(timeout)

    # -- the session's thread ---------------------------------------------------------------

    def _serve(self) -> None:
        with thread_output(self.write):
            try:
                with environment(self.root, Target(self.app), True, keep_databases=True) as env:
                    self.namespace = env
                    self._loop(_Console(env, self.write))
            except (Exception, KeyboardInterrupt) as exc:  # models failed or were interrupted
                self._finished()
                self.failed("".join(traceback.format_exception_only(type(exc), exc)).strip())
            finally:
                close_databases(commit=False)

    def _loop(self, console: _Console) -> None:
        self.write(banner(self.app))
        more = False
        while True:
            try:
                self._finished()
                self.ready(more)
                line = self._lines.get()
                if line is CLOSE:
                    return
                if self.echo:
                    self.write(f"{'...' if more else '>>>'} {line}\n")
                with self._lock:
                    self._running = True
                keep_routed()
                more = console.push(line)
            except KeyboardInterrupt:  # struck just after the statement ended
                console.resetbuffer()
                more = False
                self.write("KeyboardInterrupt\n")
            except SystemExit:
                more = False
                self.write("The shell stays open: it ends with the window or another app.\n")

    def _finished(self) -> None:
        """No statement runs now; an interrupt that came too late is dropped here."""
        with self._lock:
            self._running = False
            late, self._interrupting = self._interrupting, False
        if late:
            absorb_interrupt(KeyboardInterrupt)
