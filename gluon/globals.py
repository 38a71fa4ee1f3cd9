"""web2py's ``gluon.globals``: the request, response and session classes and ``current``."""

from server.current import current  # noqa: F401
from server.request import Request  # noqa: F401
from server.response import Response  # noqa: F401
from server.sessions import Session  # noqa: F401
