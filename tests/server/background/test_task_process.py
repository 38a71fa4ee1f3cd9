"""server/background/task_process.py: a scheduler task in a real child process that runs the
app's models; its answer, its timeout, and its end when the worker dies (real SQLite apps)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pydal import DAL
from support import process_gone, wait_until, write_app

from server.background.task_process import (
    COMPLETED,
    DEAD,
    FAILED,
    STOPPED,
    TIMEOUT,
    Outcome,
    TaskProcess,
    call_task,
)
from server.paths import SOURCE_ROOT

MODELS = """
import os
from gluon.scheduler import Scheduler
db = DAL('sqlite://storage.sqlite')
db.define_table('effect', Field('value'))

def greet(name):
    print('hello', name)
    db.effect.insert(value=name)
    return {'greeted': name}

def fail_after_writing():
    db.effect.insert(value='rolled back')
    raise ValueError('task failed')

def hold(marker):
    with open(marker, 'w') as stream:
        stream.write(str(os.getpid()))
    import threading
    threading.Event().wait(120)

def not_json():
    return object()

scheduler = Scheduler(db)
"""


def effects(app: Path) -> list[str]:
    db = DAL("sqlite://storage.sqlite", folder=str(app / "databases"), auto_import=True)
    try:
        return [row.value for row in db(db.effect).select(orderby=db.effect.id)]
    finally:
        db.close()


@pytest.fixture
def app(root) -> Path:
    return write_app(root, "jobs", {"models/db.py": MODELS})


def test_a_task_runs_in_its_own_process_with_the_apps_models_and_commits(root, app):
    outcome = TaskProcess(root, "jobs", "greet", {"name": "Ada"}).outcome(60)
    assert outcome == Outcome(COMPLETED, {"greeted": "Ada"}, "hello Ada\n", None)
    assert effects(app) == ["Ada"]


def test_a_failing_task_is_rolled_back_and_keeps_its_traceback(root, app):
    outcome = TaskProcess(root, "jobs", "fail_after_writing", {}).outcome(60)
    assert outcome.status == FAILED and "ValueError: task failed" in outcome.traceback
    assert effects(app) == []


def test_a_result_that_is_not_json_fails_the_run(root, app):
    outcome = TaskProcess(root, "jobs", "not_json", {}).outcome(60)
    assert outcome.status == FAILED and "not JSON serializable" in outcome.traceback


def test_a_task_past_its_timeout_is_killed(root, app, tmp_path):
    marker = tmp_path / "pid"
    child = TaskProcess(root, "jobs", "hold", {"marker": str(marker)})
    wait_until(lambda: marker.exists() and marker.read_text(), 60, 0.02, "the task never started")
    outcome = child.outcome(0.05)
    assert outcome.status == TIMEOUT and "timeout" in outcome.log
    assert wait_until(lambda: process_gone(int(marker.read_text())), 30, 0.02)


def test_stopping_a_child_that_has_answered_does_nothing(root, app):
    child = TaskProcess(root, "jobs", "greet", {"name": "Ada"})
    assert child.outcome(60).status == COMPLETED
    child.stop()  # the worker's heartbeat may ask just after the answer came


def test_a_stopped_child_is_killed_and_its_run_stopped(root, app, tmp_path):
    marker = tmp_path / "pid"
    child = TaskProcess(root, "jobs", "hold", {"marker": str(marker)})
    wait_until(lambda: marker.exists() and marker.read_text(), 60, 0.02, "the task never started")
    child.stop()
    outcome = child.outcome(60)
    assert outcome.status == STOPPED and "stop_task" in outcome.traceback
    assert wait_until(lambda: process_gone(int(marker.read_text())), 30, 0.02)


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_a_child_ends_with_its_worker_even_when_the_worker_is_killed(root, app, tmp_path):
    marker = tmp_path / "pid"
    worker = subprocess.Popen(
        [sys.executable, "-c", "import sys; from server.background.task_process import "
         "TaskProcess; TaskProcess(sys.argv[1], 'jobs', 'hold', {'marker': sys.argv[2]})"
         ".outcome(None)", str(root), str(marker)], cwd=SOURCE_ROOT)
    try:
        wait_until(lambda: marker.exists() and marker.read_text(), 60, 0.02,
                   "the task never started")
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.wait(30)
    assert wait_until(lambda: process_gone(int(marker.read_text())), 30, 0.02)


def test_a_child_that_dies_without_answering_is_dead(root, app, tmp_path):
    marker = tmp_path / "pid"
    child = TaskProcess(root, "jobs", "hold", {"marker": str(marker)})
    wait_until(lambda: marker.exists() and marker.read_text(), 60, 0.02, "the task never started")
    os.kill(int(marker.read_text()), signal.SIGKILL)
    outcome = child.outcome(60)
    assert outcome.status == DEAD and "exit code" in outcome.traceback


def test_an_app_whose_models_fail_fails_the_run(root):
    write_app(root, "broken", {"models/db.py": "1 / 0\n"})
    outcome = TaskProcess(root, "broken", "anything", {}).outcome(60)
    assert outcome.status == FAILED and "ZeroDivisionError" in outcome.traceback


def test_call_task_rolls_back_by_raising_through_the_context():
    entered = []

    class Recording:
        def __enter__(self):
            return "environment"

        def __exit__(self, kind, value, traceback):
            entered.append(kind)

    assert call_task(Recording, lambda env: lambda x: (env, x), {"x": 1}) == Outcome(
        COMPLETED, ("environment", 1))
    outcome = call_task(Recording, lambda env: lambda: 1 / 0, {})
    assert outcome.status == FAILED and "ZeroDivisionError" in outcome.log
    assert entered == [None, ZeroDivisionError]


def test_the_log_is_what_was_printed_then_the_traceback():
    assert Outcome(FAILED, None, "one\ntwo\n", "Traceback...").log == "one\ntwo\nTraceback..."
    assert Outcome(COMPLETED, 1, "", None).log == ""
