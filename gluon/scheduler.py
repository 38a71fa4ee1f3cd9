"""web2py's ``gluon.scheduler``: ``Scheduler`` and the status names of its tables."""

from server.background.scheduler import Scheduler
from server.background.scheduler_tables import (
    ACTIVE,
    ASSIGNED,
    COMPLETED,
    DISABLED,
    EXPIRED,
    FAILED,
    KILL,
    QUEUED,
    RUNNING,
    STOPPED,
    TERMINATE,
    TIMEOUT,
)

__all__ = ["ACTIVE", "ASSIGNED", "COMPLETED", "DISABLED", "EXPIRED", "FAILED", "KILL", "QUEUED",
           "RUNNING", "STOPPED", "Scheduler", "TERMINATE", "TIMEOUT"]
