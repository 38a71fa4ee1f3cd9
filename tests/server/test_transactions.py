"""Ending database work: commit, or roll back without hiding the error that caused it."""

from __future__ import annotations

import logging

import pytest
from pydal import DAL, Field

from server.transactions import close_databases, committed, quiet_rollback


@pytest.fixture
def db(tmp_path):
    database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    database.define_table("thing", Field("name"))
    yield database
    database.close()


def test_committed_returns_the_result_and_commits(db, tmp_path):
    new_id = committed(db, lambda: db.thing.insert(name="kept"))
    other = DAL("sqlite://storage.sqlite", folder=str(tmp_path), auto_import=True)
    assert other.thing[new_id].name == "kept"
    other.close()


def test_committed_rolls_back_and_re_raises(db):
    def insert_then_fail():
        db.thing.insert(name="lost")
        raise ValueError("validation")

    with pytest.raises(ValueError, match="validation"):
        committed(db, insert_then_fail)
    assert db(db.thing).count() == 0


class BrokenConnection:
    def rollback(self):
        raise ConnectionError("server went away")


def test_quiet_rollback_swallows_a_broken_connection_and_logs_it(caplog):
    with caplog.at_level(logging.DEBUG, logger="pocketweb.transactions"):
        quiet_rollback(BrokenConnection())
    assert "rollback failed" in caplog.text


def test_committed_keeps_the_operations_error_when_rollback_also_fails():
    connection = BrokenConnection()
    connection.commit = lambda: None

    def fail():
        raise KeyError("the real error")

    with pytest.raises(KeyError, match="the real error"):
        committed(connection, fail)


def test_close_databases_commits_or_rolls_back_this_threads_work(db, tmp_path):
    db.thing.insert(name="committed")
    close_databases(commit=True)
    db.thing.insert(name="rolled back")
    close_databases(commit=False)
    other = DAL("sqlite://storage.sqlite", folder=str(tmp_path), auto_import=True)
    assert [row.name for row in other(other.thing).select()] == ["committed"]
    other.close()


def test_closing_leaves_no_name_per_closed_adapter_on_the_thread(tmp_path):
    """A DAL per request (models) must not leave pydal's per-adapter names on the thread."""
    from pydal._globals import THREAD_LOCAL

    from server.transactions import CONNECTION_NAMES

    def names() -> set[str]:
        return {name for name in vars(THREAD_LOCAL) if name.startswith(CONNECTION_NAMES)}

    before = names()
    databases = []  # kept alive, so each adapter has an id of its own
    for _ in range(5):
        database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
        database.executesql("SELECT 1")
        databases.append(database)
        close_databases(commit=True)
    assert names() == before
    assert databases[0].executesql("SELECT 2") == [(2,)]  # a closed DAL connects again
    close_databases(commit=True)


def test_a_thread_has_opened_databases_from_its_first_dal_until_they_are_closed(tmp_path):
    from server.transactions import opened_databases

    close_databases(commit=False)
    assert not opened_databases()
    database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    database.define_table("thing", Field("name"))
    database.thing.insert(name="kept")
    assert opened_databases()
    close_databases(commit=True)
    assert not opened_databases()
    other = DAL("sqlite://storage.sqlite", folder=str(tmp_path), auto_import=True)
    assert [row.name for row in other(other.thing).select()] == ["kept"]
    other.close()
