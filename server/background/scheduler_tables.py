"""web2py's scheduler tables, kept beside pydal's ``task_run`` so apps that query them work.

web2py apps read ``db.scheduler_task`` (one row per queued task: status, times run, next run),
``db.scheduler_run`` (one row per execution: output, result, traceback) and
``db.scheduler_worker`` (one row per worker and its heartbeat), with web2py's column names and
capitalised statuses. Pocketweb's worker executes pydal's ``task_run`` rows; this module writes
the web2py rows as a task is queued, starts, ends and as a worker beats. A run knows its task by
:data:`TASK_KEY` in its inputs (removed before the function is called).
"""

from __future__ import annotations

import datetime
import json
import uuid

from pydal import Field

TASK_KEY = "__scheduler_task__"
QUEUED, ASSIGNED, RUNNING, COMPLETED = "QUEUED", "ASSIGNED", "RUNNING", "COMPLETED"
FAILED, TIMEOUT, STOPPED, EXPIRED = "FAILED", "TIMEOUT", "STOPPED", "EXPIRED"
ACTIVE, DISABLED, TERMINATE, KILL = "ACTIVE", "DISABLED", "TERMINATE", "KILL"
TASK_STATUS = (QUEUED, ASSIGNED, RUNNING, COMPLETED, FAILED, TIMEOUT, STOPPED, EXPIRED)
# pydal's run statuses as web2py names them
RUN_STATUS = {"completed": "COMPLETED", "failed": "FAILED", "timeout": "TIMEOUT",
              "dead": "FAILED", "unknown": "FAILED", "stopped": "STOPPED",
              "running": "RUNNING", "queued": "QUEUED", "assigned": "ASSIGNED"}


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)


def define_tables(db, migrate=True) -> None:
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


def record_queued(db, application: str, function_name: str, task_name: str, pargs, pvars,
                  start_time, timeout, period, repeats: int = 1) -> int:
    """The ``scheduler_task`` row of a task being queued; its id."""
    when = start_time or _now()
    return db.scheduler_task.insert(
        application_name=application, task_name=task_name or function_name,
        function_name=function_name, uuid=str(uuid.uuid4()), status="QUEUED",
        args=json.dumps(list(pargs or [])), vars=json.dumps(dict(pvars or {})),
        start_time=when, next_run_time=when, timeout=timeout, period=period or 60,
        repeats=repeats)


def record_started(db, task_id: int | None, worker: str) -> None:
    if task_id:
        db(db.scheduler_task.id == task_id).update(status="RUNNING",
                                                   assigned_worker_name=worker)
        db.commit()


def record_ended(db, task_id: int | None, run, worker: str) -> None:
    """A ``scheduler_run`` row for the finished pydal ``run``, and the task's new state:
    QUEUED again when the run was periodic (pydal queued the next one), else the run's end."""
    if not task_id or db.scheduler_task(task_id) is None:
        return
    status = RUN_STATUS.get(run.status or "", "FAILED")
    failed = status in ("FAILED", "TIMEOUT")
    db.scheduler_run.insert(
        task_id=task_id, status=status, start_time=run.started_on,
        stop_time=run.completed_on or _now(),
        run_output="" if failed else (run.log or ""),
        run_result=None if failed else json.dumps(run.output),
        traceback=run.log if failed else None, worker_name=worker)
    task = db.scheduler_task(task_id)
    again = bool(run.period) and status == "COMPLETED"
    task.update_record(
        status="QUEUED" if again else status, times_run=(task.times_run or 0) + 1,
        times_failed=(task.times_failed or 0) + (1 if failed else 0),
        last_run_time=run.started_on,
        next_run_time=(run.started_on or _now()) + datetime.timedelta(seconds=run.period)
        if again else task.next_run_time)
    db.commit()


def record_stopped(db, task_ids) -> None:
    if task_ids:
        db(db.scheduler_task.id.belongs(task_ids)).update(status="STOPPED")


def heartbeat(db, worker: str) -> None:
    """The worker's ``scheduler_worker`` row, created on its first beat."""
    now = _now()
    table = db.scheduler_worker
    if db(table.worker_name == worker).update(last_heartbeat=now, status="ACTIVE") == 0:
        table.insert(worker_name=worker, first_heartbeat=now, last_heartbeat=now,
                     status="ACTIVE", is_ticker=True, group_names=["main"])
    db.commit()
