"""Interrupting a thread, and CPython 3.11's pending-exception flag that a withdrawn interrupt
leaves set, which made every traced function entry spin for ever (a debugged request wedged
the server so)."""

import ctypes
import threading

from support import traced_call_returns

from server.hosting.thread_interrupts import clear_stale_flag, raise_in_thread


def withdraw_an_interrupt_never_raised() -> None:
    """What the Shell once did with an interrupt that came too late."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)


def test_a_stale_flag_is_cleared_so_a_traced_call_returns():
    withdraw_an_interrupt_never_raised()
    clear_stale_flag()
    assert traced_call_returns()


def test_an_interrupt_stops_a_loop_in_another_thread():
    stopped, running = threading.Event(), threading.Event()

    def loop():
        try:
            while True:
                running.set()
        except KeyboardInterrupt:
            stopped.set()

    worker = threading.Thread(target=loop, daemon=True)
    worker.start()
    assert running.wait(30)
    raise_in_thread(worker.ident, KeyboardInterrupt)
    assert stopped.wait(30)
    assert traced_call_returns()  # a delivered interrupt leaves no flag behind

