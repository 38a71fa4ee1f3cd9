"""gluon.scheduler: web2py's import path and status names."""

from gluon.scheduler import COMPLETED, QUEUED, Scheduler
from server.background.scheduler import Scheduler as PocketwebScheduler


def test_names():
    assert Scheduler is PocketwebScheduler and (QUEUED, COMPLETED) == ("QUEUED", "COMPLETED")
