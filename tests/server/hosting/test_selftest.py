"""The self-test against real roots: a real server, a real fetch, a real port released."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from support import copy_welcome, write_app

from server import paths
from server.hosting import selftest
from server.hosting.httpd import port_is_free
from server.hosting.selftest import EXPECTED_TEXT, run_selftest


def reported_port(output: str) -> int:
    return int(re.search(r"on port (\d+)", output).group(1))


def test_selftest_passes_on_a_working_welcome_and_frees_the_port(root, capsys):
    write_app(root, "welcome", {
        "controllers/default.py": f"def index():\n    return 'rendered {EXPECTED_TEXT}'\n",
    })
    assert run_selftest(root) == 0
    output = capsys.readouterr().out
    assert output.startswith("selftest ok: GET /welcome/default/index 200")
    assert output.count("\n") == 1
    assert port_is_free("127.0.0.1", reported_port(output))


def test_selftest_passes_on_the_shipped_welcome_app(tmp_path, capsys):
    copy_welcome(tmp_path)
    assert run_selftest(tmp_path) == 0, capsys.readouterr().out


def test_selftest_runs_a_task_in_a_child_process_and_kills_one_past_its_timeout(root, capsys):
    copy_welcome(root)
    assert run_selftest(root) == 0
    output = capsys.readouterr().out
    child = int(re.search(r"a scheduler task ran in child process (\d+)", output).group(1))
    assert child != os.getpid()
    assert "one past its timeout was killed" in output


@pytest.mark.parametrize("models, message", [
    ("raise RuntimeError('no scheduler here')\n", "a scheduler task did not run in a child"),
    (selftest.TASK_MODELS.replace("threading.Event().wait(600)", "pass"),
     "a held scheduler task was not killed at its timeout"),
], ids=["models fail", "task ends at once"])
def test_selftest_fails_when_tasks_cannot_run_or_be_killed(root, capsys, monkeypatch, models,
                                                            message):
    copy_welcome(root)
    monkeypatch.setattr(selftest, "TASK_MODELS", models)
    assert run_selftest(root) == 1
    assert message in capsys.readouterr().out


def test_selftest_fails_without_welcome(root, capsys):
    assert run_selftest(root) == 1
    assert "selftest FAILED: no welcome application" in capsys.readouterr().out


@pytest.mark.parametrize("controller, message", [
    ("def index():\n    raise RuntimeError('broken on purpose')\n", "answered 500"),
    ("def index():\n    return 'some other page'\n", "did not render the welcome page"),
])
def test_selftest_fails_on_a_broken_welcome(root, capsys, controller, message):
    write_app(root, "welcome", {"controllers/default.py": controller})
    assert run_selftest(root) == 1
    assert message in capsys.readouterr().out


def test_main_py_selftest_in_a_subprocess(tmp_path):
    """The flag end to end, from another working directory, as the packaged program runs it."""
    copy_welcome(tmp_path / "root")
    finished = subprocess.run(
        [sys.executable, str(paths.SOURCE_ROOT / "main.py"), "--selftest",
         "--folder", str(tmp_path / "root")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert finished.stdout.startswith("selftest ok")
