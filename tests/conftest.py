"""Shared fixtures: real root folders in temp dirs, real apps, a real cheroot server on a free port."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from support import Browser, fetch, write_app  # noqa: F401 - write_app re-exported for old imports

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def root(tmp_path) -> Path:
    """An empty Pocketweb root folder (holds ``applications/``)."""
    (tmp_path / "applications").mkdir()
    return tmp_path


@pytest.fixture
def live_server():
    """Start a real cheroot server for a root folder: ``base_url = live_server(root, **options)``.

    Every server started is stopped at teardown.
    """
    from server.httpd import WebServer
    from server.wsgi import make_application

    servers = []

    def start(root_folder: Path, **options) -> str:
        server = WebServer(make_application(Path(root_folder), **options), "127.0.0.1", 0)
        server.start()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def http():
    """The plain one-shot HTTP function (no cookies): ``http(url, data=..., headers=...)``."""
    return fetch


@pytest.fixture
def browser() -> Browser:
    """A fresh cookie-keeping client."""
    return Browser()
