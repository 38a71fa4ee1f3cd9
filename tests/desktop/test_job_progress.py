"""JobProgress: a bar moved from a worker's thread, Cancel reaching the work."""

from __future__ import annotations

import threading

from desktop.job_progress import JobProgress, amount


def test_amounts_read_as_rows_or_sizes():
    assert amount(1234, "rows") == "1,234 rows"
    assert amount(512, "bytes") == "512 bytes"
    assert amount(5 * 1024 * 1024, "bytes") == "5.0 MB"
    assert amount(7, "") == "7"


def test_hidden_until_started_then_busy_until_the_work_reports(qtbot):
    bar = JobProgress("Import")
    qtbot.addWidget(bar)
    assert bar.isHidden() and not bar.running
    bar.start("Importing…", "bytes")
    assert not bar.isHidden() and bar.running
    assert (bar.bar.minimum(), bar.bar.maximum()) == (0, 0)  # busy: no total yet
    assert bar.cancel_button.accessibleName() == "Cancel: Import"


def test_reports_from_a_worker_thread_move_the_bar(qtbot):
    bar = JobProgress("Import")
    qtbot.addWidget(bar)
    progress = bar.start("Importing…", "bytes")
    worker = threading.Thread(target=lambda: progress.advance(1024 * 1024, 4 * 1024 * 1024))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bar.bar.value() == 250)
    assert bar.bar.format() == "1.0 MB of 4.0 MB"
    assert "1.0 MB of 4.0 MB" in bar.bar.accessibleDescription()


def test_cancel_reaches_the_work_and_is_said(qtbot):
    bar = JobProgress("Import")
    qtbot.addWidget(bar)
    progress = bar.start("Importing…")
    with qtbot.waitSignal(bar.cancelRequested):
        bar.cancel_button.click()
    assert progress.cancelled and not bar.cancel_button.isEnabled()
    assert bar.label.text().startswith("Cancelling")
    bar.finish()
    assert bar.isHidden() and not bar.running


def test_work_without_a_progress_hears_of_the_cancel_by_signal(qtbot):
    bar = JobProgress("Models")
    qtbot.addWidget(bar)
    bar.follow(None, "Reading…")
    with qtbot.waitSignal(bar.cancelRequested):
        bar.cancel_button.click()


def test_reports_of_an_ended_job_do_not_move_the_next(qtbot):
    bar = JobProgress("Import")
    qtbot.addWidget(bar)
    old = bar.start("First…")
    bar.finish()
    bar.start("Second…")
    old.advance(5, 10)
    fresh = bar.start("Third…")
    fresh.advance(1, 10)
    qtbot.waitUntil(lambda: bar.bar.value() == 100)
    assert bar.bar.format() == "1 of 10"


def test_work_outliving_its_closed_panel_goes_on_unwatched(qtbot):
    import shiboken6

    bar = JobProgress("Import")
    progress = bar.start("Importing…")
    shiboken6.delete(bar)
    errors = []
    worker = threading.Thread(target=lambda: _advance_noting(progress, errors))
    worker.start()
    worker.join()
    assert errors == []


def _advance_noting(progress, errors):
    try:
        progress.advance(1, 2)
    except Exception as error:  # what the work would have died of
        errors.append(error)
