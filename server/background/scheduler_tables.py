"""web2py's scheduler tables, kept beside pydal's ``task_run`` so apps that query them work.

web2py apps read ``db.scheduler_task`` (one row per queued task: status, times run, next run),
``db.scheduler_run`` (one row per execution: output, result, traceback) and
``db.scheduler_worker`` (one row per worker and its heartbeat), with web2py's column names and
capitalised statuses. Pocketweb's worker executes pydal's ``task_run`` rows; this module writes
the web2py rows as a task is queued, starts, ends and as a worker beats, and applies web2py's
rules for what runs next: repeats, ``retry_failed``, and the runs of workers that stopped
beating. A run knows its task by :data:`TASK_KEY` in its inputs (removed before the function is
called).

Every time these rows hold is read from a ``clock`` (naive UTC, as pydal's scheduler keeps
times): the real one, :func:`utc_now`, unless a test passes its own to judge heartbeats, repeats
and retries at exact instants without waiting for them.
"""

from __future__ import annotations

import datetime
import json
import math
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from pydal import Field

if TYPE_CHECKING:
    from pydal import DAL
    from pydal.objects import Query, Row, Rows

TASK_KEY = "__scheduler_task__"
QUEUED, ASSIGNED, RUNNING, COMPLETED = "QUEUED", "ASSIGNED", "RUNNING", "COMPLETED"
FAILED, TIMEOUT, STOPPED, EXPIRED = "FAILED", "TIMEOUT", "STOPPED", "EXPIRED"
ACTIVE, DISABLED, TERMINATE, KILL = "ACTIVE", "DISABLED", "TERMINATE", "KILL"
TASK_STATUS = (QUEUED, ASSIGNED, RUNNING, COMPLETED, FAILED, TIMEOUT, STOPPED, EXPIRED)
STOPPING = "stopping"  # a task_run whose worker is asked to kill its child (web2py's STOP_TASK)
# pydal's run statuses as web2py names them
RUN_STATUS = {"completed": "COMPLETED", "failed": "FAILED", "timeout": "TIMEOUT",
              "dead": "FAILED", "unknown": "FAILED", "stopped": "STOPPED",
              "running": "RUNNING", "queued": "QUEUED", "assigned": "ASSIGNED",
              STOPPING: "RUNNING"}


Clock = Callable[[], datetime.datetime]


def utc_now() -> datetime.datetime:
    """The real clock: now in UTC, naive."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


def define_tables(db: DAL, migrate: bool | str = True) -> None:
    """``scheduler_task``, ``scheduler_run`` and ``scheduler_worker`` with web2py's columns."""
    if "scheduler_task" not in db.tables:
        db.define_table(
            "scheduler_task",
            Field("application_name"), Field("task_name"), Field("group_name", default="main"),
            Field("status", default="QUEUED"), Field("broadcast", "boolean", default=False),
            Field("function_name"), Field("uuid", length=255, unique=True),
            Field("args", "text", default="[]"), Field("vars", "text", default="{}"),
            Field("enabled", "boolean", default=True), Field("start_time", "datetime"),
            Field("next_run_time", "datetime"), Field("stop_time", "datetime"),
            Field("repeats", "integer", default=1), Field("retry_failed", "integer", default=0),
            Field("period", "integer", default=60), Field("prevent_drift", "boolean", default=False),
            Field("cronline"), Field("timeout", "integer", default=60),
            Field("sync_output", "integer", default=0), Field("times_run", "integer", default=0),
            Field("times_failed", "integer", default=0), Field("last_run_time", "datetime"),
            Field("assigned_worker_name", default=""),
            migrate=migrate, format="(%(id)s) %(task_name)s")
    if "scheduler_run" not in db.tables:
        db.define_table(
            "scheduler_run",
            Field("task_id", "reference scheduler_task"), Field("status"),
            Field("start_time", "datetime"), Field("stop_time", "datetime"),
            Field("run_output", "text"), Field("run_result", "text"), Field("traceback", "text"),
            Field("worker_name"), migrate=migrate)
    if "scheduler_worker" not in db.tables:
        db.define_table(
            "scheduler_worker",
            Field("worker_name", length=255, unique=True), Field("first_heartbeat", "datetime"),
            Field("last_heartbeat", "datetime"), Field("status"),
            Field("is_ticker", "boolean", default=False), Field("group_names", "list:string"),
            Field("worker_stats", "json"), migrate=migrate)


def record_queued(db: DAL, application: str, function_name: str, task_name: str | None,
                  pargs: list | tuple | None, pvars: dict | None,
                  start_time: datetime.datetime | None, timeout: float, period: float | None,
                  repeats: int = 1, retry_failed: int = 0, clock: Clock = utc_now) -> int:
    """The ``scheduler_task`` row of a task being queued; its id."""
    when = start_time or clock()
    return db.scheduler_task.insert(
        application_name=application, task_name=task_name or function_name,
        function_name=function_name, uuid=str(uuid.uuid4()), status="QUEUED",
        args=json.dumps(list(pargs or [])), vars=json.dumps(dict(pvars or {})),
        start_time=when, next_run_time=when, timeout=timeout, period=period or 60,
        repeats=repeats, retry_failed=retry_failed)


def record_started(db: DAL, task_id: int | None, worker: str) -> None:
    if task_id:
        db(db.scheduler_task.id == task_id).update(status="RUNNING",
                                                   assigned_worker_name=worker)


def record_ended(db: DAL, task_id: int | None, run: Row, printed: str, error: str | None,
                 worker: str, clock: Clock = utc_now) -> datetime.datetime | None:
    """A ``scheduler_run`` row for the finished pydal ``run`` (``printed`` is what the task
    printed, ``error`` its traceback) and the task's new state, by web2py's rules: a completed
    task is QUEUED again while it has ``repeats`` left (0: forever) every ``period`` seconds; a
    failed, timed-out or stopped one is QUEUED again while ``times_failed < retry_failed`` (-1:
    always); a stopped run leaves its task FAILED, as web2py's ``report_task`` does.

    Returns when the task's next run is due, or None when it has ended. Commits nothing: the
    caller writes the run, these rows and the next run in one transaction.
    """
    task = db.scheduler_task(task_id) if task_id else None
    if task is None:  # a run queued through pydal alone: pydal's period rule
        return _pydal_next_time(run) if run.period else None
    now = clock()
    status = RUN_STATUS.get(run.status or "", "FAILED")
    failed = status in (FAILED, TIMEOUT, STOPPED)
    db.scheduler_run.insert(
        task_id=task_id, status=status, start_time=run.started_on,
        stop_time=run.completed_on or now, run_output=printed,
        run_result=None if failed else json.dumps(run.output), traceback=error,
        worker_name=worker)
    times_run = (task.times_run or 0) + 1
    next_time = None
    if status == "COMPLETED" and (not task.repeats or times_run < task.repeats):
        next_time = (run.started_on or now) + datetime.timedelta(seconds=task.period or 60)
    elif failed and (task.retry_failed == -1 or (task.times_failed or 0) < (task.retry_failed or 0)):
        next_time = now
    task.update_record(
        status=QUEUED if next_time else FAILED if status == STOPPED else status,
        times_run=times_run,
        times_failed=0 if status == "COMPLETED" else (task.times_failed or 0) + int(failed),
        last_run_time=run.started_on, next_run_time=next_time or task.next_run_time)
    return next_time


def _pydal_next_time(run) -> datetime.datetime:
    """The first multiple of ``period`` after ``scheduled_for`` that is not past yet."""
    late = (run.completed_on - run.scheduled_for).total_seconds()
    return run.scheduled_for + datetime.timedelta(seconds=run.period * math.ceil(late / run.period))


def task_ids_of(db: DAL, ref: int | str) -> list[int]:
    """The ids of the tasks ``ref`` names: a task id, or a uuid or task name (web2py's
    ``stop_task`` takes a uuid, Pocketweb's earlier versions a name)."""
    if isinstance(ref, int):
        return [ref]
    tasks = db.scheduler_task
    return [row.id for row in db((tasks.uuid == ref) | (tasks.task_name == ref)).select(tasks.id)]


def _runs_of(db: DAL, task_ids: list[int], query: Query) -> list[int]:
    """The ids of the ``task_run`` rows matching ``query`` that belong to ``task_ids``."""
    runs = db.task_run
    return [run.id for run in db(query).select(runs.id, runs.inputs)
            if (run.inputs or {}).get(TASK_KEY) in task_ids]


def _tasks_of(runs: Rows) -> list[int]:
    """The ids of the web2py tasks of these ``task_run`` rows (runs queued through pydal alone
    have none)."""
    return [task_id for task_id in ((run.inputs or {}).get(TASK_KEY) for run in runs) if task_id]


def cancel_queued_runs(db: DAL, task_ids: list[int], clock: Clock = utc_now) -> int:
    """The runs of ``task_ids`` no worker has taken are cancelled and their tasks STOPPED (and
    disabled, as web2py's ``stop_task`` leaves them); how many runs (not committed)."""
    runs = db.task_run
    cancelled = _runs_of(db, task_ids, (runs.worker == None) & (runs.status == "queued"))  # noqa: E711
    if not cancelled:
        return 0
    now = clock()
    db(runs.id.belongs(cancelled)).update(status="stopped", worker="", completed_on=now)
    tasks = db.scheduler_task
    db(tasks.id.belongs(task_ids) & (tasks.status == QUEUED)).update(
        status=STOPPED, enabled=False, stop_time=now)
    return len(cancelled)


def ask_to_stop_runs(db: DAL, task_ids: list[int]) -> int:
    """The runs of ``task_ids`` a worker holds become "stopping": that worker kills their child
    processes at its next beat (see :func:`runs_to_stop`); how many (not committed)."""
    runs = db.task_run
    held = _runs_of(db, task_ids, runs.status.belongs(("assigned", "running")))
    return db(runs.id.belongs(held)).update(status=STOPPING) if held else 0


def runs_to_stop(db: DAL, worker: str) -> list[int]:
    """The ids of ``worker``'s runs that ``stop_task`` asked to stop."""
    runs = db.task_run
    return [row.id for row in db((runs.worker == worker) & (runs.status == STOPPING))
            .select(runs.id)]


def end_stopping_runs(db: DAL, query: Query, clock: Clock = utc_now) -> None:
    """Runs asked to stop whose child has gone without a worker to record it (the worker died or
    stopped): stopped, and their tasks FAILED as web2py leaves a stopped task (not committed)."""
    runs = db.task_run
    ended = db(query & (runs.status == STOPPING)).select(runs.id, runs.inputs)
    if ended:
        db(runs.id.belongs([run.id for run in ended])).update(status="stopped",
                                                                completed_on=clock())
        db(db.scheduler_task.id.belongs(_tasks_of(ended))).update(status=FAILED)


def heartbeat(db: DAL, worker: str, clock: Clock = utc_now) -> None:
    """The worker's ``scheduler_worker`` row, created on its first beat (not committed)."""
    now = clock()
    table = db.scheduler_worker
    if db(table.worker_name == worker).update(last_heartbeat=now, status="ACTIVE") == 0:
        table.insert(worker_name=worker, first_heartbeat=now, last_heartbeat=now,
                     status="ACTIVE", is_ticker=True, group_names=["main"])


def requeue_dead_workers(db: DAL, heartbeat_seconds: float, alive: str,
                         clock: Clock = utc_now) -> list[str]:
    """web2py's rule for workers gone silent: one whose last heartbeat is older than three
    heartbeats is dead, its claimed and running runs are queued again for any worker (those
    asked to stop end stopped), and its ``scheduler_worker`` row is removed. The names of the
    dead (not committed).

    ``alive`` is the worker asking, which has just beaten: never itself dead, even when a loaded
    machine held it longer than three heartbeats between its beat and this check (web2py reads
    both against one clock reading)."""
    table = db.scheduler_worker
    expired = ((table.last_heartbeat < clock() - datetime.timedelta(seconds=3 * heartbeat_seconds))
               & (table.worker_name != alive))
    dead = [row.worker_name for row in db(expired).select(table.worker_name)]
    if dead:
        requeue_runs(db, db.task_run.worker.belongs(dead))
        end_stopping_runs(db, db.task_run.worker.belongs(dead), clock)
        db(table.worker_name.belongs(dead)).delete()
    return dead


def requeue_runs(db: DAL, query: Query) -> int:
    """The claimed or running ``task_run`` rows matching ``query`` become queued and free for
    any worker, and their tasks QUEUED again; how many (not committed)."""
    runs = db.task_run
    taken = db(query & runs.status.belongs(("assigned", "running"))).select(runs.id, runs.inputs)
    if not taken:
        return 0
    db(runs.id.belongs([run.id for run in taken])).update(
        worker=None, status="queued", pid=None, started_on=None)
    task_ids = _tasks_of(taken)
    if task_ids:
        tasks = db.scheduler_task
        db(tasks.id.belongs(task_ids) & tasks.status.belongs((ASSIGNED, RUNNING))).update(
            status=QUEUED, assigned_worker_name="")
    return len(taken)
