"""The failed-login throttle, driven by a clock the test moves."""

from __future__ import annotations

from server.auth.throttle import LoginThrottle


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


OPTIONS = dict(max_failures=3, window=60, delay=10, max_delay=100)


def test_locks_after_max_failures_within_the_window():
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(2):
        throttle.failed(["ip:a"], **OPTIONS)
    assert throttle.wait_seconds(["ip:a"]) == 0
    throttle.failed(["ip:a"], **OPTIONS)
    assert throttle.wait_seconds(["ip:a"]) == 10
    assert throttle.wait_seconds(["ip:b"]) == 0
    clock.now += 10.5
    assert throttle.wait_seconds(["ip:a"]) == 0


def test_delay_doubles_with_each_further_failure_up_to_the_cap():
    clock = Clock()
    throttle = LoginThrottle(clock)
    waits = []
    for _ in range(7):
        throttle.failed(["user:bob"], **OPTIONS)
        waits.append(throttle.wait_seconds(["user:bob"]))
    assert waits == [0, 0, 10, 20, 40, 80, 100]


def test_old_failures_leave_the_window():
    clock = Clock()
    throttle = LoginThrottle(clock)
    throttle.failed(["k"], **OPTIONS)
    throttle.failed(["k"], **OPTIONS)
    clock.now += 61
    throttle.failed(["k"], **OPTIONS)
    assert throttle.wait_seconds(["k"]) == 0


def test_success_forgets_failures():
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(3):
        throttle.failed(["k"], **OPTIONS)
    throttle.succeeded(["k"])
    assert throttle.wait_seconds(["k"]) == 0
    throttle.failed(["k"], **OPTIONS)
    assert throttle.wait_seconds(["k"]) == 0
