"""Helpers for form tests: a request/session/response on ``current`` and a SQLite DAL in tmp."""

from __future__ import annotations

import pytest
from pydal import DAL

from server.current import current
from server.storage import Storage


@pytest.fixture
def web(tmp_path):
    """``current`` set up like a request to an app in ``tmp_path`` (no posted data yet)."""
    app = tmp_path / "app"
    (app / "uploads").mkdir(parents=True)
    current.request = Storage(folder=str(app) + "/", post_vars=Storage(), vars=Storage(),
                              args=[], env=Storage())
    current.session = Storage()
    current.response = Storage(headers={})
    yield current
    for name in ("request", "session", "response"):
        delattr(current, name)


@pytest.fixture
def db(tmp_path):
    """A real SQLite database file in ``tmp_path``."""
    folder = tmp_path / "app" / "databases"
    folder.mkdir(parents=True, exist_ok=True)
    database = DAL("sqlite://storage.sqlite", folder=str(folder))
    yield database
    database.close()

