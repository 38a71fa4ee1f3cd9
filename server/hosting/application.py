"""The WSGI application a server hosts for a root folder: what the desktop's Start serves.

Imported late by callers that start quickly (the window): the framework is the heavy part.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from server.options import ServerOptions


def hosted_application(root: Path, options: ServerOptions | None = None) -> Any:
    """The framework's WSGI callable serving ``root/applications`` with ``options``."""
    from server.wsgi import make_application

    return make_application(Path(root), options)
