"""web2py's ``Scheduler`` for Pocketweb apps, built on pydal's ``pydal.tools.scheduler``.

An app's model says ``scheduler = Scheduler(db)`` (``from gluon.scheduler import Scheduler``) and
its controllers call ``scheduler.queue_task(function, pargs=[...], pvars={...})``; a worker started
by :func:`run_workers` (``-K app`` / ``-X``) runs the queued tasks.

What pydal provides and is used as is: the ``task_run`` table in the app's own database (status,
inputs, output, log, period...), claiming the next due run (``next_run``), executing a run and
recording its outcome and rescheduling periodic runs (``safe_exec_child``), ``enqueue_run``.

What this layer adds:

* web2py's names: ``Scheduler(db, tasks=None, heartbeat=3, ...)``, ``queue_task``,
  ``task_status`` (status in web2py's capitals, ``result`` with ``output=True``), ``stop_task``.
* ``tasks=None`` means, as in web2py, that every function the models define is a task.
* runs go to threads of the worker, not to forked processes: pydal forks, which Windows lacks and
  which is unsafe in a multi-threaded server holding open SQLite connections. The price: a task
  cannot be killed, so ``timeout`` is recorded but not enforced, and what a task prints goes to
  the console rather than into the run's ``log`` (which keeps the traceback of a failure).

pydal's times are UTC (``start_time`` too) and its statuses lowercase in the table.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from types import FunctionType
from typing import Any

from pydal.tools import scheduler as pydal_scheduler

from server.background import scheduler_tables
from server.background.scheduler_tables import TASK_KEY
from server.context import Context
from server.current import current
from server.storage import Storage

log = logging.getLogger("pocketweb.scheduler")

POSITIONAL_KEY = "__pargs__"  # where queue_task keeps pargs inside pydal's keyword-only inputs
ACTIVE = ("queued", "assigned", "running")
# web2py options that have no pydal counterpart; accepted so web2py models run unchanged.
IGNORED_OPTIONS = frozenset({"migrate", "group_names", "max_empty_runs", "discard_results",
                             "utc_time"})
IGNORED_QUEUE_OPTIONS = frozenset({"stop_time", "repeats", "retry_failed", "prevent_drift",
                                   "immediate", "uuid", "sync_output", "group_name"})


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
    """web2py's ``Scheduler(db, tasks=None, ...)``; ``heartbeat`` is the idle poll in seconds."""

    def __init__(self, db, tasks: dict | None = None, worker_name: str | None = None,
                 heartbeat: float = 3, max_concurrent_runs: int = 2, folder: str | None = None,
                 logger: logging.Logger | None = None, **web2py_options: Any):
        unknown = set(web2py_options) - IGNORED_OPTIONS
        if unknown:
            raise TypeError(f"Scheduler() got unexpected options: {', '.join(sorted(unknown))}")
        with _sigchld_kept():
            # pydal's default folder is /tmp/scheduler and its default logger gains a handler
            # per construction (every request runs the models): pass both.
            super().__init__(db, max_concurrent_runs=max_concurrent_runs,
                             folder=folder or getattr(db, "_folder", None) or tempfile.gettempdir(),
                             sleep_time=heartbeat, logger=logger or log)
        if worker_name:
            self.worker = worker_name
        scheduler_tables.define_tables(db, migrate=web2py_options.get("migrate", True))
        model_globals = getattr(current, "globalenv", None) if tasks is None else None
        self.tasks = TaskTable(dict(tasks or {}), model_globals)
        self._threads: list[threading.Thread] = []

    # ----- web2py's API -----------------------------------------------------------------------
    def register_task(self, task_name, function):
        self.tasks.registered[task_name] = function

    def queue_task(self, function, pargs=None, pvars=None, start_time=None, timeout=60,
                   period=None, task_name=None, priority=0, **web2py_options):
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
            start_time, timeout, period, web2py_options.get("repeats", 1))
        inputs = dict(pvars or {}, **{TASK_KEY: task_id})
        if pargs:
            inputs[POSITIONAL_KEY] = list(pargs)
        self.enqueue_run(name, description=task_name or name, inputs=inputs, timeout=timeout,
                         priority=priority, period=period, scheduled_for=start_time)
        return Storage(id=task_id, uuid=self.db.scheduler_task(task_id).uuid, errors={})

    def task_status(self, ref, output=False):
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

    def stop_task(self, ref) -> int:
        """Cancel the runs of ``ref`` (a task id or task name) not yet taken by a worker; how
        many. A run already executing cannot be stopped (it runs in a thread)."""
        tasks = self.db.scheduler_task
        task_ids = [ref] if isinstance(ref, int) else [
            row.id for row in self.db(tasks.task_name == ref).select(tasks.id)]
        table = self.db.task_run
        waiting = self.db((table.worker == None) & (table.status == "queued")).select()  # noqa: E711
        stopped = [run.id for run in waiting if (run.inputs or {}).get(TASK_KEY) in task_ids]
        count = self.db(table.id.belongs(stopped)).update(
            status="stopped", worker="", completed_on=pydal_scheduler.now()) if stopped else 0
        scheduler_tables.record_stopped(self.db, task_ids if count else [])
        self.db.commit()
        return count

    def retrieve_log(self, run):
        """No output file: runs are threads. pydal's version would read and *delete*
        ``<folder>/<id>.txt``, whatever unrelated file has that name."""
        return ""

    # ----- the worker -------------------------------------------------------------------------
    def work(self, stop_event: threading.Event) -> None:
        """Take and run due runs until ``stop_event`` is set; a failing step is logged and
        retried after a heartbeat, never ending the worker."""
        self.mark_interrupted_runs()
        while not stop_event.is_set():
            try:
                scheduler_tables.heartbeat(self.db, self.worker)
                started = self.start_next_run()
            except Exception:
                log.exception("scheduler worker step failed")
                self.db.rollback()
                started = False
            if not started:
                stop_event.wait(self.sleep_time)

    def mark_interrupted_runs(self) -> int:
        """Runs this worker left "running" in a process that has ended become "dead", so their
        status does not say RUNNING forever after Pocketweb was closed mid-task."""
        table = self.db.task_run
        mine = self.db((table.worker == self.worker) & (table.status == "running")
                       & (table.pid != os.getpid()))
        ended = [run for run in mine.select() if not _process_alive(run.pid)]
        for run in ended:
            run.update_record(status="dead", completed_on=pydal_scheduler.now(),
                              log=(run.log or "") + "\nthe worker's process ended during the run")
        self.db.commit()
        return len(ended)

    def start_next_run(self) -> bool:
        """Claim the next due run and start it in a thread; False when there is nothing to do."""
        self._threads = [thread for thread in self._threads if thread.is_alive()]
        if len(self._threads) >= self.max_concurrent_runs:
            return False
        run = self.next_run()
        if run is None:
            return False
        if run.name not in self.tasks:
            run.update_record(status="unknown")
            self.db.commit()
            log.error("run #%s: no task named %r", run.id, run.name)
            return True
        thread = threading.Thread(target=self._execute, args=(run, dict(vars(current))),
                                  name=f"task {run.name} #{run.id}", daemon=True)
        self._threads.append(thread)
        thread.start()
        return True

    def _execute(self, run, current_values: dict) -> None:
        """Run in the task's thread, with the worker's ``current`` (request, T...), in a
        context of its own that ends the thread's databases and ``current`` when the run ends."""
        task_id = (run.inputs or {}).get(TASK_KEY)
        with Context() as context:
            context.bind(**current_values)
            self._recording(scheduler_tables.record_started, task_id, self.worker)
            self.safe_exec_child(run)
            self._recording(lambda db, *args: scheduler_tables.record_ended(
                db, task_id, db.task_run(run.id), self.worker))

    def _recording(self, record, *args) -> None:
        """Write web2py's rows on this thread's connection; a failure is logged, never raised
        (the run itself is already recorded in ``task_run``)."""
        try:
            self.db.get_connection_from_pool_or_new()
            record(self.db, *args)
            self.db.commit()
        except Exception:
            log.exception("scheduler: could not record a run in web2py's tables")
            self.db.rollback()

    def wait_runs(self, timeout: float) -> bool:
        """Wait for started runs to end; False if some are still going after ``timeout``."""
        for thread in list(self._threads):
            thread.join(timeout)
        return not any(thread.is_alive() for thread in self._threads)


def _process_alive(pid: int | None) -> bool:
    """Whether process ``pid`` still runs (POSIX); on Windows, where a signal-0 probe would
    terminate it, an unknown pid counts as alive and its run is left alone."""
    if not pid:
        return False
    if os.name != "posix":
        return True
    return pydal_scheduler.pid_exists(pid)


class _sigchld_kept:
    """pydal ignores SIGCHLD when built in the main thread (it reaps its forks that way); that
    would break the exit codes of every other subprocess of Pocketweb, and these runs never fork."""

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


def run_workers(root: Path, app_names, stop_event: threading.Event,
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


def serve_workers(root: Path, app_names, stop_event: threading.Event | None = None,
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
            log.info("scheduler for %s: worker %s started", app_name, scheduler.worker)
            scheduler.work(stop_event)
            log.info("scheduler for %s: worker stopped", app_name)
    except Exception:
        log.exception("scheduler for %s: its models failed", app_name)


def parse_app_names(text: str) -> list[str]:
    """``-K app1,app2`` as a list of names (blank entries dropped)."""
    return [name.strip() for name in text.split(",") if name.strip()]
