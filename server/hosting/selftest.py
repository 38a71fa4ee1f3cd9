"""``--selftest``: prove a bundle works by serving the welcome page once, end to end, and by
running scheduler tasks in child processes.

Used after packaging (and in CI) to check that the frozen program finds its apps, imports its
dependencies, binds a port, renders a view through the whole pipeline and releases the port;
and that it can start the scheduler's task processes (a frozen program must re-enter itself for
them: ``multiprocessing.freeze_support()`` in :mod:`pocketweb.launcher`), one that answers and
one killed past its ``timeout``. The tasks run in a throwaway app in a temp folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

SELFTEST_PATH = "/welcome/default/index"
# The welcome index names its own view file; finding it proves models, controller, view ran.
EXPECTED_TEXT = "views/default/index.html"
HOST = "127.0.0.1"
TASK_APP = "selftest_tasks"
TASK_MODELS = """
import os
from gluon.scheduler import Scheduler
db = DAL("sqlite:memory")

def child_pid():
    return os.getpid()

def hold(marker):
    with open(marker + ".tmp", "w") as stream:
        stream.write(str(os.getpid()))
    os.replace(marker + ".tmp", marker)
    import threading
    threading.Event().wait(600)

scheduler = Scheduler(db)
"""
HELD_TIMEOUT = 0.05  # seconds the held task gets once it runs


class SelftestFailure(Exception):
    """One step of the self-test failed; the message says which and why."""


def _fetch(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        raise SelftestFailure(f"GET {url} failed: {exc}") from exc


def _serve_once(root: Path, timeout: float) -> tuple[int, float]:
    """Start a server on a free port, fetch the welcome page, stop; returns (port, seconds)."""
    from server.hosting.httpd import ServerError, WebServer, port_is_free
    from server.wsgi import make_application

    if not (root / "applications" / "welcome").is_dir():
        raise SelftestFailure(f"no welcome application in {root / 'applications'}")
    server = WebServer(make_application(root), HOST, 0, threads=2)
    try:
        server.start()
    except ServerError as exc:
        raise SelftestFailure(str(exc)) from exc
    started = time.perf_counter()
    try:
        status, body = _fetch(server.url + SELFTEST_PATH, timeout)
    finally:
        server.stop()
    elapsed = time.perf_counter() - started
    if status != 200:
        raise SelftestFailure(f"GET {SELFTEST_PATH} answered {status}: {body[:200]!r}")
    if EXPECTED_TEXT not in body:
        raise SelftestFailure(f"GET {SELFTEST_PATH} did not render the welcome page")
    if not port_is_free(HOST, server.port):
        raise SelftestFailure(f"port {server.port} still answers after stop")
    return server.port, elapsed


def _run_tasks(timeout: float) -> str:
    """A task answers from a child process, and a held one is killed past its timeout; what
    happened, in words."""
    from server.background.task_process import COMPLETED, TIMEOUT, TaskProcess

    with tempfile.TemporaryDirectory(prefix="pocketweb-selftest-") as folder:
        root = Path(folder)
        (root / "applications" / TASK_APP / "models").mkdir(parents=True)
        (root / "applications" / TASK_APP / "models" / "db.py").write_text(TASK_MODELS)
        answered = TaskProcess(root, TASK_APP, "child_pid", {}).outcome(timeout)
        if answered.status != COMPLETED or answered.output == os.getpid():
            raise SelftestFailure(f"a scheduler task did not run in a child process: "
                                  f"{answered.status} {answered.log}")
        marker = root / "held"
        held = TaskProcess(root, TASK_APP, "hold", {"marker": str(marker)})
        deadline = time.monotonic() + timeout
        while not marker.exists() and held.process.exitcode is None:
            if time.monotonic() > deadline:
                held.kill()
                raise SelftestFailure(f"a held scheduler task never started within {timeout} s")
            time.sleep(0.02)
        stopped = held.outcome(HELD_TIMEOUT)
        if stopped.status != TIMEOUT:
            raise SelftestFailure(f"a held scheduler task was not killed at its timeout: "
                                  f"{stopped.status} {stopped.log}")
    return (f"a scheduler task ran in child process {answered.output}, one past its timeout "
            f"was killed")


def run_selftest(root: Path, timeout: float = 20.0) -> int:
    """Serve ``/welcome/default/index`` from ``root`` once and run two scheduler tasks in child
    processes; print one line; 0 if it all worked."""
    try:
        port, elapsed = _serve_once(Path(root), timeout)
        tasks = _run_tasks(3 * timeout)
    except Exception as exc:  # any failure, expected or not, is the test's answer
        print(f"selftest FAILED: {exc}", flush=True)
        return 1
    print(f"selftest ok: GET {SELFTEST_PATH} 200 in {elapsed:.2f} s on port {port}, "
          f"port released; {tasks} (Python {sys.version.split()[0]})", flush=True)
    return 0
