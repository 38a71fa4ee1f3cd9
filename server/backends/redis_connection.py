"""One Redis client per app and connection settings (web2py's ``RConn``), shared by threads.

The ``redis`` package keeps a connection pool inside each client, so reusing one client is what
makes an app's requests share connections instead of opening one each.
"""

from __future__ import annotations

import threading
from typing import Any

import redis

from server.current import current

_CLIENTS: dict[tuple, redis.Redis] = {}
_GUARD = threading.Lock()


def redis_connection(application: str | None = None, *args: Any,
                     **kwargs: Any) -> redis.Redis:
    """The client for ``application`` (the current request's app by default) and these
    settings (``host``, ``port``, ``db``, ``password`` ... as ``redis.Redis`` takes them)."""
    if application is None:
        application = current.request.application
    key = (application, args, tuple(sorted(kwargs.items())))
    with _GUARD:
        client = _CLIENTS.get(key)
        if client is None:
            client = _CLIENTS[key] = redis.Redis(*args, **kwargs)
        return client
