"""Running one scheduler task in a child process of the worker, as web2py does.

A child can be stopped, so a task's ``timeout`` is enforced: the worker waits for the child's
answer at most that long and then kills it. The child rebuilds the app's environment (runs its
models, as web2py's executor does) and looks the task up by name there, so nothing but names and
JSON inputs crosses the process boundary.

Children come from a fork server where the platform has one (a clean single-threaded process
forks them: cheap, and safe even when the worker lives beside a threaded web server) and are
spawned elsewhere (Windows). A child whose worker dies — even by SIGKILL — sees its end of a pipe
close and exits at once, so a task is never left running for a worker that is gone; the worker's
other processes then queue it again (see ``scheduler_tables.requeue_dead_workers``).
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import sys
import threading
import traceback
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

COMPLETED, FAILED, TIMEOUT, DEAD = "completed", "failed", "timeout", "dead"  # pydal's statuses
STOPPED = "stopped"  # stop_task ended it (web2py's STOPPED run); pydal has no such status
PARENT_GONE_EXIT_CODE = 70
_START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
_CONTEXT: Any = multiprocessing.get_context(_START_METHOD)
if _START_METHOD == "forkserver":
    # modules every child needs, imported once in the fork server rather than per task
    _CONTEXT.set_forkserver_preload(["server.background.task_process", "server.execution"])


@dataclass(frozen=True)
class Outcome:
    """How one run ended: pydal's status, the JSON-able return value, what the task printed and,
    when it failed, the traceback."""

    status: str
    output: Any = None
    printed: str = ""
    traceback: str | None = None

    @property
    def log(self) -> str:
        """The run's log for pydal's ``task_run.log``: the printed text, then the traceback."""
        return "\n".join(part for part in (self.printed.rstrip("\n"), self.traceback) if part)


def call_task(open_context: Callable[[], AbstractContextManager], find_task: Callable[[Any], Any],
              inputs: dict) -> Outcome:
    """Run ``find_task(environment)(**inputs)`` inside ``with open_context() as environment``,
    which commits the task's databases when it succeeds and rolls them back when it raises; the
    outcome, never an exception. A return value that is not JSON fails the run, as the result
    column holds JSON."""
    try:
        with open_context() as environment:
            output = find_task(environment)(**inputs)
            json.dumps(output)
    except Exception:
        return Outcome(FAILED, traceback=traceback.format_exc())
    return Outcome(COMPLETED, output)


class TaskProcess:
    """The worker's handle on one child running task ``name`` of ``app_name`` under ``root``."""

    def __init__(self, root: Path, app_name: str, name: str, inputs: dict):
        self._answers, answer_end = _CONTEXT.Pipe(duplex=False)
        alive_end, self._alive = _CONTEXT.Pipe(duplex=False)
        self.process = _CONTEXT.Process(
            target=child_main, args=(str(root), app_name, name, inputs, answer_end, alive_end),
            name=f"task {name}", daemon=False)
        self._stopped = False
        self.process.start()
        # only the child may hold its ends, or their closing would not be seen
        answer_end.close()
        alive_end.close()

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def outcome(self, timeout: float | None) -> Outcome:
        """Wait for the child's answer, at most ``timeout`` seconds (None: no limit). A child
        still going then is killed (TIMEOUT); one that ended without answering is DEAD, or
        STOPPED when :meth:`stop` ended it."""
        ready = wait([self._answers, self.process.sentinel], timeout)
        try:
            if self._answers in ready:
                try:
                    return self._answers.recv()
                except (EOFError, OSError):
                    pass  # it ended before answering
            if not ready:
                self.kill()
                return Outcome(TIMEOUT, traceback=f"stopped after its timeout of {timeout} s")
            if self._stopped:
                return Outcome(STOPPED, traceback="stopped by stop_task")
            return Outcome(DEAD, traceback=f"the task's process ended with exit code "
                                             f"{self.process.exitcode} before it answered")
        finally:
            self._close()

    def stop(self) -> None:
        """End the child as ``stop_task`` asked: like :meth:`kill`, but the run is STOPPED."""
        self._stopped = True
        self.kill()

    def kill(self) -> None:
        """End the child now (it runs user code that may ignore anything gentler); the thread
        waiting in :meth:`outcome` sees it end. A child already collected is left alone (the
        worker's other threads may ask just after its answer came)."""
        try:
            if self.process.exitcode is None:
                self.process.kill()
        except ValueError:  # the process object is closed: the child has ended
            pass

    def _close(self) -> None:
        self._alive.close()  # a child that lingers after answering (a thread of its task) exits
        self.process.join()
        self._answers.close()
        self.process.close()


def child_main(root: str, app_name: str, name: str, inputs: dict, answers: Connection,
               parent_alive: Connection) -> None:
    """The child: end with the worker, capture what the task prints, run the app's models and
    the task in a context of their own (committed when it succeeds), answer with its Outcome."""
    threading.Thread(target=_exit_when_closed, args=(parent_alive,), daemon=True).start()
    printed = io.StringIO()
    sys.stdout = printed
    outcome = _run_in_app(Path(root), app_name, name, inputs)
    answers.send(Outcome(outcome.status, outcome.output, printed.getvalue(), outcome.traceback))
    answers.close()


def _run_in_app(root: Path, app_name: str, name: str, inputs: dict) -> Outcome:
    from server.execution import model_environment

    return call_task(lambda: model_environment(root, app_name),
                     lambda model_globals: _app_task(model_globals, app_name, name), inputs)


def _app_task(model_globals: dict, app_name: str, name: str) -> Any:
    from server.background.scheduler import app_scheduler

    scheduler = app_scheduler(model_globals)
    if scheduler is None:
        raise LookupError(f"the models of {app_name} no longer define a Scheduler")
    return scheduler.tasks[name]


def _exit_when_closed(parent_alive: Connection) -> None:
    """Block until the worker's end of the pipe closes (it never writes), then exit at once."""
    try:
        parent_alive.recv()
    except (EOFError, OSError):
        pass
    os._exit(PARENT_GONE_EXIT_CODE)
