"""``finished_later(signal)``: proof that work started by a call is done off the GUI thread.

Work done on the GUI thread emits its "done" signal before the call that started it returns.
Work handed to a worker can only be reported (a queued signal) once the event loop runs again,
so after the call returns the signal has not arrived yet. This holds however loaded the machine
is, unlike timing how long the event loop paused.
"""

from __future__ import annotations

from contextlib import contextmanager

#: How long a test waits for the admin password's hash (pbkdf2 at 210,000 rounds, made on a
#: worker thread): a quarter of a second on an idle machine, over five (pytest-qt's default
#: wait) on a loaded one. A wait that long costs nothing when the hash comes sooner.
HASH_WAIT_MS = 60000


@contextmanager
def finished_later(qtbot, signal, timeout: int = 60000):
    """``with finished_later(qtbot, widget.done): widget.start()``: the block must return
    before ``signal`` arrives; then wait (spinning the event loop) until it does."""
    arrived = []
    signal.connect(lambda *values: arrived.append(values))
    yield arrived
    assert arrived == [], "the work was done before the call returned: on the GUI thread"
    qtbot.waitUntil(lambda: bool(arrived), timeout=timeout)
