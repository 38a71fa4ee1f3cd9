"""server/background/cron_leader.py: one cron leader per root, taken over when its process ends
(real files, real locks, a real process killed with SIGKILL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

from support import wait_until

from server.background.cron_leader import FILE_NAME, CronLeadership
from server.paths import SOURCE_ROOT


def test_one_leader_at_a_time_and_the_next_once_it_lets_go(tmp_path):
    first, second = CronLeadership(tmp_path), CronLeadership(tmp_path)
    assert first.try_acquire() and first.held
    assert not second.try_acquire() and not second.held
    first.release()
    assert second.try_acquire()
    second.release()


def test_reboot_jobs_run_once_per_boot_id(tmp_path):
    leader = CronLeadership(tmp_path, boot_id=41)
    assert leader.try_acquire()
    assert leader.claim_reboot() and not leader.claim_reboot()
    leader.release()
    successor = CronLeadership(tmp_path, boot_id=41)  # a worker of the same master taking over
    assert successor.try_acquire() and not successor.claim_reboot()
    successor.release()
    restarted = CronLeadership(tmp_path, boot_id=42)
    assert restarted.try_acquire() and restarted.claim_reboot()
    restarted.release()
    assert (tmp_path / FILE_NAME).read_text() == "42"


def test_only_the_leader_may_claim_the_reboot_jobs(tmp_path):
    try:
        CronLeadership(tmp_path).claim_reboot()
    except RuntimeError as error:
        assert "leader" in str(error)
    else:
        raise AssertionError("claimed without leading")


def test_the_default_boot_id_is_this_process(tmp_path):
    assert CronLeadership(tmp_path).boot_id == str(os.getpid())


def test_waiting_for_the_lead_ends_when_stopped(tmp_path):
    holder = CronLeadership(tmp_path)
    assert holder.try_acquire()
    stop = threading.Event()
    answers = []
    waiter = threading.Thread(target=lambda: answers.append(
        CronLeadership(tmp_path).acquire(stop, retry=60)))
    waiter.start()
    began = time.monotonic()
    stop.set()
    waiter.join(10)
    assert answers == [False] and time.monotonic() - began < 5
    holder.release()


def test_the_lead_of_a_killed_process_is_taken_over(tmp_path):
    marker = tmp_path / "leading"
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, threading, pathlib; "
         "from server.background.cron_leader import CronLeadership; "
         "lead = CronLeadership(sys.argv[1]); assert lead.try_acquire(); "
         "pathlib.Path(sys.argv[2]).write_text('yes'); threading.Event().wait(120)",
         str(tmp_path), str(marker)], cwd=SOURCE_ROOT)
    try:
        wait_until(marker.exists, 60, 0.02, "the other process never led")
        successor = CronLeadership(tmp_path)
        assert not successor.try_acquire()
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(30)
        stop = threading.Event()
        give_up = threading.Timer(30, stop.set)  # an upper bound, not a wait
        give_up.start()
        assert successor.acquire(stop, retry=0.02)
        give_up.cancel()
        successor.release()
    finally:
        holder.kill()
        holder.wait(30)
