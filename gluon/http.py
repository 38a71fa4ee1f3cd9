"""web2py's ``gluon.http``."""

from server.http import HTTP, redirect  # noqa: F401
