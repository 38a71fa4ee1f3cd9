import threading

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
