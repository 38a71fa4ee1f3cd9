"""``longest_pause()``: how long the Qt event loop went without running, while a block ran.

A 5 ms timer ticks while the block (and whatever it waits for) runs; the longest gap between two
ticks is the longest time the window could not repaint. A gap is only seen when the event loop
runs, so the block should wait with ``qtbot.waitSignal``/``waitUntil``, which spin it.
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from PySide6.QtCore import QTimer


class Pauses:
    def __init__(self):
        self.last = time.perf_counter()
        self.longest = 0.0

    def tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now


@contextmanager
def longest_pause():
    pauses = Pauses()
    timer = QTimer(interval=5, timeout=pauses.tick)
    timer.start()
    try:
        yield pauses
    finally:
        pauses.tick()
        timer.stop()
