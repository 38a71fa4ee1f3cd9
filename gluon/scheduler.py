"""web2py's ``gluon.scheduler``: ``from gluon.scheduler import Scheduler``."""

from server.scheduler import Scheduler  # noqa: F401
