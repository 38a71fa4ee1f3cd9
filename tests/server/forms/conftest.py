"""Helpers for form tests: a request/session/response on ``current`` and a SQLite DAL in tmp."""

from __future__ import annotations

import pytest
from pydal import DAL, Field
from pydal.validators import IS_EMPTY_OR, IS_IN_SET, IS_NOT_EMPTY

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


@pytest.fixture
def tables(db):
    """SQLFORM's tests' tables: ``thing``, a field of every type, and the ``owner`` it refers to."""
    db.define_table("owner", Field("name", length=20), format="%(name)s")
    db.define_table(
        "thing",
        Field("title", length=10, requires=IS_NOT_EMPTY(), comment="short"),
        Field("body", "text"),
        Field("flag", "boolean"),
        Field("qty", "integer"),
        Field("price", "double"),
        Field("cost", "decimal(10,2)"),
        Field("day", "date"),
        Field("moment", "datetime"),
        Field("at", "time"),
        Field("secret", "password"),
        Field("doc", "upload"),
        Field("tags", "list:string"),
        Field("owner", "reference owner"),
        Field("friends", "list:reference owner"),
        Field("color", requires=IS_EMPTY_OR(IS_IN_SET(["red", "blue"]))),
        Field("hidden_note", readable=False, writable=False, default="n"),
    )
    db.owner.insert(name="Ann")
    db.owner.insert(name="Bob")
    db.commit()
    return db
