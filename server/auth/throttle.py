"""Slows down password guessing: too many failed logins from one client or for one account
within a window lock further attempts for a delay that doubles with every new failure.

The state is per process and shared by all requests (Auth objects are re-created for every
request), so a lock-out holds across requests without ever sleeping in a worker thread. It is
bounded: past ``max_keys`` keys, those with nothing recent are forgotten, then the oldest, so a
client inventing account names cannot make it grow without end.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Collection


class LoginThrottle:
    """Counts failures per key (``"ip:1.2.3.4"``, ``"user:bob"``) and says how long to wait."""

    def __init__(self, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self._clock = clock
        self.max_keys = max_keys
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, keys: Collection[str]) -> int:
        """Seconds until any of ``keys`` may try again; 0 when none is locked."""
        now = self._clock()
        with self._lock:
            waits = [self._locked_until.get(key, 0) - now for key in keys]
        longest = max(waits, default=0)
        return int(longest + 0.999) if longest > 0 else 0

    def failed(self, keys: Collection[str], max_failures: int, window: float, delay: float,
               max_delay: float) -> None:
        """Record one failure for every key; lock the keys that went over ``max_failures``."""
        now = self._clock()
        with self._lock:
            for key in keys:
                recent = [t for t in self._failures.get(key, []) if now - t < window]
                recent.append(now)
                self._failures[key] = recent
                over = len(recent) - max_failures
                if over >= 0:
                    self._locked_until[key] = now + min(delay * 2 ** over, max_delay)
            if len(self._failures) > self.max_keys:
                self._prune(now, window)

    def _prune(self, now: float, window: float) -> None:
        """Forget keys with no failure inside the window and no lock; then the oldest, locked
        ones last (flooding names must not lift a lock)."""
        for key in [k for k, times in self._failures.items()
                    if now - times[-1] >= window and self._locked_until.get(k, 0) <= now]:
            self._forget(key)
        if len(self._failures) > self.max_keys:
            by_age = sorted(self._failures, key=lambda k: (self._locked_until.get(k, 0) > now,
                                                          self._failures[k][-1]))
            for key in by_age[:len(self._failures) - self.max_keys]:
                self._forget(key)

    def _forget(self, key: str) -> None:
        self._failures.pop(key, None)
        self._locked_until.pop(key, None)

    def succeeded(self, keys: Collection[str]) -> None:
        """A correct login forgets the failures of these keys."""
        with self._lock:
            for key in keys:
                self._forget(key)


LOGIN_THROTTLE = LoginThrottle()
