"""A DAL made again after a unit of work ends reuses its thread's adapter (and SQLite
connection) only where nothing could tell: real SQLite files, real threads, real PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from pydal import DAL as PlainDAL
from pydal import Field
from pydal.connection import ConnectionPool
from support import write_app

import server.database_reuse
from server.dal import DAL
from server.database_reuse import KEPT, close_kept
from server.transactions import close_databases

URI = "sqlite://storage.sqlite"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A databases folder set for this thread, as run_models sets the app's; nothing is kept
    from other tests."""
    KEPT.by_key.clear()
    ConnectionPool.set_folder(str(tmp_path))
    yield tmp_path
    close_databases(commit=False)
    KEPT.by_key.clear()


def thing_db(uri: str = URI, **options) -> DAL:
    db = DAL(uri, **options)
    db.define_table("thing", Field("name"))
    return db


def names(db) -> list[str]:
    return [row.name for row in db(db.thing).select(orderby=db.thing.id)]


def test_the_next_dal_of_the_same_arguments_gets_the_adapter_and_its_own_state(folder):
    first = thing_db()
    adapter, connection = first._adapter, first._adapter.connection
    close_databases(commit=True)
    second = DAL(URI)
    assert second._adapter is adapter and adapter.db is second
    assert second._adapter.connection is connection
    assert second.tables == [] and "thing" not in second.__dict__
    fresh = PlainDAL(URI)
    assert set(vars(second)) - {"_reuse", "_deferred", "_grouping"} == set(vars(fresh))
    for name, value in vars(second).items():
        if isinstance(value, (list, dict)) and name not in ("_drivers_available",):
            assert value is not vars(first)[name], name
    second.define_table("thing", Field("name"))
    assert first.tables == ["thing"] and second.tables == ["thing"]
    fresh.close()


def test_each_unit_of_work_commits_or_rolls_back_its_own_transaction(folder):
    db = thing_db()
    db.thing.insert(name="kept")
    close_databases(commit=True)
    db = thing_db()
    db.thing.insert(name="lost")
    close_databases(commit=False)  # a failing request
    db = thing_db()
    assert not db._adapter.connection.in_transaction  # nothing carried over
    assert names(db) == ["kept"]
    with sqlite3.connect(folder / "storage.sqlite") as other:
        assert [row[0] for row in other.execute("SELECT name FROM thing")] == ["kept"]


def test_two_folders_or_two_uris_never_share_an_adapter(folder, tmp_path_factory):
    first = thing_db()
    first.thing.insert(name="first app")
    close_databases(commit=True)
    other_app = tmp_path_factory.mktemp("other_app")
    ConnectionPool.set_folder(str(other_app))
    second = thing_db()
    assert second._adapter is not first._adapter and names(second) == []
    other_uri = thing_db("sqlite://other.sqlite")
    assert other_uri._adapter not in (first._adapter, second._adapter)
    close_databases(commit=True)
    ConnectionPool.set_folder(str(folder))
    assert names(thing_db()) == ["first app"]


def test_two_dals_in_one_unit_of_work_have_two_adapters(folder):
    first, second = thing_db(), thing_db()
    assert first._adapter is not second._adapter
    close_databases(commit=True)
    again = {id(thing_db()._adapter), id(thing_db()._adapter)}
    assert again == {id(first._adapter), id(second._adapter)}


def test_another_thread_never_gets_this_threads_adapter(folder):
    mine = thing_db()
    mine.thing.insert(name="mine")
    close_databases(commit=True)
    seen = {}

    def work() -> None:
        ConnectionPool.set_folder(str(folder))
        db = thing_db()
        seen["adapter"], seen["names"] = db._adapter, names(db)
        close_databases(commit=True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(30)
    assert seen["adapter"] is not mine._adapter and seen["names"] == ["mine"]
    assert thing_db()._adapter is mine._adapter


def test_an_in_memory_database_starts_empty_every_time(folder):
    db = thing_db("sqlite:memory")
    db.thing.insert(name="gone")
    close_databases(commit=True)
    again = thing_db("sqlite:memory")
    assert again._adapter is not db._adapter and names(again) == []


def test_a_database_file_replaced_between_units_is_the_one_read(folder):
    db = thing_db()
    db.thing.insert(name="old file")
    close_databases(commit=True)
    replacement = folder / "replacement.sqlite"
    with sqlite3.connect(replacement) as other:
        other.execute("CREATE TABLE thing (id INTEGER PRIMARY KEY AUTOINCREMENT, name CHAR(512))")
        other.execute("INSERT INTO thing (name) VALUES ('new file')")
    os.replace(replacement, folder / "storage.sqlite")
    again = thing_db()
    assert again._adapter is db._adapter and names(again) == ["new file"]


def test_a_deleted_database_file_makes_a_new_adapter(folder):
    db = thing_db()
    close_databases(commit=True)
    (folder / "storage.sqlite").unlink()
    for table_file in folder.glob("*.table"):
        table_file.unlink()
    again = thing_db()
    assert again._adapter is not db._adapter
    again.thing.insert(name="recreated")
    assert names(again) == ["recreated"]


def test_a_connection_whose_commit_fails_is_closed_and_not_kept(folder):
    db = thing_db()
    db.thing.insert(name="x")
    db._adapter.connection.close()  # the commit at the end fails
    close_databases(commit=True)
    assert thing_db()._adapter is not db._adapter


def test_closing_the_kept_connections_closes_them_and_forgets_their_adapters(folder):
    db = thing_db()
    connection = db._adapter.connection
    close_databases(commit=True)
    close_kept()
    with pytest.raises(sqlite3.ProgrammingError):
        connection.execute("SELECT 1")
    assert thing_db()._adapter is not db._adapter


def test_where_open_files_cannot_be_deleted_the_adapter_is_kept_but_its_file_closed(folder,
                                                                                    monkeypatch):
    """As on Windows: the database file is free between units of work (the window can delete
    or rename the app), and the next DAL still gets the prepared adapter."""
    monkeypatch.setattr(server.database_reuse, "KEEP_FILES_OPEN", False)
    db = thing_db()
    db.thing.insert(name="saved")
    connection = db._adapter.connection
    close_databases(commit=True)
    with pytest.raises(sqlite3.ProgrammingError):
        connection.execute("SELECT 1")
    again = thing_db()
    assert again._adapter is db._adapter and again._adapter.connection is not connection
    assert names(again) == ["saved"]


def test_a_schema_changed_by_another_connection_is_seen_before_migrating(folder):
    DAL(URI).define_table("thing", Field("name"), Field("size", "integer"))
    close_databases(commit=True)
    with sqlite3.connect(folder / "storage.sqlite") as other:  # a tool drops the column
        other.execute("ALTER TABLE thing DROP COLUMN size")
    for table_file in folder.glob("*_thing.table"):
        table_file.unlink()  # and its record: the next definition creates the table anew
    db = DAL(URI, migrate=True, fake_migrate=True)
    db.define_table("thing", Field("name"))
    close_databases(commit=True)
    db = DAL(URI)
    db.define_table("thing", Field("name"), Field("size", "integer"))  # adds "size" again
    db.thing.insert(name="n", size=2)
    assert db(db.thing).select().first().size == 2


def test_requests_of_one_app_share_the_connection_and_see_each_others_commits(root):
    import urllib.request

    from support import call_wsgi, wsgi_environ

    from server.wsgi import make_application

    write_app(root, "a", {
        "models/db.py": 'db = DAL("sqlite://storage.sqlite")\n'
                        'db.define_table("thing", Field("name"), Field("at", "datetime",'
                        ' default=request.now))\n',
        "controllers/default.py": "def add():\n"
                                  "    db.thing.insert(name=request.controller)\n"
                                  "    return '%d %d' % (id(db._adapter.connection),"
                                  " db(db.thing).count())\n"
                                  "def fail():\n"
                                  "    db.thing.insert(name='lost')\n"
                                  "    raise RuntimeError('after the insert')\n"})
    app = make_application(root, change_check_interval=0)

    def get(path: str) -> tuple[str, str]:
        request = urllib.request.Request("http://127.0.0.1" + path)
        status, _, body = call_wsgi(app, wsgi_environ(request))
        return status, body.decode()

    first = get("/a/default/add")[1].split()
    assert get("/a/default/fail")[0].startswith("500")
    second = get("/a/default/add")[1].split()
    assert first[0] == second[0] and (first[1], second[1]) == ("1", "2")


def test_a_postgresql_connection_killed_by_the_server_is_replaced(postgres_uri):
    """pydal's own pool (pool_size) hands out connections it has checked are alive."""
    import psycopg2

    KEPT.by_key.clear()
    db = DAL(postgres_uri, pool_size=1)
    db.define_table("reuse_thing", Field("name"))
    db.reuse_thing.insert(name="before")
    backend = db.executesql("SELECT pg_backend_pid()")[0][0]
    close_databases(commit=True)
    killer = psycopg2.connect(postgres_uri.replace("postgres://", "postgresql://"))
    killer.autocommit = True
    killer.cursor().execute("SELECT pg_terminate_backend(%s)", (backend,))
    killer.close()
    again = DAL(postgres_uri, pool_size=1)
    again.define_table("reuse_thing", Field("name"))
    assert again._adapter is db._adapter
    assert [row.name for row in again(again.reuse_thing).select()] == ["before"]
    assert again.executesql("SELECT pg_backend_pid()")[0][0] != backend
    again.reuse_thing.drop()
    close_databases(commit=True)
    KEPT.by_key.clear()

