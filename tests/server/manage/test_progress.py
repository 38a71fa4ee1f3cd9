"""Progress: reports passed on without flooding, a cancel seen by the working thread."""

from __future__ import annotations

import threading

import pytest

from server.manage.progress import Cancelled, Progress


def test_reports_are_spaced_but_the_last_one_always_arrives():
    heard = []
    progress = Progress(lambda done, total: heard.append((done, total)))
    for done in range(1, 1001):
        progress.advance(done, 1000)
    assert heard[0] == (1, 1000) and heard[-1] == (1000, 1000)
    assert len(heard) < 100  # a fast loop reports a few times, not once per unit


def test_an_unknown_total_is_reported_as_none():
    heard = []
    Progress(lambda done, total: heard.append((done, total))).advance(5)
    assert heard == [(5, None)]


def test_cancel_stops_the_next_advance_and_check():
    progress = Progress()
    progress.advance(1, 10)
    progress.cancel()
    assert progress.cancelled
    with pytest.raises(Cancelled):
        progress.advance(2, 10)
    with pytest.raises(Cancelled):
        progress.check()


def test_cancel_from_another_thread_interrupts_what_the_work_registered():
    progress = Progress()
    interrupted = threading.Event()
    with progress.interrupting(interrupted.set):
        worker = threading.Thread(target=progress.cancel)
        worker.start()
        worker.join()
        assert interrupted.is_set()
    again = []
    with progress.interrupting(lambda: again.append("at once")):  # cancelled before: at once
        pass
    assert again == ["at once"]


def test_an_interrupt_is_forgotten_after_its_block_and_a_failing_one_is_ignored():
    progress = Progress()
    called = []
    with progress.interrupting(lambda: called.append("late")):
        pass

    def broken():
        raise RuntimeError("connection closed")

    with progress.interrupting(broken):
        progress.cancel()  # does not raise
    assert called == []
