"""web2py's ``Scheduler`` for Pocketweb apps, built on pydal's ``pydal.tools.scheduler``.

An app's model says ``scheduler = Scheduler(db)`` (``from gluon.scheduler import Scheduler``) and
its controllers call ``scheduler.queue_task(function, pargs=[...], pvars={...})``; a worker started
by :func:`run_workers` (``-K app`` / ``-X``) runs the queued tasks.

What pydal provides and is used as is: the ``task_run`` table in the app's own database (status,
inputs, output, log, period...), claiming the next due run (``next_run``: an update guarded by
"no worker yet", so of several workers on one database exactly one gets a run), ``enqueue_run``.

What this layer adds:

* web2py's names: ``Scheduler(db, tasks=None, heartbeat=3, ...)``, ``queue_task`` (with
  ``repeats`` and ``retry_failed``), ``task_status`` (status in web2py's capitals, ``result``
  with ``output=True``), ``stop_task``, and worker names ``hostname#pid``, unique per process.
* ``tasks=None`` means, as in web2py, that every function the models define is a task.
* an app's worker (``-K app``) runs each task in a child process (``task_process``) that runs the
  app's models afresh, as web2py's does: ``timeout`` is enforced by killing the child, what the
  task prints goes to the run's output. pydal's own runner forks the worker itself, which
  Windows lacks and which is unsafe in a threaded server holding open connections. A Scheduler
  made outside an app (no models to rebuild its tasks from) runs them in threads of the worker:
  there ``timeout`` is recorded but cannot be enforced.
* web2py's rules between workers: every worker beats (``scheduler_worker``) and queues again the
  runs of workers silent for three heartbeats (killed, or their machine gone); failed runs are
  retried ``retry_failed`` times.
* the end of a run — pydal's ``task_run`` row, web2py's ``scheduler_run`` and ``scheduler_task``
  rows and the task's next run — is written in one transaction by the worker, so no reader ever
  sees the run ended and its task still RUNNING, and a worker dying in between loses nothing
  (the run is still "running" and is queued again).

pydal's times are UTC (``start_time`` too) and its statuses lowercase in the table.
"""

from __future__ import annotations

import datetime
import json
import logging
import os
import signal
import socket
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FunctionType
from typing import TYPE_CHECKING, Any

from pydal.tools import scheduler as pydal_scheduler

from server.background import scheduler_tables
from server.background.scheduler_tables import TASK_KEY
from server.background.task_process import DEAD, Outcome, TaskProcess, call_task
from server.context import Context
from server.current import current
from server.storage import Storage
from server.transactions import quiet_rollback

if TYPE_CHECKING:
    from pydal import DAL
    from pydal.objects import Query, Row

log = logging.getLogger("pocketweb.scheduler")

POSITIONAL_KEY = "__pargs__"  # where queue_task keeps pargs inside pydal's keyword-only inputs
STARTED, BUSY, IDLE = "started", "busy", "idle"  # what one step of a worker found
# web2py options that have no pydal counterpart; accepted so web2py models run unchanged.
IGNORED_OPTIONS = frozenset({"migrate", "group_names", "max_empty_runs", "discard_results",
                             "utc_time"})
IGNORED_QUEUE_OPTIONS = frozenset({"stop_time", "prevent_drift", "immediate", "uuid",
                                   "sync_output", "group_name"})


class TaskTable(Mapping):
    """Task functions by name: the registered ones, plus the models' functions when the app
    passed no ``tasks`` dict. Looked up live, so functions defined after the Scheduler count."""

    def __init__(self, registered: dict, model_globals: dict | None):
        self.registered = registered
        self._globals = model_globals

    def _functions(self) -> dict:
        functions = {}
        if self._globals is not None:
            functions = {name: value for name, value in list(self._globals.items())
                         if isinstance(value, FunctionType) and not name.startswith("_")
                         and value.__globals__ is self._globals}
        functions.update(self.registered)
        return functions

    def __getitem__(self, name):
        return _spreading_positional(self._functions()[name])

    def __iter__(self):
        return iter(self._functions())

    def __len__(self):
        return len(self._functions())


def _spreading_positional(function):
    def call(**inputs):
        inputs.pop(TASK_KEY, None)
        positional = inputs.pop(POSITIONAL_KEY, ())
        return function(*positional, **inputs)

    return call


class Scheduler(pydal_scheduler.Scheduler):
    """web2py's ``Scheduler(db, tasks=None, ...)``; ``heartbeat`` is the idle poll in seconds.

    ``clock`` stamps what the worker records (beats, starts, ends, next runs) and judges other
    workers' silence; the real UTC clock unless a test brings its own. Claiming a due run is
    pydal's and reads the real clock."""

    def __init__(self, db: DAL, tasks: dict | None = None, worker_name: str | None = None,
                 heartbeat: float = 3, max_concurrent_runs: int = 2, folder: str | None = None,
                 logger: logging.Logger | None = None,
                 clock: scheduler_tables.Clock = scheduler_tables.utc_now,
                 **web2py_options: Any) -> None:
        unknown = set(web2py_options) - IGNORED_OPTIONS
        if unknown:
            raise TypeError(f"Scheduler() got unexpected options: {', '.join(sorted(unknown))}")
        with _sigchld_kept():
            # pydal's default folder is /tmp/scheduler and its default logger gains a handler
            # per construction (every request runs the models): pass both.
            super().__init__(db, max_concurrent_runs=max_concurrent_runs,
                             folder=folder or getattr(db, "_folder", None) or tempfile.gettempdir(),
                             sleep_time=heartbeat, logger=logger or log)
        self.worker = worker_name or f"{socket.gethostname()}#{os.getpid()}"
        self.clock = clock
        scheduler_tables.define_tables(db, migrate=web2py_options.get("migrate", True))
        model_globals = getattr(current, "globalenv", None) if tasks is None else None
        self.tasks = TaskTable(dict(tasks or {}), model_globals)
        #: (root, app name) once an app's worker runs this Scheduler: tasks go to child processes
        self.app_location: tuple[Path, str] | None = None
        self._threads: dict[int, threading.Thread] = {}  # by run id
        self._children: dict[int, TaskProcess] = {}
        self._stopping = threading.Event()
        self._run_ended = threading.Event()

    # ----- web2py's API -----------------------------------------------------------------------
    def register_task(self, task_name: str, function: Callable[..., Any]) -> None:
        self.tasks.registered[task_name] = function

    def queue_task(self, function: str | Callable[..., Any], pargs: list | tuple | None = None,
                   pvars: dict | None = None, start_time: datetime.datetime | None = None,
                   timeout: float = 60, period: float | None = None,
                   task_name: str | None = None, priority: int = 0, repeats: int = 1,
                   retry_failed: int = 0, **web2py_options: Any) -> Storage:
        """Queue a run of ``function`` (the function or its name); a Row-like with ``id`` and
        ``errors`` (empty, or why nothing was queued). Commits, as pydal's ``enqueue_run`` does."""
        unknown = set(web2py_options) - IGNORED_QUEUE_OPTIONS
        if unknown:
            raise TypeError(f"queue_task() got unexpected options: {', '.join(sorted(unknown))}")
        name = function if isinstance(function, str) else function.__name__
        if name not in self.tasks:
            return Storage(id=None, uuid=None, errors={"function_name": f"no task named {name!r}"})
        request = getattr(current, "request", None)
        task_id = scheduler_tables.record_queued(
            self.db, getattr(request, "application", None) or "", name, task_name, pargs, pvars,
            start_time, timeout, period, repeats, retry_failed, self.clock)
        inputs = dict(pvars or {}, **{TASK_KEY: task_id})
        if pargs:
            inputs[POSITIONAL_KEY] = list(pargs)
        self.enqueue_run(name, description=task_name or name, inputs=inputs, timeout=timeout,
                         priority=priority, period=period, scheduled_for=start_time)
        return Storage(id=task_id, uuid=self.db.scheduler_task(task_id).uuid, errors={})

    def task_status(self, ref: int | str | Query, output: bool = False) -> Row | None:
        """The ``scheduler_task`` row matching ``ref`` (its id, a task name, or a Query on
        ``db.scheduler_task``), newest first; None when there is none.

        With ``output=True`` it also carries ``scheduler_run`` (the latest run) and ``result``
        (that run's return value), as in web2py.
        """
        table = self.db.scheduler_task
        if isinstance(ref, int):
            query = table.id == ref
        elif isinstance(ref, str):
            query = table.task_name == ref
        else:
            query = ref
        row = self.db(query).select(orderby=~table.id, limitby=(0, 1)).first()
        if row is not None and output:
            runs = self.db.scheduler_run
            run = self.db(runs.task_id == row.id).select(orderby=~runs.id, limitby=(0, 1)).first()
            row.scheduler_task, row.scheduler_run = Storage(row.as_dict()), run
            row.result = json.loads(run.run_result) if run and run.run_result else None
        return row

    def stop_task(self, ref: int | str) -> int:
        """Stop task ``ref`` (its id, uuid or task name) as web2py does; how many runs it stops.

        Runs no worker has taken are cancelled and the task becomes STOPPED. A run executing in
        a worker's child process is marked "stopping": its worker kills the child at its next
        heartbeat and records the run STOPPED, the task FAILED (queued again while
        ``retry_failed`` allows), as web2py's ``STOP_TASK`` does. A run in a thread of the
        worker (a Scheduler made outside an app) cannot be killed and ends by itself.
        """
        task_ids = scheduler_tables.task_ids_of(self.db, ref)
        count = (scheduler_tables.cancel_queued_runs(self.db, task_ids, self.clock)
                 + scheduler_tables.ask_to_stop_runs(self.db, task_ids))
        self.db.commit()
        return count

    def retrieve_log(self, run: Row) -> str:
        """No output file: what a task prints comes back from its child process. pydal's version
        would read and *delete* ``<folder>/<id>.txt``, whatever unrelated file has that name."""
        return ""

    # ----- the worker -------------------------------------------------------------------------
    def work(self, stop_event: threading.Event) -> None:
        """Take and run due runs until ``stop_event`` is set; a failing step is logged and
        retried after a heartbeat, never ending the worker. With every run slot taken it waits
        for a run to end (or a heartbeat); on the way out the children still running are killed
        and their runs queued again for another worker."""
        self._stopping.clear()
        self._safely(lambda: scheduler_tables.requeue_runs(  # left by an earlier life of mine
            self.db, self.db.task_run.worker == self.worker))
        while not stop_event.is_set():
            step = self._safely(self._step)
            if step == BUSY:
                self._run_ended.wait(self.sleep_time)
                self._run_ended.clear()
            elif step != STARTED:
                stop_event.wait(self.sleep_time)
        self._stop_children()

    def _step(self) -> str:
        scheduler_tables.heartbeat(self.db, self.worker, self.clock)
        self._stop_asked_children()
        dead = scheduler_tables.requeue_dead_workers(self.db, self.sleep_time, self.worker,
                                                     self.clock)
        self.db.commit()
        if dead:
            log.warning("scheduler: workers %s stopped beating; their runs are queued again",
                        ", ".join(dead))
        if len(self._threads) >= self.max_concurrent_runs:
            return BUSY
        return STARTED if self.start_next_run() else IDLE

    def _stop_asked_children(self) -> None:
        """Kill the children of the runs ``stop_task`` marked (their threads record them)."""
        children = dict(self._children)
        if children:
            for run_id in scheduler_tables.runs_to_stop(self.db, self.worker):
                if run_id in children:
                    children[run_id].stop()

    def _safely(self, step) -> Any:
        try:
            result = step()
            self.db.commit()
            return result
        except Exception:
            log.exception("scheduler worker step failed")
            quiet_rollback(self.db)
            return None

    def start_next_run(self) -> bool:
        """Claim the next due run and start it in a thread; False when there is nothing to do
        (True also when another worker claimed the run first and more are due)."""
        run = self.next_run()
        if run is None:
            return self._runs_due()
        if run.name not in self.tasks:
            run.update_record(status="unknown")
            self.db.commit()
            log.error("run #%s: no task named %r", run.id, run.name)
            return True
        thread = threading.Thread(target=self._execute, args=(run, dict(vars(current))),
                                  name=f"task {run.name} #{run.id}", daemon=True)
        self._threads[run.id] = thread
        thread.start()
        return True

    def _runs_due(self) -> bool:
        table = self.db.task_run
        return not self.db((table.worker == None)  # noqa: E711 - pydal's IS NULL
                           & (table.scheduled_for <= self.clock())).isempty()

    def _execute(self, run, current_values: dict) -> None:
        """The run's supervising thread: start it (a child process, or here), wait for its
        outcome and record it; in a context of its own that ends its connections."""
        try:
            self._supervise(run, current_values)
        finally:
            self._threads.pop(run.id, None)  # its slot is free: wake the worker
            self._run_ended.set()

    def _supervise(self, run, current_values: dict) -> None:
        with Context() as context:
            context.bind(**current_values)
            location = self.app_location
            if location is None:
                self._record(self._record_start, run, os.getpid())
                outcome = call_task(lambda: _bound_context(current_values),
                                    lambda _: self.tasks[run.name], dict(run.inputs or {}))
            else:
                outcome = self._run_in_child(run, *location)
            if outcome.status == DEAD and self._stopping.is_set():
                return  # killed by stop: _stop_children queues it again
            self._record(self._record_end, run, outcome)

    def _run_in_child(self, run, root: Path, app_name: str) -> Outcome:
        child = TaskProcess(root, app_name, run.name, dict(run.inputs or {}))
        self._children[run.id] = child
        if self._stopping.is_set():  # stop came while the child was being made
            child.kill()
        self._record(self._record_start, run, child.pid)
        try:
            return child.outcome(run.timeout or None)
        finally:
            self._children.pop(run.id, None)

    def _record(self, write, *args) -> None:
        """Write and commit on this thread's connection; a failure is logged, never raised (a
        run left "running" by it is queued again when this worker's heartbeat stops)."""
        try:
            self.db.get_connection_from_pool_or_new()
            write(*args)
            self.db.commit()
        except Exception:
            log.exception("scheduler: could not record run #%s", args[0].id)
            quiet_rollback(self.db)

    def _record_start(self, run, pid: int | None) -> None:
        runs = self.db.task_run
        run.started_on, run.pid = self.clock(), pid
        self.db(runs.id == run.id).update(started_on=run.started_on, pid=pid)
        # a run stop_task marked meanwhile stays "stopping", for the next heartbeat to kill
        self.db((runs.id == run.id) & (runs.status == "assigned")).update(status="running")
        scheduler_tables.record_started(self.db, (run.inputs or {}).get(TASK_KEY), self.worker)

    def _record_end(self, run, outcome: Outcome) -> None:
        """The run's end, web2py's rows and the task's next run: one transaction (pydal's
        ``enqueue_run``, when there is a next run, commits it)."""
        run.update_record(status=outcome.status, output=outcome.output, log=outcome.log,
                          completed_on=self.clock())
        next_time = scheduler_tables.record_ended(
            self.db, (run.inputs or {}).get(TASK_KEY), run, outcome.printed, outcome.traceback,
            self.worker, self.clock)
        if next_time is not None:
            self.enqueue_run(run.name, run.description, run.inputs, run.timeout, run.priority,
                             run.period, next_time)

    def _stop_children(self) -> None:
        """Kill the children still running (their threads then end) and queue their runs
        again (those asked to stop end stopped); runs in threads of this process cannot be
        stopped and are left to end."""
        self._stopping.set()
        killed = dict(self._children)
        supervisors = [thread for thread in map(self._threads.get, killed) if thread]
        for child in killed.values():
            child.kill()
        for thread in supervisors:
            thread.join(10)
        if killed:
            query = self.db.task_run.id.belongs(list(killed))
            self._safely(lambda: scheduler_tables.requeue_runs(self.db, query))
            self._safely(lambda: scheduler_tables.end_stopping_runs(self.db, query, self.clock))

    def wait_runs(self, timeout: float) -> bool:
        """Wait for started runs to end; False if some are still going after ``timeout``."""
        for thread in list(self._threads.values()):
            thread.join(timeout)
        return not any(thread.is_alive() for thread in self._threads.values())


@contextmanager
def _bound_context(current_values: dict) -> Iterator[Context]:
    """A task run in a thread: its own context, with the worker's ``current``."""
    with Context() as context:
        context.bind(**current_values)
        yield context


class _sigchld_kept:
    """pydal ignores SIGCHLD when built in the main thread (it reaps its forks that way); that
    would break the exit codes of every other subprocess of Pocketweb, task children included."""

    def __enter__(self):
        self._saved = None
        if hasattr(signal, "SIGCHLD") and threading.current_thread() is threading.main_thread():
            self._saved = signal.getsignal(signal.SIGCHLD)

    def __exit__(self, *exc_info):
        if self._saved is not None:
            signal.signal(signal.SIGCHLD, self._saved)


# --------------------------------------------------------------------------------------------
# workers for apps
# --------------------------------------------------------------------------------------------
def app_scheduler(model_globals: dict) -> Scheduler | None:
    """The Scheduler an app's top-level models made (``scheduler``, or any other name)."""
    found = model_globals.get("scheduler")
    if isinstance(found, Scheduler):
        return found
    return next((value for value in model_globals.values() if isinstance(value, Scheduler)),
                None)


def run_workers(root: Path, app_names: Iterable[str], stop_event: threading.Event,
                heartbeat: float | None = None) -> list[threading.Thread]:
    """Start a worker thread per app; each runs its app's queued tasks until ``stop_event``.

    Returns the threads (daemons). An app whose models fail or define no Scheduler is logged
    and skipped; the others carry on. ``heartbeat`` overrides the apps' idle poll interval.
    """
    threads = [threading.Thread(target=_app_worker, args=(Path(root), name, stop_event, heartbeat),
                                name=f"scheduler {name}", daemon=True) for name in app_names]
    for thread in threads:
        thread.start()
    return threads


def serve_workers(root: Path, app_names: Iterable[str], stop_event: threading.Event | None = None,
                  heartbeat: float | None = None) -> int:
    """``-K`` without the web server: run the workers in the foreground until Ctrl+C (or
    ``stop_event``). 0 when stopped so, 1 when every worker gave up on its own (see the log)."""
    stop_event = stop_event or threading.Event()
    threads = run_workers(root, app_names, stop_event, heartbeat)
    try:
        while not stop_event.is_set() and any(thread.is_alive() for thread in threads):
            stop_event.wait(0.2)
    except KeyboardInterrupt:
        pass
    requested = stop_event.is_set() or any(thread.is_alive() for thread in threads)
    stop_event.set()
    for thread in threads:
        thread.join(5)
    return 0 if requested else 1


def _app_worker(root: Path, app_name: str, stop_event: threading.Event,
                heartbeat: float | None) -> None:
    from server.execution import model_environment

    try:
        with model_environment(root, app_name) as model_globals:
            scheduler = app_scheduler(model_globals)
            if scheduler is None:
                log.error("scheduler for %s: its models define no Scheduler(db)", app_name)
                return
            if heartbeat is not None:
                scheduler.sleep_time = heartbeat
            scheduler.app_location = (root, app_name)
            log.info("scheduler for %s: worker %s started", app_name, scheduler.worker)
            scheduler.work(stop_event)
            log.info("scheduler for %s: worker stopped", app_name)
    except Exception:
        log.exception("scheduler for %s: its models failed", app_name)


def parse_app_names(text: str) -> list[str]:
    """``-K app1,app2`` as a list of names (blank entries dropped)."""
    return [name.strip() for name in text.split(",") if name.strip()]
