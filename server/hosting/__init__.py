"""Putting the framework on the air: the cheroot server, the command line, the portable root
folder, the admin password and the self-test. The desktop starts and stops servers through here."""

from __future__ import annotations

import logging
from collections.abc import Callable

from server import __version__ as VERSION
from server.options import ServerOptions

__all__ = ["VERSION", "ServerOptions", "on_routes_problem"]
ROUTES_LOG = "pocketweb.routes"  # where server.rewrite reports a routes.py it could not load


def on_routes_problem(callback: Callable[[str], None]) -> Callable[[], None]:
    """Call ``callback(message)`` each time a ``routes.py`` cannot be loaded (from the thread
    that found out: a request's, or the one making the app); returns what stops the calls.
    The window shows these messages; without a listener they are printed."""

    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            callback(record.getMessage())

    handler = Forward(logging.ERROR)
    logger = logging.getLogger(ROUTES_LOG)
    logger.addHandler(handler)
    return lambda: logger.removeHandler(handler)
