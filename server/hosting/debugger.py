"""Breakpoints in apps' code, for the window: a request that reaches one pauses in its own
thread (the server goes on answering the others) until told to continue, step or stop.

Built on the standard library's :mod:`bdb`. :meth:`Debugger.wrap` puts a WSGI app under the
debugger: while breakpoints exist, each request runs with a tracer of its own (bdb keeps its
stepping state per instance, and a trace function is per thread). When the tracer stops, the
paused request's stack and locals are captured *in its thread* as a :class:`Pause`, handed to
``on_pause``, and the thread waits for a command; expressions are evaluated in that thread
too (SQLite connections and ``current`` belong to it). Stop ends the request with ``BdbQuit``,
which the server turns into a ticket, like any error.

Rules that keep a debugger from wedging the server:

- a trace function is set only on the request's own thread (``sys.settrace``, never
  ``threading.settrace``) and removed in a ``finally`` when the request's call returns;
- only apps' files (under an ``applications`` folder) are traced line by line; every other
  call returns at once, so stepping never wanders into the framework or the server's loop;
- CPython 3.11 spins for ever at a traced function's entry once its pending-exception flag
  was left set (a withdrawn thread interrupt: :mod:`server.hosting.thread_interrupts`), so
  that flag is cleared before a request is traced and when the debugger closes or the
  server stops;
- a paused request blocks on a queue with a timeout, never polls, and each wake-up asks
  whether it was released;
- :meth:`Debugger.close` (the window closing) and the server's stop
  (:meth:`DebuggedApplication.stop_waiting`) release every paused request, which then ends
  with a ticket; after either, a tracer still on a thread removes itself at its next event.
"""

from __future__ import annotations

import bdb
import os
import queue
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

from server import template_lines
from server.hosting.frame_values import Variable, frame_variables
from server.hosting.thread_interrupts import absorb_interrupt, clear_stale_flag, raise_in_thread

COMMANDS = ("continue", "step", "next", "return", "stop")
APPS_FOLDER = os.sep + "applications" + os.sep
WAIT_SLICE = 0.25  # a paused request looks up at least this often: was it released?
GONE = "(the request is no longer paused)"


def canonical(path: str | Path) -> str:
    """One spelling per file: what the editor names and what the code was compiled from."""
    text = str(path)
    if text.startswith("<") and text.endswith(">"):
        return text
    return os.path.normcase(os.path.realpath(text))


@dataclass(frozen=True)
class StackFrame:
    file: str
    line: int
    function: str
    variables: tuple[Variable, ...]


@dataclass
class _Scope:
    """A paused frame's namespaces, read once: evaluations share one locals dict, which
    Python writes back into the innermost frame when the request goes on."""

    globals: dict
    locals: Mapping


@dataclass
class Pause:
    """A request stopped at ``file``:``line``; ``frames`` innermost last."""

    thread: str
    frames: list[StackFrame]
    _commands: queue.SimpleQueue = field(default_factory=queue.SimpleQueue, repr=False)
    _scopes: list[_Scope] = field(default_factory=list, repr=False)
    _over: threading.Event = field(default_factory=threading.Event, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _evaluating: int | None = field(default=None, repr=False)  # the thread, while one runs
    _interrupting: bool = field(default=False, repr=False)
    _resumed: bool = field(default=False, repr=False)  # a command to go on was given

    @property
    def file(self) -> str:
        return self.frames[-1].file

    @property
    def line(self) -> int:
        return self.frames[-1].line

    @property
    def over(self) -> bool:
        """The request went on (or ended); evaluations are answered no more."""
        return self._over.is_set()

    @property
    def waiting(self) -> bool:
        """It still waits for a command: none was given, and it was not released. (Its thread
        may take a moment to go on after :meth:`resume`; a window must not show it meanwhile
        as the request that waits.)"""
        return not (self._resumed or self.over)

    def resume(self, command: str) -> None:
        """``continue``, ``step`` (into), ``next`` (over), ``return`` (out) or ``stop`` (which
        interrupts an evaluation still running)."""
        if command not in COMMANDS:
            raise ValueError(f"unknown debugger command {command!r}")
        self._resumed = True
        if command == "stop":
            self.interrupt()  # an evaluation that never ends must not keep it waiting
        self._commands.put((command, None))

    def evaluate(self, expression: str, frame: int = -1) -> str:
        """``repr`` of ``expression`` in a paused frame (default: the innermost), computed in
        the paused thread; a statement is run (its output is what it prints there); an error
        is returned as its one-line message, an interrupted one as ``KeyboardInterrupt``.
        Waits for the answer (call it off the GUI thread); once the request went on, says
        so."""
        answer: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._commands.put(("evaluate", (expression, frame, answer)))
        while True:
            try:
                return answer.get(timeout=WAIT_SLICE)
            except queue.Empty:
                if self.over:
                    break
        try:
            return answer.get_nowait()
        except queue.Empty:
            return GONE

    @property
    def evaluating(self) -> bool:
        """An evaluation runs in the paused frame now."""
        return self._evaluating is not None

    def interrupt(self) -> bool:
        """Stop the evaluation running in the paused frame; False when none runs."""
        with self._lock:
            if self._evaluating is None:
                return False
            self._interrupting = True
            raise_in_thread(self._evaluating, KeyboardInterrupt)
            return True

    def _wait(self, released: Callable[[], bool]) -> str:
        """In the paused thread: answer evaluations until a command resumes it, or until
        ``released()`` (the debugger closed, the server stopping), which stops it."""
        try:
            while True:
                try:
                    command, detail = self._commands.get(timeout=WAIT_SLICE)
                except queue.Empty:
                    if released():
                        return "stop"
                    continue
                if command != "evaluate":
                    return command
                expression, index, answer = detail
                answer.put(self._interruptible(expression, self._scopes[index]))
        finally:
            self._over.set()

    def _interruptible(self, expression: str, scope: _Scope) -> str:
        """An evaluation that :meth:`interrupt` can stop; an interrupt that lands after it
        ended is absorbed here, so it never reaches the request's own code."""
        try:
            try:
                with self._lock:
                    self._evaluating = threading.get_ident()
                return _evaluate(expression, scope)
            finally:
                with self._lock:
                    self._evaluating = None
                    late, self._interrupting = self._interrupting, False
                if late:
                    absorb_interrupt(KeyboardInterrupt)
        except KeyboardInterrupt:
            return "KeyboardInterrupt"


def _evaluate(expression: str, scope: _Scope) -> str:
    try:
        try:
            code = compile(expression, "<debugger>", "eval")
        except SyntaxError:  # a statement: run it (an assignment changes the frame's locals)
            exec(compile(expression, "<debugger>", "exec"), scope.globals, scope.locals)  # noqa: S102
            return ""
        return repr(eval(code, scope.globals, scope.locals))  # noqa: S307 - the user's own
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def _within(frame: FrameType | None, outer: FrameType) -> bool:
    while frame is not None:
        if frame is outer:
            return True
        frame = frame.f_back
    return False


class _RequestTracer(bdb.Bdb):
    """One request's bdb: breakpoints are the debugger's, stepping state its own; it stops
    only in apps' files, and a view's compiled code at its template's lines."""

    def __init__(self, debugger: Debugger, released: Callable[[], bool]):
        super().__init__()
        self.debugger = debugger
        self.released = released
        self.breaks = debugger._breaks  # shared, read here; the debugger replaces entries
        self._leaving: FrameType | None = None  # step out: stop in no frame within this one
        self._view_lines: dict[FrameType, tuple[str, int]] = {}  # last line seen per view

    def canonic(self, filename: str) -> str:
        found = self.fncache.get(filename)
        if found is None:
            found = self.fncache[filename] = canonical(filename)
        return found

    def start(self) -> None:
        """Trace this thread from the caller's frame on, stopping only at breakpoints."""
        self.botframe = sys._getframe().f_back
        self._set_stopinfo(self.botframe, None, -1)  # type: ignore[attr-defined] # bdb's own
        sys.settrace(self.trace_dispatch)

    def stop_tracing(self) -> None:
        sys.settrace(None)
        self._view_lines.clear()

    def trace_dispatch(self, frame: FrameType, event: str, arg: Any):
        if self.released():  # the debugger closed or the server stops: no more tracing here
            sys.settrace(None)
            return None
        if event == "call" and not self._in_app(frame):
            return None  # the framework, the standard library: never traced line by line
        return super().trace_dispatch(frame, event, arg)

    def _in_app(self, frame: FrameType) -> bool:
        filename = frame.f_code.co_filename
        return APPS_FOLDER in self.canonic(filename) or template_lines.is_program(filename)

    # -- where to stop ----------------------------------------------------------------------

    def where(self, frame: FrameType) -> tuple[str, int]:
        """The file and line a user reads: a view's template line, not its compiled code's."""
        filename = frame.f_code.co_filename
        mapped = template_lines.source_line(filename, frame.f_lineno)
        if mapped is not None:
            return self.canonic(mapped[0]), mapped[1]
        return self.canonic(filename), frame.f_lineno

    def stop_here(self, frame: FrameType) -> bool:
        if not self._in_app(frame):
            return False
        if self._leaving is not None:
            return not _within(frame, self._leaving)
        return super().stop_here(frame)

    def break_anywhere(self, frame: FrameType) -> bool:
        return (self.canonic(frame.f_code.co_filename) in self.breaks
                or template_lines.is_program(frame.f_code.co_filename))

    def break_here(self, frame: FrameType) -> bool:
        file, line = self.where(frame)
        return line in self.breaks.get(file, ())

    def dispatch_line(self, frame: FrameType):
        if template_lines.is_program(frame.f_code.co_filename):
            seen = self.where(frame)
            if self._view_lines.get(frame) == seen:
                return self.trace_dispatch  # another compiled line of the same template line
            self._view_lines[frame] = seen
        return super().dispatch_line(frame)

    def user_line(self, frame: FrameType) -> None:
        self._pause(frame)

    # -- a pause ----------------------------------------------------------------------------

    def _pause(self, frame: FrameType) -> None:
        self._leaving = None
        stack = [entry for entry, _line in self.get_stack(frame, None)[0]
                 if entry is not self.botframe and self._in_app(entry)] or [frame]
        scopes = [_Scope(entry.f_globals, entry.f_locals) for entry in stack]
        pause = Pause(threading.current_thread().name, [
            StackFrame(*self.where(entry), entry.f_code.co_name,
                       frame_variables(entry, scope.locals))
            for entry, scope in zip(stack, scopes, strict=True)])
        pause._scopes = scopes
        command = self.debugger._hold(pause, self.released)
        if command != "continue":
            for entry in stack:  # callers traced too, so stepping can stop back in them
                entry.f_trace = self.trace_dispatch
        if command == "continue":
            self.set_continue()
        elif command == "step":
            self.set_step()
        elif command == "next":
            self.set_next(frame)
        elif command == "return":
            self.set_step()
            self._leaving = frame
        else:
            self.set_quit()


class DebuggedApplication:
    """A WSGI app whose requests run under a :class:`Debugger` while it has breakpoints."""

    def __init__(self, app: Callable, debugger: Debugger):
        self.app = app
        self.debugger = debugger
        self._stopping = threading.Event()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not self.debugger.tracing_wanted() or self._stopping.is_set() \
                or sys.gettrace() is not None:  # no breakpoints, or another tracer (coverage)
            return self.app(environ, start_response)
        tracer = _RequestTracer(self.debugger, self._released)
        self.debugger._traced(+1)
        clear_stale_flag()  # or this thread's first traced call could spin for ever
        tracer.start()
        try:
            return self.app(environ, start_response)
        finally:
            tracer.stop_tracing()
            self.debugger._traced(-1)
            self.debugger._report(self.debugger.on_finish, threading.current_thread().name)

    def _released(self) -> bool:
        return self._stopping.is_set() or self.debugger.closed

    def stop_waiting(self) -> None:
        """Called by :meth:`server.hosting.httpd.WebServer.stop`: paused requests end (with a
        ticket) and no request pauses any more; the wrapped app's waits end too."""
        self._stopping.set()
        clear_stale_flag()  # a traced request wedged by someone's stale flag goes on
        self.debugger.release_all()
        inner = getattr(self.app, "stop_waiting", None)
        if inner is not None:
            inner()


class Debugger:
    """Breakpoints and paused requests of the apps one server serves.

    Reports come from the request's thread (the window turns them into signals):
    ``on_pause(pause)`` when it pauses, ``on_resume(pause)`` once it goes on, and
    ``on_finish(thread)`` when a traced request's call returns (a window following a step
    learns that it ended without pausing again). A report may arrive after what it reports
    changed again (a pause reported once the user already resumed it from :meth:`waiting`):
    a window shows what :meth:`waiting` says now, not what a report says.
    """

    def __init__(self, on_pause: Callable[[Pause], None],
                 on_resume: Callable[[Pause], None] | None = None,
                 on_finish: Callable[[str], None] | None = None):
        self.on_pause = on_pause
        self.on_resume = on_resume or (lambda pause: None)
        self.on_finish = on_finish or (lambda thread: None)
        self._breaks: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        self.paused: list[Pause] = []
        self._closed = threading.Event()
        self._tracing = 0

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    @property
    def tracing(self) -> int:
        """How many requests run with this debugger's trace function now."""
        with self._lock:
            return self._tracing

    def tracing_wanted(self) -> bool:
        return bool(self._breaks) and not self.closed

    # -- breakpoints ----------------------------------------------------------------------------

    def set_breakpoint(self, path: str | Path, line: int) -> None:
        file = canonical(path)
        with self._lock:
            lines = self._breaks.get(file, [])
            if line not in lines:
                self._breaks[file] = sorted([*lines, line])

    def clear_breakpoint(self, path: str | Path, line: int) -> None:
        file = canonical(path)
        with self._lock:
            lines = [number for number in self._breaks.get(file, []) if number != line]
            if lines:
                self._breaks[file] = lines
            else:
                self._breaks.pop(file, None)

    def breakpoints(self) -> list[tuple[str, int]]:
        with self._lock:
            return [(file, line) for file, lines in self._breaks.items() for line in lines]

    def clear_all(self) -> None:
        with self._lock:
            self._breaks.clear()

    # -- requests -------------------------------------------------------------------------------

    def wrap(self, app: Callable) -> DebuggedApplication:
        """``app`` with its requests run under this debugger while it has breakpoints."""
        return DebuggedApplication(app, self)

    def continue_all(self) -> None:
        """Let every paused request go on."""
        for pause in self._paused_now():
            pause.resume("continue")

    def release_all(self) -> None:
        """Every paused request stops (and ends with a ticket)."""
        for pause in self._paused_now():
            pause.resume("stop")

    def close(self) -> None:
        """The window closes: no request pauses any more (not even one on its way to a
        breakpoint), those paused end with a ticket, every tracer leaves its thread."""
        self._closed.set()
        clear_stale_flag()
        self.release_all()

    def waiting(self) -> list[Pause]:
        """The paused requests still waiting for a command, in the order they paused."""
        return [pause for pause in self._paused_now() if pause.waiting]

    def _paused_now(self) -> list[Pause]:
        with self._lock:
            return list(self.paused)

    def _traced(self, step: int) -> None:
        with self._lock:
            self._tracing += step

    def _hold(self, pause: Pause, released: Callable[[], bool]) -> str:
        with self._lock:  # checked under the lock that close()'s release_all takes
            if released():
                return "stop"
            self.paused.append(pause)
        self._report(self.on_pause, pause)
        try:
            return pause._wait(released)
        finally:
            with self._lock:
                self.paused.remove(pause)
            self._report(self.on_resume, pause)

    def _report(self, callback: Callable[[Any], None], subject: Any) -> None:
        """Tell the window, unless it closed; its problem must not take the request down."""
        if self.closed:
            return
        try:
            callback(subject)
        except Exception:
            pass
