"""web2py's ``gluon.contrib.redis_utils``: ``RConn``, one Redis client per app."""

from server.backends.redis_connection import redis_connection as RConn  # noqa: N812 - web2py's name

__all__ = ["RConn"]
