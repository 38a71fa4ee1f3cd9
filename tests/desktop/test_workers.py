import threading

import shiboken6
from PySide6.QtCore import QThread

from desktop.workers import error_message, run_in_background


def test_result_arrives_in_the_gui_thread_after_running_elsewhere(qtbot):
    ran_in, done = [], []
    gui = QThread.currentThread()

    def work(value):
        ran_in.append(threading.current_thread())
        return value * 2

    def succeeded(result):
        done.append((result, QThread.currentThread()))

    run_in_background(work, 21, on_success=succeeded, on_failure=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [(42, gui)]
    assert ran_in[0] is not threading.main_thread()


def test_exception_becomes_a_failure_message(qtbot):
    failures = []

    def broken():
        raise ValueError("archive is damaged")

    run_in_background(broken, on_success=lambda _r: None, on_failure=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    assert failures == ["archive is damaged"]


def test_message_of_an_exception_without_text_is_its_name():
    assert error_message(KeyError()) == "KeyError"


def test_callbacks_of_a_deleted_owner_are_not_called(qtbot):
    from PySide6.QtCore import QObject

    import desktop.workers as workers

    owner, called = QObject(), []
    release = threading.Event()
    task = run_in_background(release.wait, 5, owner=owner, on_success=called.append,
                             on_failure=called.append)
    shiboken6.delete(owner)
    release.set()
    qtbot.waitUntil(lambda: task not in workers._running)
    assert called == []


def test_database_work_runs_on_its_own_connection_or_in_place_in_memory(qtbot, tmp_path):
    from pydal import DAL, Field
    from pydal._globals import THREAD_LOCAL

    from desktop.workers import is_in_memory, run_on_database

    file_db = DAL("sqlite://f.sqlite", folder=str(tmp_path))
    memory = DAL("sqlite:memory")
    assert not is_in_memory(file_db) and is_in_memory(memory)
    for db in (file_db, memory):
        db.define_table("thing", Field("name"))
        db.thing.insert(name="a")
        db.commit()
    threads, results = [], []

    def count(db):
        threads.append(threading.current_thread())
        results.append((db._adapter.connection is not None,
                        getattr(THREAD_LOCAL, db._adapter._connection_uname_, None) is not None))
        return db(db.thing).count()

    counted = []
    run_on_database(count, memory, on_success=counted.append, on_failure=counted.append)
    assert counted == [1] and threads == [threading.main_thread()]  # in place, at once
    run_on_database(count, file_db, on_success=counted.append, on_failure=counted.append)
    qtbot.waitUntil(lambda: len(counted) == 2)
    assert counted == [1, 1] and threads[1] is not threading.main_thread()
    file_db.close()
    memory.close()


def test_single_read_runs_one_at_a_time_and_asks_for_one_more():
    from desktop.workers import SingleRead

    read = SingleRead()
    assert read.start() and not read.start() and not read.start()
    assert read.finish() is True  # asked for meanwhile: read once more
    assert read.start() and read.finish() is False
