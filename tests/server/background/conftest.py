"""Fixtures of the background tests: a clock that moves only when a test moves it."""

from __future__ import annotations

import datetime

import pytest


class SteppedClock:
    """An injectable clock (naive UTC, as the scheduler's): timing rules are judged at exact
    instants, however loaded the machine. It starts a day ahead of the real clock, so runs it
    schedules never fall due in real time for pydal's own claim."""

    def __init__(self) -> None:
        real = datetime.datetime.now(datetime.UTC).replace(tzinfo=None, microsecond=0)
        self.now = real + datetime.timedelta(days=1)

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, seconds: float) -> datetime.datetime:
        self.now += datetime.timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock() -> SteppedClock:
    return SteppedClock()
