"""server/background/scheduler_tables.py: web2py's scheduler_task, scheduler_run and
scheduler_worker follow what the worker does (real SQLite, a real worker thread)."""

import datetime
import json
import threading

import pytest
from pydal import DAL
from support import wait_until

from server.background import scheduler_tables
from server.background.scheduler import Scheduler
from server.background.scheduler_tables import TASK_KEY

WEB2PY_TASK_COLUMNS = {
    "application_name", "task_name", "group_name", "status", "broadcast", "function_name",
    "uuid", "args", "vars", "enabled", "start_time", "next_run_time", "stop_time", "repeats",
    "retry_failed", "period", "prevent_drift", "cronline", "timeout", "sync_output", "times_run",
    "times_failed", "last_run_time", "assigned_worker_name"}


@pytest.fixture
def db(tmp_path):
    database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    yield database
    database.close()


def _work_until(scheduler, condition, timeout=10.0):
    stop = threading.Event()
    worker = threading.Thread(target=scheduler.work, args=(stop,), daemon=True)
    worker.start()

    def seen():
        scheduler.db.commit()  # see the worker's commits
        return condition()

    try:
        return wait_until(seen, timeout)
    finally:
        stop.set()
        worker.join(5)
        assert scheduler.wait_runs(5)


def test_tables_have_web2pys_names_and_columns(db):
    Scheduler(db)
    assert WEB2PY_TASK_COLUMNS <= set(db.scheduler_task.fields)
    assert {"task_id", "status", "start_time", "stop_time", "run_output", "run_result",
            "traceback", "worker_name"} <= set(db.scheduler_run.fields)
    assert {"worker_name", "first_heartbeat", "last_heartbeat", "status", "is_ticker",
            "group_names", "worker_stats"} <= set(db.scheduler_worker.fields)


def test_a_completed_task_and_its_run(db):
    scheduler = Scheduler(db, tasks={"add": lambda a, b: a + b}, heartbeat=0.05)
    queued = scheduler.queue_task("add", pargs=[2], pvars={"b": 3}, task_name="sum")
    task = db.scheduler_task(queued.id)
    assert (task.status, task.function_name, task.task_name) == ("QUEUED", "add", "sum")
    assert json.loads(task.args) == [2] and json.loads(task.vars) == {"b": 3}
    assert queued.uuid == task.uuid
    assert _work_until(scheduler, lambda: db.scheduler_task(queued.id).status == "COMPLETED")
    task = db.scheduler_task(queued.id)
    assert task.times_run == 1 and task.assigned_worker_name == scheduler.worker
    (run,) = db(db.scheduler_run.task_id == queued.id).select()
    assert run.status == "COMPLETED" and json.loads(run.run_result) == 5
    assert scheduler.task_status(queued.id, output=True).result == 5
    worker = db(db.scheduler_worker.worker_name == scheduler.worker).select().first()
    assert worker.status == "ACTIVE" and worker.last_heartbeat >= worker.first_heartbeat


def test_a_failed_task_keeps_its_traceback(db):
    def explode():
        raise ValueError("boom")

    scheduler = Scheduler(db, tasks={"explode": explode}, heartbeat=0.05)
    queued = scheduler.queue_task("explode")
    assert _work_until(scheduler, lambda: db.scheduler_task(queued.id).status == "FAILED")
    assert db.scheduler_task(queued.id).times_failed == 1
    run = db(db.scheduler_run.task_id == queued.id).select().first()
    assert run.status == "FAILED" and "ValueError: boom" in run.traceback


def test_stopped_and_periodic_tasks(db, clock):
    scheduler = Scheduler(db, tasks={"tick": lambda: "tock"}, heartbeat=0.05, clock=clock)
    stopped = scheduler.queue_task("tick", task_name="never")
    assert scheduler.stop_task("never") == 1
    assert db.scheduler_task(stopped.id).status == "STOPPED"
    assert db.scheduler_task(stopped.id).stop_time == clock.now
    periodic = scheduler.queue_task("tick", period=60, repeats=0)
    assert db.scheduler_task(periodic.id).start_time == clock.now
    assert _work_until(scheduler, lambda: db.scheduler_task(periodic.id).times_run == 1)
    task = db.scheduler_task(periodic.id)
    assert task.status == "QUEUED" and task.last_run_time == clock.now
    assert task.next_run_time == clock.now + datetime.timedelta(seconds=60)


def test_a_beat_stamps_the_clock_and_keeps_the_first_one(db, clock):
    Scheduler(db, clock=clock)
    first = clock.now
    scheduler_tables.heartbeat(db, "w#1", clock)
    later = clock.advance(5)
    scheduler_tables.heartbeat(db, "w#1", clock)
    (row,) = db(db.scheduler_worker).select()
    assert (row.first_heartbeat, row.last_heartbeat, row.status) == (first, later, "ACTIVE")


def test_a_worker_is_dead_only_once_three_heartbeats_have_passed_in_silence(db, clock):
    scheduler = Scheduler(db, tasks={"tick": lambda: "tock"}, heartbeat=10, clock=clock)
    task_id = scheduler.queue_task("tick").id
    run = scheduler.next_run()
    run.update_record(worker="gone#1", status="running")
    scheduler_tables.heartbeat(db, "gone#1", clock)
    clock.advance(30)  # exactly three heartbeats: not yet
    assert scheduler_tables.requeue_dead_workers(db, 10, scheduler.worker, clock) == []
    assert db.task_run(run.id).status == "running"
    clock.advance(1)
    assert scheduler_tables.requeue_dead_workers(db, 10, scheduler.worker, clock) == ["gone#1"]
    assert (db.task_run(run.id).status, db.task_run(run.id).worker) == ("queued", None)
    assert db.scheduler_task(task_id).status == "QUEUED"
    assert db(db.scheduler_worker).isempty()


def test_a_repeat_is_due_one_period_after_its_start_and_a_retry_at_once(db, clock):
    scheduler = Scheduler(db, tasks={"tick": lambda: "tock"}, clock=clock)
    repeating = scheduler.queue_task("tick", period=90, repeats=2).id
    retried = scheduler.queue_task("tick", retry_failed=1).id
    first, second = scheduler.next_run(), scheduler.next_run()
    started = clock.now
    first.update_record(status="completed", started_on=started, completed_on=clock.advance(7))
    assert scheduler_tables.record_ended(db, repeating, first, "", None, "w", clock) == \
        started + datetime.timedelta(seconds=90)
    second.update_record(status="failed", started_on=started)
    ended = clock.advance(2)
    assert scheduler_tables.record_ended(db, retried, second, "", "boom", "w", clock) == ended
    runs = {row.task_id: row for row in db(db.scheduler_run).select()}
    assert (runs[repeating].start_time, runs[repeating].stop_time) == (started, ended - \
        datetime.timedelta(seconds=2))
    assert (runs[retried].status, runs[retried].stop_time) == ("FAILED", ended)
    assert db.scheduler_task(retried).next_run_time == ended


def test_a_held_run_is_asked_to_stop_and_a_stopped_run_fails_its_task_or_is_retried(db):
    scheduler = Scheduler(db, tasks={"tick": lambda: "tock"}, heartbeat=0.05)
    once = scheduler.queue_task("tick").id
    retried = scheduler.queue_task("tick", retry_failed=1).id
    first, second = scheduler.next_run(), scheduler.next_run()  # claimed, as a worker does
    assert scheduler.stop_task(once) == 1 and scheduler.stop_task(retried) == 1
    assert scheduler_tables.runs_to_stop(db, scheduler.worker) == [first.id, second.id]
    assert db.scheduler_task(once).status == "QUEUED"  # still the worker's to end
    for run in (first, second):
        run.update_record(status="stopped")
        scheduler_tables.record_ended(db, run.inputs[TASK_KEY], run, "", "stopped", "w")
    assert db.scheduler_task(once).status == "FAILED"  # web2py's report_task: STOPPED -> FAILED
    assert db.scheduler_task(retried).status == "QUEUED"
    assert {run.status for run in db(db.scheduler_run).select()} == {"STOPPED"}


def test_runs_asked_to_stop_of_a_gone_worker_end_stopped(db):
    scheduler = Scheduler(db, tasks={"tick": lambda: "tock"}, heartbeat=0.05)
    task_id = scheduler.queue_task("tick").id
    run = scheduler.next_run()
    scheduler.stop_task(task_id)
    scheduler_tables.end_stopping_runs(db, db.task_run.worker == scheduler.worker)
    assert db.task_run(run.id).status == "stopped"
    assert db.scheduler_task(task_id).status == "FAILED"
    assert scheduler_tables.runs_to_stop(db, scheduler.worker) == []


def test_a_task_is_named_by_its_id_uuid_or_name(db):
    scheduler = Scheduler(db, tasks={"tick": lambda: "tock"})
    queued = scheduler.queue_task("tick", task_name="named")
    for ref in (queued.id, queued.uuid, "named"):
        assert scheduler_tables.task_ids_of(db, ref) == [queued.id]
    assert scheduler_tables.task_ids_of(db, "nothing") == []
