"""server/scheduler.py: web2py's Scheduler API on pydal's, and workers for apps (real threads,
real SQLite, a real server; heartbeats of a few hundredths of a second)."""

from __future__ import annotations

import datetime
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest
from pydal import DAL
from support import process_gone, wait_until, write_app

from server.background.scheduler import Scheduler, parse_app_names, run_workers, serve_workers

MODELS = """
from gluon.scheduler import Scheduler
db = DAL('sqlite://storage.sqlite')

def add(a, b):
    return a + b

scheduler = Scheduler(db, heartbeat=5)

def explode():
    raise ValueError('task exploded')
"""

CONTROLLER = """
def queue():
    row = scheduler.queue_task(add, pargs=[2], pvars={'b': 3})
    return response.json(dict(id=row.id, errors=row.errors))

def queue_named():
    row = scheduler.queue_task(request.args(0))
    return response.json(dict(id=row.id, errors=row.errors))

def status():
    row = scheduler.task_status(int(request.args(0)), output=True)
    return response.json(dict(status=row.status, result=row.result))
"""


def run_row(app_folder: Path, run_id: int):
    db = DAL("sqlite://storage.sqlite", folder=str(app_folder / "databases"), auto_import=True)
    try:
        return db.task_run(run_id)
    finally:
        db.close()


def wait_for(condition, timeout=60.0):
    return wait_until(condition, timeout)


@pytest.fixture
def workers():
    """``start(root, apps)`` runs workers (heartbeat 0.05 s); all are stopped at teardown."""
    stop = threading.Event()
    started = []

    def start(root, apps):
        threads = run_workers(root, apps, stop, heartbeat=0.05)
        started.extend(threads)
        return threads

    yield start
    stop.set()
    for thread in started:
        thread.join(5)
    assert not any(thread.is_alive() for thread in started)


def test_task_queued_over_http_is_completed_by_a_worker(root, wsgi_server, http, workers):
    app = write_app(root, "jobs", {"models/db.py": MODELS, "controllers/default.py": CONTROLLER})
    base = wsgi_server(root)
    queued = json.loads(http(f"{base}/jobs/default/queue").text)
    assert queued["errors"] == {}
    run_id = queued["id"]
    assert run_row(app, run_id).status == "queued"
    workers(root, ["jobs"])
    assert wait_for(lambda: run_row(app, run_id).status == "completed")
    assert run_row(app, run_id).output == 5
    # web2py's scheduler_task row is brought in step just after pydal's run row: wait for it
    def task_status():
        answer = json.loads(http(f"{base}/jobs/default/status/{run_id}").text)
        return answer if answer["status"] != "RUNNING" else None

    assert wait_for(task_status) == {"status": "COMPLETED", "result": 5}


def test_failing_task_is_recorded_and_the_worker_carries_on(root, wsgi_server, http, workers):
    app = write_app(root, "jobs", {"models/db.py": MODELS, "controllers/default.py": CONTROLLER})
    base = wsgi_server(root)
    failing = json.loads(http(f"{base}/jobs/default/queue_named/explode").text)["id"]
    working = json.loads(http(f"{base}/jobs/default/queue").text)["id"]
    workers(root, ["jobs"])
    assert wait_for(lambda: run_row(app, working).status == "completed")
    assert wait_for(lambda: run_row(app, failing).status == "failed")
    assert "ValueError: task exploded" in run_row(app, failing).log


HOLDING_MODELS = MODELS + """
def hold(marker):
    import os, threading
    with open(marker, 'w') as stream:
        stream.write(str(os.getpid()))
    threading.Event().wait(120)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_a_stopped_worker_kills_its_running_child_and_queues_the_run_again(root, tmp_path):
    app = write_app(root, "jobs", {"models/db.py": HOLDING_MODELS})
    marker = tmp_path / "pid"
    db = DAL("sqlite://storage.sqlite", folder=str(app / "databases"))
    scheduler = Scheduler(db, tasks={"hold": None})
    run_id = scheduler.queue_task("hold", pvars={"marker": str(marker)}).id
    db.close()
    stop = threading.Event()
    (thread,) = run_workers(root, ["jobs"], stop, heartbeat=0.05)
    wait_for(lambda: marker.exists() and marker.read_text(), 60)
    stop.set()
    thread.join(30)
    assert not thread.is_alive()
    assert wait_for(lambda: process_gone(int(marker.read_text())))
    run = run_row(app, run_id)
    assert (run.status, run.worker) == ("queued", None)


def test_unknown_task_is_refused_when_queued(root, wsgi_server, http):
    write_app(root, "jobs", {"models/db.py": MODELS, "controllers/default.py": CONTROLLER})
    answer = json.loads(http(f"{wsgi_server(root)}/jobs/default/queue_named/nothing").text)
    assert answer["id"] is None and "nothing" in answer["errors"]["function_name"]


def test_apps_without_a_scheduler_or_with_broken_models_are_logged_and_skipped(
        root, workers, caplog):
    write_app(root, "plain", {"models/db.py": "db = DAL('sqlite://storage.sqlite')\n"})
    write_app(root, "broken", {"models/db.py": "1 / 0\n"})
    with caplog.at_level(logging.ERROR, logger="pocketweb.scheduler"):
        threads = workers(root, ["plain", "broken", "missing"])
        for thread in threads:
            thread.join(10)
    assert not any(thread.is_alive() for thread in threads)
    assert "plain: its models define no Scheduler" in caplog.text
    assert "ZeroDivisionError" in caplog.text
    assert "no application named 'missing'" in caplog.text


def test_serve_workers_runs_until_stopped(root, wsgi_server, http):
    app = write_app(root, "jobs", {"models/db.py": MODELS, "controllers/default.py": CONTROLLER})
    run_id = json.loads(http(f"{wsgi_server(root)}/jobs/default/queue").text)["id"]
    stop = threading.Event()
    threading.Thread(target=lambda: wait_for(lambda: run_row(app, run_id).status == "completed")
                     and stop.set(), daemon=True).start()
    assert serve_workers(root, ["jobs"], stop, heartbeat=0.05) == 0
    assert run_row(app, run_id).output == 5


def test_serve_workers_fails_when_no_worker_can_run(root):
    write_app(root, "plain", {"models/db.py": "x = 1\n"})
    assert serve_workers(root, ["plain"], heartbeat=0.05) == 1


# ----- the API in one process -----------------------------------------------------------------
@pytest.fixture
def db(tmp_path):
    database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    yield database
    database.close()


def work_until(scheduler, condition):
    stop = threading.Event()
    worker = threading.Thread(target=scheduler.work, args=(stop,), daemon=True)
    worker.start()
    try:
        return wait_for(condition)
    finally:
        stop.set()
        worker.join(5)
        assert not worker.is_alive()
        assert scheduler.wait_runs(5)


def test_explicit_tasks_by_name_and_status_by_task_name(db):
    scheduler = Scheduler(db, tasks={"double": lambda x: 2 * x}, heartbeat=0.05)
    row = scheduler.queue_task("double", pvars={"x": 21}, task_name="answer")
    assert scheduler.task_status("answer").status == "QUEUED"
    assert work_until(scheduler, lambda: scheduler.task_status(row.id).status == "COMPLETED")
    db.commit()
    assert scheduler.task_status("answer", output=True).result == 42


def test_stopped_task_is_never_run(db):
    calls = []
    scheduler = Scheduler(db, tasks={"note": lambda: calls.append(1)}, heartbeat=0.05)
    stopped = scheduler.queue_task("note").id
    assert scheduler.stop_task(stopped) == 1
    control = scheduler.queue_task("note").id
    assert work_until(scheduler, lambda: scheduler.task_status(control).status == "COMPLETED")
    db.commit()
    assert scheduler.task_status(stopped).status == "STOPPED"
    assert calls == [1]


def test_a_run_naming_no_task_becomes_unknown(db):
    scheduler = Scheduler(db, tasks={}, heartbeat=0.05)
    run_id = db.task_run.insert(name="vanished", inputs={})
    db.commit()
    assert work_until(scheduler, lambda: db.task_run(run_id).status == "unknown")


def test_a_repeating_task_is_queued_again_after_running_and_a_single_one_is_not(db):
    scheduler = Scheduler(db, tasks={"tick": lambda: "tock"}, heartbeat=0.05)
    once = scheduler.queue_task("tick", period=60).id  # repeats=1, as web2py's default
    twice = scheduler.queue_task("tick", period=60, repeats=2).id
    assert work_until(scheduler, lambda: db(db.task_run.status == "completed").count() == 2)
    db.commit()  # the end of a run and its next run are one transaction: both are visible
    (queued,) = db(db.task_run.status == "queued").select()
    assert queued.inputs["__scheduler_task__"] == twice
    assert scheduler.task_status(once).status == "COMPLETED"
    assert scheduler.task_status(twice).status == "QUEUED"


def test_a_failed_task_is_retried_retry_failed_times(db):
    calls = []

    def flaky():
        calls.append(1)
        raise RuntimeError(f"failure {len(calls)}")

    scheduler = Scheduler(db, tasks={"flaky": flaky}, heartbeat=0.05)
    task = scheduler.queue_task("flaky", retry_failed=2).id
    assert work_until(scheduler, lambda: scheduler.task_status(task).status == "FAILED")
    db.commit()
    assert len(calls) == 3 and scheduler.task_status(task).times_failed == 3
    assert "failure 3" in scheduler.task_status(task, output=True).scheduler_run.traceback


def test_runs_of_a_worker_silent_for_three_heartbeats_are_queued_again(db):
    scheduler = Scheduler(db, tasks={"note": lambda: "noted"}, heartbeat=0.05)
    task = scheduler.queue_task("note").id
    long_ago = datetime.datetime(2000, 1, 1)
    db.scheduler_worker.insert(worker_name="gone#1", first_heartbeat=long_ago,
                               last_heartbeat=long_ago, status="ACTIVE")
    db(db.task_run).update(worker="gone#1", status="running", pid=1)
    db(db.scheduler_task.id == task).update(status="RUNNING", assigned_worker_name="gone#1")
    db.commit()
    assert work_until(scheduler, lambda: scheduler.task_status(task).status == "COMPLETED")
    db.commit()
    assert db(db.scheduler_worker.worker_name == "gone#1").isempty()
    (run,) = db(db.task_run).select()
    assert (run.worker, run.status) == (scheduler.worker, "completed")


def test_a_worker_held_past_three_heartbeats_after_its_beat_never_takes_itself_for_dead(db):
    """Between a worker's beat and its look for dead workers a loaded machine may hold it for
    longer than three heartbeats: its own row looks expired then, but it is alive."""
    from server.background import scheduler_tables

    scheduler = Scheduler(db, tasks={"note": lambda: "noted"}, heartbeat=0.05)
    long_ago = datetime.datetime(2000, 1, 1)
    for name in (scheduler.worker, "gone#1"):
        db.scheduler_worker.insert(worker_name=name, first_heartbeat=long_ago,
                                   last_heartbeat=long_ago, status="ACTIVE")
    assert scheduler_tables.requeue_dead_workers(db, 0.05, scheduler.worker) == ["gone#1"]
    assert [row.worker_name for row in db(db.scheduler_worker).select()] == [scheduler.worker]


def test_a_restarted_worker_queues_again_what_its_earlier_life_left_running(db):
    scheduler = Scheduler(db, tasks={"note": lambda: "noted"}, worker_name="fixed",
                          heartbeat=0.05)
    task = scheduler.queue_task("note").id
    db(db.task_run).update(worker="fixed", status="running")
    db.commit()
    assert work_until(scheduler, lambda: scheduler.task_status(task).status == "COMPLETED")


def test_worker_names_are_web2pys_host_and_process(db):
    assert Scheduler(db).worker == f"{socket.gethostname()}#{os.getpid()}"


class WatchedStop(threading.Event):
    """A stop event that tells when the worker has begun waiting on it."""

    def __init__(self):
        super().__init__()
        self.waited_on = threading.Event()

    def wait(self, timeout=None):
        self.waited_on.set()
        return super().wait(timeout)


def test_stop_is_prompt_even_with_a_long_heartbeat(db):
    scheduler = Scheduler(db, tasks={}, heartbeat=60)
    stop = WatchedStop()
    worker = threading.Thread(target=scheduler.work, args=(stop,), daemon=True)
    worker.start()
    assert stop.waited_on.wait(10)  # the worker is asleep for its 60 s heartbeat
    began = time.monotonic()
    stop.set()
    worker.join(5)
    assert time.monotonic() - began < 1


def test_web2py_options_are_accepted_and_unknown_ones_refused(db):
    Scheduler(db, migrate=True, group_names=["main"], utc_time=True)
    with pytest.raises(TypeError, match="colour"):
        Scheduler(db, colour="red")


@pytest.mark.skipif(not hasattr(signal, "SIGCHLD"), reason="no SIGCHLD on this platform")
def test_building_a_scheduler_in_the_main_thread_keeps_sigchld(db):
    before = signal.getsignal(signal.SIGCHLD)
    Scheduler(db)
    assert signal.getsignal(signal.SIGCHLD) == before


def test_app_names_from_the_command_line():
    assert parse_app_names("shop, blog,,") == ["shop", "blog"]


def test_gluon_scheduler_is_the_same_class():
    from gluon.scheduler import Scheduler as Web2pyScheduler

    assert Web2pyScheduler is Scheduler
