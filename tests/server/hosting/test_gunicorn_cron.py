"""server/hosting/gunicorn_cron.py: the apps' cron under a real gunicorn with four workers runs
each tick's job in one worker only, another worker takes over when that one is killed, and the
@reboot jobs run once for the whole server."""

from __future__ import annotations

import os
import signal
import sys

import pytest
from support import start_gunicorn, stop_gunicorn, wait_until, workers_of, write_app

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

CONFIG = """
from server.hosting import gunicorn_cron
from server.hosting.gunicorn_cron import worker_exit

def post_worker_init(worker):
    gunicorn_cron.start_cron(worker, tick=0.2)
"""
APPEND_PID = "open(request.folder + 'private/{name}.log', 'a').write('%d\\n' % __import__('os').getpid())\n"


def pids(log) -> list[int]:
    return [int(line) for line in log.read_text().split()] if log.exists() else []


def test_one_worker_of_four_runs_cron_and_another_takes_over_when_it_is_killed(root, tmp_path):
    app = write_app(root, "shop", {
        "cron/crontab": "@reboot root **cron/boot.py\n* * * * * root **cron/tick.py\n",
        "cron/boot.py": APPEND_PID.format(name="boot"),
        "cron/tick.py": APPEND_PID.format(name="tick"),
    })
    config = tmp_path / "gunicorn_config.py"
    config.write_text(CONFIG)
    ticks = app / "private" / "tick.log"
    process, _ = start_gunicorn(root, 4, {}, "-c", str(config))
    try:
        wait_until(lambda: len(workers_of(process)) == 4, 60, 0.05, "gunicorn had not 4 workers")
        seen = len(pids(ticks))
        wait_until(lambda: len(pids(ticks)) >= seen + 5, 60, 0.02, "cron never ran")
        (leader,) = set(pids(ticks))  # every tick so far ran in one worker
        assert leader in workers_of(process)
        os.kill(leader, signal.SIGKILL)
        wait_until(lambda: len(set(pids(ticks)) - {leader}) and len(
            [pid for pid in pids(ticks) if pid != leader]) >= 5, 60, 0.02, "nobody took over")
        later = pids(ticks)[pids(ticks).index(next(p for p in pids(ticks) if p != leader)):]
        assert len(set(later)) == 1 and leader not in later  # one new leader, alone
    finally:
        stop_gunicorn(process)
    assert len(pids(app / "private" / "boot.log")) == 1  # one server start, one @reboot run
