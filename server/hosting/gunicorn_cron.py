"""The apps' cron under gunicorn: ``gunicorn -c python:server.hosting.gunicorn_cron -w 4
server.wsgi:application`` (with ``POCKETWEB_ROOT``).

This module is a gunicorn configuration file made of two server hooks. Each worker starts a
cron runner after it has loaded the app; the runners of all workers elect one leader, which
alone runs the jobs (``server.background.cron_leader``), so a job runs once per tick, not once
per worker, and another worker takes over when the leader is killed or recycled. The @reboot
jobs run once per start of gunicorn's master. A gunicorn configuration of your own takes the
hooks with ``from server.hosting.gunicorn_cron import post_worker_init, worker_exit``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

TICK_SECONDS = 60.0


def start_cron(worker: Any, tick: float = TICK_SECONDS) -> Any:
    """Start a cron runner in gunicorn ``worker`` for the root its app serves; the runner."""
    from server.background.cron import CronRunner
    from server.paths import default_root

    root = getattr(worker.wsgi, "root", None) or Path(
        os.environ.get("POCKETWEB_ROOT") or default_root())
    runner = CronRunner(root, tick=tick, boot_id=worker.ppid)
    runner.start()
    worker.pocketweb_cron = runner
    return runner


def post_worker_init(worker: Any) -> None:
    """gunicorn's hook, called in each worker once the app is loaded."""
    start_cron(worker)


def worker_exit(server: Any, worker: Any) -> None:
    """gunicorn's hook, called in a worker as it exits: stop checking (the lead is released)."""
    runner = getattr(worker, "pocketweb_cron", None)
    if runner is not None:
        runner.stop()
