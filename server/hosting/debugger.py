"""Breakpoints in apps' code, for the window: a request that reaches one pauses in its own
thread (the server goes on answering the others) until told to continue, step or stop.

Built on the standard library's :mod:`bdb`. :meth:`Debugger.wrap` puts a WSGI app under the
debugger: while breakpoints exist, each request runs with a tracer of its own (bdb keeps its
stepping state per instance, and a trace function is per thread). When the tracer stops, the
paused request's stack and locals are captured *in its thread* as a :class:`Pause`, handed to
``on_pause``, and the thread waits for a command; expressions are evaluated in that thread
too (SQLite connections and ``current`` belong to it). Stop ends the request with ``BdbQuit``,
which the server turns into a ticket, like any error.
"""

from __future__ import annotations

import bdb
import inspect
import os
import queue
import reprlib
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

COMMANDS = ("continue", "step", "next", "return", "stop")
FRAMEWORK = ("server.*", "gluon.*", "pydal.*", "yatl.*", "cheroot.*", "threading", "bdb",
             "importlib*", "socketserver", "wsgiref.*", "contextlib", "functools")
MAX_CHILDREN = 50
CHILD_DEPTH = 2
_repr = reprlib.Repr()
_repr.maxstring, _repr.maxother, _repr.maxlist, _repr.maxdict = 200, 200, 20, 20


def canonical(path: str | Path) -> str:
    """One spelling per file: what the editor names and what the code was compiled from."""
    text = str(path)
    if text.startswith("<") and text.endswith(">"):
        return text
    return os.path.normcase(os.path.realpath(text))


@dataclass(frozen=True)
class Variable:
    """A name in a paused frame: its type, a short repr, and its parts (items, attributes)."""

    name: str
    type: str
    value: str
    children: tuple[Variable, ...] = ()


@dataclass(frozen=True)
class StackFrame:
    file: str
    line: int
    function: str
    variables: tuple[Variable, ...]


@dataclass
class Pause:
    """A request stopped at ``file``:``line``; ``frames`` innermost last."""

    thread: str
    frames: list[StackFrame]
    _commands: queue.SimpleQueue = field(default_factory=queue.SimpleQueue, repr=False)
    _frame_objects: list[FrameType] = field(default_factory=list, repr=False)

    @property
    def file(self) -> str:
        return self.frames[-1].file

    @property
    def line(self) -> int:
        return self.frames[-1].line

    def resume(self, command: str) -> None:
        """``continue``, ``step`` (into), ``next`` (over), ``return`` (out) or ``stop``."""
        if command not in COMMANDS:
            raise ValueError(f"unknown debugger command {command!r}")
        self._commands.put((command, None))

    def evaluate(self, expression: str, frame: int = -1, timeout: float = 30.0) -> str:
        """``repr`` of ``expression`` in a paused frame (default: the innermost), computed in
        the paused thread; an error is returned as its one-line message. Waits for the answer
        (call it off the GUI thread)."""
        answer: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._commands.put(("evaluate", (expression, frame, answer)))
        return answer.get(timeout=timeout)

    def _wait(self) -> str:
        """In the paused thread: answer evaluations until a command resumes it."""
        while True:
            command, detail = self._commands.get()
            if command != "evaluate":
                return command
            expression, index, answer = detail
            answer.put(_evaluate(expression, self._frame_objects[index]))


def _evaluate(expression: str, frame: FrameType) -> str:
    try:
        try:
            code = compile(expression, "<debugger>", "eval")
        except SyntaxError:  # a statement: run it (an assignment changes the frame's locals)
            exec(compile(expression, "<debugger>", "exec"), frame.f_globals, frame.f_locals)  # noqa: S102
            return ""
        return repr(eval(code, frame.f_globals, frame.f_locals))  # noqa: S307 - the user's own
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


def describe(name: str, value: Any, depth: int = CHILD_DEPTH) -> Variable:
    """A :class:`Variable` for ``value``, with its parts down to ``depth`` levels."""
    try:
        text = _repr.repr(value)
    except Exception as exc:  # a broken __repr__ must not break the debugger
        text = f"<repr failed: {type(exc).__name__}>"
    children = tuple(describe(key, part, depth - 1) for key, part in _parts(value)) \
        if depth > 0 else ()
    return Variable(name, type(value).__name__, text, children)


def _parts(value: Any) -> list[tuple[str, Any]]:
    try:
        if isinstance(value, (str, bytes, int, float, complex, bool, type(None))):
            return []
        if isinstance(value, (list, tuple)):
            return [(f"[{index}]", item) for index, item in enumerate(value[:MAX_CHILDREN])]
        if isinstance(value, (set, frozenset)):
            return [(f"[{index}]", item) for index, item in enumerate(list(value)[:MAX_CHILDREN])]
        items = getattr(value, "items", None)
        if callable(items) and not isinstance(value, type):
            return [(repr(key), item) for key, item in list(items())[:MAX_CHILDREN]]
        attributes = getattr(value, "__dict__", None)
        if isinstance(attributes, dict) and not callable(value):
            return [(key, item) for key, item in list(attributes.items())[:MAX_CHILDREN]
                    if not key.startswith("__")]
    except Exception:  # an object whose parts cannot be listed has none here
        pass
    return []


def frame_variables(frame: FrameType) -> tuple[Variable, ...]:
    """The frame's locals; at a module's top level (models, views, a controller's body)
    its data only, not the framework's helpers, classes and functions it sees."""
    names = frame.f_locals
    top_level = names is frame.f_globals
    return tuple(describe(name, value) for name, value in list(names.items())
                 if not (name.startswith("__") or inspect.ismodule(value) or top_level
                         and (inspect.isroutine(value) or isinstance(value, type))))


class _RequestTracer(bdb.Bdb):
    """One request's bdb: breakpoints are the debugger's, stepping state its own."""

    def __init__(self, debugger: Debugger):
        super().__init__(skip=FRAMEWORK)
        self.debugger = debugger
        self.breaks = debugger._breaks  # shared, read here; the debugger replaces entries

    def canonic(self, filename: str) -> str:
        found = self.fncache.get(filename)
        if found is None:
            found = self.fncache[filename] = canonical(filename)
        return found

    def start(self) -> None:
        """Trace this thread from the caller's frame on, stopping only at breakpoints."""
        self.reset()
        self.botframe = sys._getframe().f_back
        self._set_stopinfo(self.botframe, None, -1)
        sys.settrace(self.trace_dispatch)

    def stop_tracing(self) -> None:
        sys.settrace(None)

    def user_call(self, frame: FrameType, argument_list) -> None:
        if self.break_here(frame):  # a breakpoint on the def line of a function called
            self._pause(frame)

    def user_line(self, frame: FrameType) -> None:
        self._pause(frame)

    def _pause(self, frame: FrameType) -> None:
        stack = [entry for entry, _line in self.get_stack(frame, None)[0]
                 if entry is not self.botframe and not self.is_skipped_module(
                     entry.f_globals.get("__name__"))]
        stack = stack or [frame]
        pause = Pause(threading.current_thread().name, [
            StackFrame(self.canonic(entry.f_code.co_filename), entry.f_lineno,
                       entry.f_code.co_name, frame_variables(entry)) for entry in stack])
        pause._frame_objects = stack
        command = self.debugger._hold(pause)
        if command == "continue":
            self.set_continue()
        elif command == "step":
            self.set_step()
        elif command == "next":
            self.set_next(frame)
        elif command == "return":
            self.set_return(frame)
        else:
            self.set_quit()


class Debugger:
    """Breakpoints and paused requests of the apps one server serves.

    ``on_pause(pause)`` is called from the paused request's thread (the window turns it into
    a signal); ``on_resume(pause)`` once that request goes on.
    """

    def __init__(self, on_pause: Callable[[Pause], None],
                 on_resume: Callable[[Pause], None] | None = None):
        self.on_pause = on_pause
        self.on_resume = on_resume or (lambda pause: None)
        self._breaks: dict[str, list[int]] = {}
        self._lock = threading.Lock()
        self.paused: list[Pause] = []
        self.enabled = True

    # -- breakpoints ----------------------------------------------------------------------------

    def set_breakpoint(self, path: str | Path, line: int) -> None:
        file = canonical(path)
        with self._lock:
            lines = self._breaks.get(file, [])
            if line not in lines:
                bdb.Breakpoint(file, line)
                self._breaks[file] = sorted([*lines, line])

    def clear_breakpoint(self, path: str | Path, line: int) -> None:
        file = canonical(path)
        with self._lock:
            lines = [number for number in self._breaks.get(file, []) if number != line]
            for breakpoint in list(bdb.Breakpoint.bplist.get((file, line), [])):
                breakpoint.deleteMe()
            if lines:
                self._breaks[file] = lines
            else:
                self._breaks.pop(file, None)

    def breakpoints(self) -> list[tuple[str, int]]:
        with self._lock:
            return [(file, line) for file, lines in self._breaks.items() for line in lines]

    def clear_all(self) -> None:
        for file, line in self.breakpoints():
            self.clear_breakpoint(file, line)

    # -- requests -------------------------------------------------------------------------------

    def wrap(self, app: Callable) -> Callable:
        """``app`` with its requests run under this debugger while it has breakpoints."""

        def debugged(environ: dict, start_response: Callable) -> Iterable[bytes]:
            if not (self.enabled and self._breaks) or sys.gettrace() is not None:
                return app(environ, start_response)  # no breakpoints, or another tracer
            tracer = _RequestTracer(self)
            tracer.start()
            try:
                return app(environ, start_response)
            finally:
                tracer.stop_tracing()

        return debugged

    def continue_all(self) -> None:
        """Let every paused request go on (the server is stopping, the window closing)."""
        for pause in list(self.paused):
            pause.resume("continue")

    def _hold(self, pause: Pause) -> str:
        with self._lock:
            self.paused.append(pause)
        try:
            self.on_pause(pause)
        except Exception:  # the window's problem must not take the request down
            pass
        command = pause._wait()
        with self._lock:
            self.paused.remove(pause)
        self.on_resume(pause)
        return command
