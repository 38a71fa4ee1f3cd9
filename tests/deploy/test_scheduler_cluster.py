"""The scheduler on many processes against one PostgreSQL database, as docs/deploy.md sets it up:
worker processes started by ``python -m pocketweb -K app`` run 100 queued tasks exactly once
each, a task past its ``timeout`` is killed in its child process, and the task of a worker
killed with SIGKILL is run again by another worker (web2py's three-heartbeats rule)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest
from pydal import DAL
from support import process_gone, wait_until, write_app

from server.execution import model_environment
from server.paths import SOURCE_ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

HEARTBEAT = 1  # seconds; a worker is taken for dead after three silent ones
TASKS = 100
MODEL = f'''
import os
from gluon.scheduler import Scheduler
db = DAL(os.environ["SCHEDULER_DATABASE"], pool_size=0)
db.define_table("task_effect", Field("n", "integer"), Field("pid", "integer"))

def record(n):
    db.task_effect.insert(n=n, pid=os.getpid())
    return n

def hold(marker):
    """Block until killed the first time (telling its pid); finish at once the second."""
    if os.path.exists(marker):
        return "second attempt"
    with open(marker + ".tmp", "w") as stream:
        stream.write(str(os.getpid()))
    os.replace(marker + ".tmp", marker)
    import threading
    threading.Event().wait(300)

scheduler = Scheduler(db, heartbeat={HEARTBEAT})
'''


@pytest.fixture
def database_uri(postgres_uri, request):
    """A database of this test's own on the session's PostgreSQL, dropped after it."""
    import psycopg2

    server, _ = postgres_uri.rsplit("/", 1)
    name = f"scheduler_{request.node.name[5:40]}".lower()
    admin = psycopg2.connect(postgres_uri)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def cluster(root, database_uri, monkeypatch):
    """``(root, db, start)``: the app ``jobs`` on PostgreSQL, a DAL on its tables, and
    ``start()`` to launch one more ``python -m pocketweb -K jobs`` worker process (its pid);
    every worker is killed at teardown."""
    monkeypatch.setenv("SCHEDULER_DATABASE", database_uri)
    write_app(root, "jobs", {"models/db.py": MODEL})
    with model_environment(root, "jobs"):  # the app's tables, made once by its own models
        pass
    db = DAL(database_uri, folder=str(root / "applications" / "jobs" / "databases"),
             auto_import=True)
    workers: list[subprocess.Popen] = []

    def start() -> int:
        log = open(root / f"worker{len(workers)}.log", "w")  # noqa: SIM115 - the worker's
        workers.append(subprocess.Popen(
            [sys.executable, "-m", "pocketweb", "-K", "jobs", "--folder", str(root), "--no-gui",
             "-D", "INFO"],
            cwd=SOURCE_ROOT, stdout=log, stderr=subprocess.STDOUT))
        log.close()
        return workers[-1].pid

    yield root, db, start
    for worker in workers:
        worker.kill()
        worker.wait(30)
    db.close()
    for log in sorted(root.glob("worker*.log")):  # shown when the test failed
        print(f"----- {log.name}\n{log.read_text(errors='replace')}")


def fresh(db, query):
    db.commit()  # a new snapshot
    return db(query).select()


def beating(db, count: int) -> bool:
    return len(fresh(db, db.scheduler_worker.status == "ACTIVE")) == count


def test_two_worker_processes_run_100_tasks_exactly_once_each(cluster):
    root, db, start = cluster
    start(), start()
    wait_until(lambda: beating(db, 2), 60, 0.05, "the workers never beat")
    with model_environment(root, "jobs") as model_globals:
        task_ids = [model_globals["scheduler"].queue_task("record", pvars={"n": n}).id
                    for n in range(TASKS)]
    tasks = db.scheduler_task
    wait_until(lambda: len(fresh(db, tasks.status == "COMPLETED")) == TASKS, 240, 0.05,
               "the tasks were not all completed")
    assert sorted(row.n for row in fresh(db, db.task_effect)) == list(range(TASKS))
    assert {row.times_run for row in fresh(db, tasks.id.belongs(task_ids))} == {1}
    runs = fresh(db, db.scheduler_run)
    assert sorted(run.task_id for run in runs) == sorted(task_ids)
    assert len({run.worker_name for run in runs}) == 2  # both processes took part
    assert {run.status for run in fresh(db, db.task_run)} == {"completed"}


def test_a_task_past_its_timeout_is_killed_and_the_worker_carries_on(cluster, tmp_path):
    root, db, start = cluster
    start()
    marker = tmp_path / "held"
    with model_environment(root, "jobs") as model_globals:
        scheduler = model_globals["scheduler"]
        held = scheduler.queue_task("hold", pvars={"marker": str(marker)}, timeout=4).id
        after = scheduler.queue_task("record", pvars={"n": 7}).id
    tasks = db.scheduler_task
    wait_until(lambda: fresh(db, tasks.id == held)[0].status == "TIMEOUT", 120, 0.05,
               "the task never timed out")
    assert wait_until(lambda: process_gone(int(marker.read_text())), 60, 0.02)
    (run,) = fresh(db, db.scheduler_run.task_id == held)
    assert run.status == "TIMEOUT" and "timeout of 4" in run.traceback
    wait_until(lambda: fresh(db, tasks.id == after)[0].status == "COMPLETED", 120, 0.05,
               "the worker stopped after the timeout")


def test_the_task_of_a_worker_killed_mid_task_is_run_again_by_another(cluster, tmp_path):
    root, db, start = cluster
    first, second = start(), start()
    wait_until(lambda: beating(db, 2), 60, 0.05, "the workers never beat")
    marker = tmp_path / "held"
    with model_environment(root, "jobs") as model_globals:
        held = model_globals["scheduler"].queue_task("hold", pvars={"marker": str(marker)},
                                                     timeout=600).id
    wait_until(marker.exists, 120, 0.02, "the task never started")
    runs = db.task_run
    holder = wait_until(lambda: fresh(db, runs.status == "running").first(), 60, 0.02)
    holder_pid = int(holder.worker.rsplit("#", 1)[1])
    assert holder_pid in (first, second)
    os.kill(holder_pid, signal.SIGKILL)
    assert wait_until(lambda: process_gone(int(marker.read_text())), 60, 0.02)  # its child too
    tasks = db.scheduler_task
    wait_until(lambda: fresh(db, tasks.id == held)[0].status == "COMPLETED",
               120 + 3 * HEARTBEAT, 0.05, "the killed worker's task was never run again")
    (run,) = fresh(db, db.scheduler_run.task_id == held)
    assert run.worker_name != holder.worker and run.run_result == '"second attempt"'
    assert not fresh(db, db.scheduler_worker.worker_name == holder.worker)  # found dead


def test_stop_task_on_a_running_task_kills_its_child_and_the_workers_carry_on(cluster, tmp_path):
    root, db, start = cluster
    workers = start(), start()
    wait_until(lambda: beating(db, 2), 60, 0.05, "the workers never beat")
    marker = tmp_path / "held"
    with model_environment(root, "jobs") as model_globals:
        scheduler = model_globals["scheduler"]
        held = scheduler.queue_task("hold", pvars={"marker": str(marker)}, timeout=600).id
        wait_until(marker.exists, 120, 0.02, "the task never started")
        tasks = db.scheduler_task
        wait_until(lambda: fresh(db, tasks.id == held)[0].status == "RUNNING", 60, 0.02)
        assert scheduler.stop_task(held) == 1
        after = [scheduler.queue_task("record", pvars={"n": n}).id for n in range(4)]
    assert wait_until(lambda: process_gone(int(marker.read_text())), 60, 0.02)
    wait_until(lambda: fresh(db, tasks.id == held)[0].status == "FAILED", 60, 0.05,
               "the stopped task was never recorded")  # web2py: a stopped run fails its task
    (run,) = fresh(db, db.scheduler_run.task_id == held)
    assert run.status == "STOPPED" and "stop_task" in run.traceback
    (stopped,) = [row for row in fresh(db, db.task_run)
                  if row.inputs["__scheduler_task__"] == held]  # not retried: retry_failed=0
    assert stopped.status == "stopped"
    wait_until(lambda: len(fresh(db, tasks.id.belongs(after) & (tasks.status == "COMPLETED")))
               == len(after), 120, 0.05, "the workers stopped after the stop")
    assert not any(map(process_gone, workers))  # the holder too: only its child was killed
