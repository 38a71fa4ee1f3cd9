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


def test_memory_is_bounded_stale_keys_first_then_the_oldest():
    clock = Clock()
    throttle = LoginThrottle(clock, max_keys=100)
    for _ in range(3):
        throttle.failed(["user:victim"], **OPTIONS)  # locked, and must stay locked
    clock.now += 61  # the victim's failures are outside the window, its lock is not
    throttle._locked_until["user:victim"] = clock.now + 50
    for n in range(1000):  # random names
        throttle.failed([f"user:random{n}"], **OPTIONS)
        clock.now += 0.001
    assert len(throttle._failures) <= 101
    assert throttle.wait_seconds(["user:victim"]) > 0
    assert throttle.wait_seconds(["user:random999"]) == 0  # recent ones are kept, not locked
    assert "user:random999" in throttle._failures and "user:random0" not in throttle._failures
