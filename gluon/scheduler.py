"""web2py's ``gluon.scheduler``: ``from gluon.scheduler import Scheduler``."""

from server.background.scheduler import Scheduler  # noqa: F401
