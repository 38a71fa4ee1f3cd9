"""Fixtures of the app-management tests."""

import datetime

import pytest
from pydal import DAL, Field
from pydal.validators import IS_INT_IN_RANGE, IS_NOT_EMPTY
from support import SCAFFOLD_FILES, write_app


@pytest.fixture
def scaffolded(root):
    """A root whose welcome app (the scaffold) holds sources and runtime data."""
    write_app(root, "welcome", SCAFFOLD_FILES)
    return root


@pytest.fixture
def db(tmp_path):
    """A SQLite database of three people (one with tags) and their pets."""
    database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    database.define_table(
        "person",
        Field("name", requires=IS_NOT_EMPTY()),
        Field("age", "integer", requires=IS_INT_IN_RANGE(0, 150)),
        Field("active", "boolean"),
        Field("born", "date"),
        Field("tags", "list:string"),
    )
    database.define_table("pet", Field("owner", "reference person"), Field("kind"))
    database.person.bulk_insert([
        {"name": "Alice", "age": 30, "active": True, "born": datetime.date(1994, 5, 1)},
        {"name": "Bob", "age": 40, "active": False},
        {"name": "Anna", "age": 25, "tags": ["x", "y"]},
    ])
    database.commit()
    yield database
    database.close()
