"""session_sources: file and database sessions made by real requests, listed, read, deleted."""

from __future__ import annotations

import datetime
import os
import time

import pytest
from pydal import DAL, Field
from pydal._globals import THREAD_LOCAL
from support import Browser, write_app

from server.database_reuse import close_kept
from server.manage import dbinspect
from server.manage.sessions import (
    DatabaseSessions,
    FileSessions,
    delete_session,
    list_sessions,
    read_session,
    session_sources,
    session_table,
)

CONTROLLER = """
def index():
    session.counter = (session.counter or 0) + 1
    return str(session.counter)

def login():
    session.auth = dict(user=dict(id=7))
    return 'in'
"""
DB_MODEL = """
db = DAL('sqlite://storage.sqlite')
session.connect(request, response, db=db)
db.define_table('thing', Field('name'))
"""


def test_file_sessions_only_when_the_app_keeps_files(root, wsgi_server, browser):
    write_app(root, "files", {"controllers/default.py": CONTROLLER,
                              "models/db.py": "db = DAL('sqlite://storage.sqlite')\n"})
    browser.get(wsgi_server(root) + "/files/default/index")
    sources = session_sources(root, "files")
    assert [type(source) for source in sources] == [FileSessions]
    [info] = sources[0].list()
    assert sources[0].read(info.id) == {"counter": 1}


def test_database_sessions_listed_read_and_deleted(root, wsgi_server, browser):
    write_app(root, "shop", {"controllers/default.py": CONTROLLER, "models/db.py": DB_MODEL})
    base = wsgi_server(root) + "/shop/default"
    browser.get(base + "/index")
    browser.get(base + "/index")
    other = Browser()
    other.get(base + "/login")
    files, database = session_sources(root, "shop")
    assert files.list() == []
    assert database.label == "database db (web2py_session_shop)"
    infos = database.list()
    assert sorted(info.user_id for info in infos if info.user_id) == [7]
    counted = next(info for info in infos if info.user_id is None)
    assert database.read(counted.id) == {"counter": 2} and counted.size > 0

    database.delete(counted.id)
    assert [info.user_id for info in database.list()] == [7]
    assert browser.get(base + "/index").text == "1"  # the deleted session is gone for real


def test_delete_expired_database_sessions(root, wsgi_server, browser):
    write_app(root, "shop", {"controllers/default.py": CONTROLLER, "models/db.py": DB_MODEL})
    base = wsgi_server(root) + "/shop/default"
    browser.get(base + "/index")
    Browser().get(base + "/index")
    _files, database = session_sources(root, "shop")
    old, _new = database.list()
    long_ago = datetime.datetime.now() - datetime.timedelta(hours=3)
    database.db(database.table.id == int(old.id)).update(modified_datetime=long_ago)
    database.db.commit()
    assert database.delete_expired(3600) == 1
    assert len(database.list()) == 1


def test_session_table_is_not_created_where_missing(tmp_path):
    db = DAL("sqlite://plain.sqlite", folder=str(tmp_path))
    db.define_table("thing", Field("name"))
    assert session_table(db, "shop") is None
    assert session_table(db, "x; DROP TABLE thing") is None
    assert "web2py_session_shop" not in db.tables and "thing" in db.tables
    db.close()


@pytest.mark.parametrize("bad_id", ["1 or 1=1", "../x", "", "-1"])
def test_bad_record_ids_are_refused(tmp_path, bad_id):
    db = DAL("sqlite://s.sqlite", folder=str(tmp_path))
    db.define_table("web2py_session_a", Field("modified_datetime", "datetime"),
                    Field("created_datetime", "datetime"), Field("session_data", "blob"))
    source = DatabaseSessions(db, session_table(db, "a"), "db")
    with pytest.raises(ValueError, match="not a session record id"):
        source.read(bad_id)
    with pytest.raises(ValueError):
        source.delete(bad_id)
    db.close()


COUNTING_MODEL = """
import os
db = DAL('sqlite://storage.sqlite')
session.connect(request, response, db=db)
other = DAL('sqlite://other.sqlite')
with open(os.path.join(request.folder, 'model_runs.txt'), 'a') as runs:
    runs.write('run\\n')
"""


def model_runs(root, app_name):
    path = root / "applications" / app_name / "model_runs.txt"
    return len(path.read_text().splitlines()) if path.exists() else 0


def is_connected(db):
    return getattr(THREAD_LOCAL, db._adapter._connection_uname_, None) is not None


def open_connections():
    """pydal's connections open on this thread."""
    return sum(1 for name, value in vars(THREAD_LOCAL).items()
               if name.startswith("_pydal_connection_") and value is not None)


def test_databases_already_loaded_are_used_without_running_the_models(root, wsgi_server,
                                                                      browser):
    write_app(root, "shop", {"controllers/default.py": CONTROLLER, "models/db.py": COUNTING_MODEL})
    browser.get(wsgi_server(root) + "/shop/default/index")
    databases = dbinspect.app_databases(root, "shop")
    runs = model_runs(root, "shop")
    files, database = session_sources(root, "shop", databases)
    assert model_runs(root, "shop") == runs
    assert database.db is databases["db"] and database.label == "database db (web2py_session_shop)"
    [info] = database.list()
    assert database.read(info.id) == {"counter": 1}
    assert is_connected(databases["other"])  # the caller's, left open for the caller to close
    for db in databases.values():
        db.close()


def test_models_run_here_leave_open_only_the_session_databases(root, wsgi_server, browser):
    write_app(root, "shop", {"controllers/default.py": CONTROLLER, "models/db.py": COUNTING_MODEL})
    browser.get(wsgi_server(root) + "/shop/default/index")
    close_kept()  # the request's, kept for the next request of this thread
    runs, connections = model_runs(root, "shop"), open_connections()
    _files, database = session_sources(root, "shop")
    assert model_runs(root, "shop") == runs + 1
    assert open_connections() == connections + 1  # ``other`` was closed again
    assert is_connected(database.db) and len(database.list()) == 1
    database.db.close()
    assert open_connections() == connections


def test_file_session_api_lists_reads_and_deletes(root, wsgi_server, browser):
    folder = write_app(root, "files", {"controllers/default.py": CONTROLLER})
    base = wsgi_server(root) + "/files/default"
    browser.get(base + "/login")
    (info,) = list_sessions(folder)
    assert info.user_id == 7 and info.size > 0
    assert isinstance(info.modified, datetime.datetime)
    assert read_session(folder, info.id)["auth"]["user"]["id"] == 7
    delete_session(folder, info.id)
    assert list_sessions(folder) == []
    assert browser.get(base + "/index").text == "1"


def test_file_session_api_refuses_bad_ids(root):
    folder = write_app(root, "files", {"controllers/default.py": CONTROLLER})
    with pytest.raises(ValueError):
        read_session(folder, "../models/db.py")
    with pytest.raises(ValueError):
        delete_session(folder, "../../x")


def test_an_unreadable_session_file_is_a_value_error_and_listed_without_a_user(root):
    folder = write_app(root, "files", {"controllers/default.py": CONTROLLER})
    (folder / "sessions" / ("b" * 32)).write_bytes(b"not a pickle")
    with pytest.raises(ValueError, match="unreadable"):
        read_session(folder, "b" * 32)
    (info,) = list_sessions(folder)
    assert info.user_id is None


def test_only_expired_file_sessions_are_deleted(root, wsgi_server, browser, http):
    folder = write_app(root, "files", {"controllers/default.py": CONTROLLER})
    base = wsgi_server(root) + "/files/default"
    browser.get(base + "/index")
    http(base + "/index")
    old, _new = sorted((folder / "sessions").iterdir())
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert FileSessions(folder).delete_expired(3600) == 1
    assert len(list_sessions(folder)) == 1


REDIS_MODEL = """
import os
from gluon.contrib.redis_utils import RConn
from gluon.contrib.redis_session import RedisSession
session.connect(request, response, db=RedisSession(
    redis_conn=RConn(host='127.0.0.1', port=int(os.environ['SESSIONS_REDIS_PORT'])),
    with_lock=True))
"""


@pytest.fixture
def redis_app(root, redis_url, monkeypatch):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    monkeypatch.setenv("SESSIONS_REDIS_PORT",
                       str(client.connection_pool.connection_kwargs["port"]))
    write_app(root, "shop", {"controllers/default.py": CONTROLLER, "models/db.py": REDIS_MODEL})
    yield client
    client.flushdb()
    client.close()


def test_redis_sessions_are_listed_read_and_deleted_from_redis(root, wsgi_server, redis_app):
    from server.manage.sessions import RedisStoredSessions

    base = wsgi_server(root) + "/shop/default"
    counting, logged_in = Browser(), Browser()
    counting.get(base + "/index")
    counting.get(base + "/index")
    logged_in.get(base + "/login")
    files, stored = session_sources(root, "shop")
    assert isinstance(stored, RedisStoredSessions) and files.list() == []
    assert stored.label == "Redis (w2p:sess:shop:*)"
    infos = {info.user_id: info for info in stored.list()}
    assert set(infos) == {None, 7}  # the locks beside the sessions are not listed
    assert stored.read(infos[None].id) == {"counter": 2}
    assert infos[7].size > 0 and infos[7].modified <= datetime.datetime.now()
    stored.delete(infos[None].id)
    assert [info.user_id for info in stored.list()] == [7]
    assert counting.get(base + "/index").body == b"1"  # the deleted session began again
    with pytest.raises(KeyError):
        stored.read(infos[None].id)
    with pytest.raises(ValueError):
        stored.read("../../etc")


def test_idle_redis_sessions_are_deleted_as_expired(root, wsgi_server, redis_app):
    browser = Browser()
    browser.get(wsgi_server(root) + "/shop/default/index")
    _files, stored = session_sources(root, "shop")
    assert stored.delete_expired(3600) == 0 and len(stored.list()) == 1
    assert stored.delete_expired(-1) == 1 and stored.list() == []


def test_cookie_sessions_are_a_source_that_says_they_cannot_be_listed(root, wsgi_server):
    from server.manage.sessions import CookieSessions

    write_app(root, "shop", {"controllers/default.py": CONTROLLER, "models/db.py":
                             "session.connect(request, response, cookie_key='k' * 16)\n"})
    assert Browser().get(wsgi_server(root) + "/shop/default/index").body == b"1"
    files, cookies = session_sources(root, "shop")
    assert isinstance(cookies, CookieSessions) and files.list() == []
    assert cookies.list() == [] and "browsers" in cookies.unlisted
    with pytest.raises(KeyError, match="browsers"):
        cookies.read("anything")
    with pytest.raises(KeyError, match="browsers"):
        cookies.delete("anything")
    assert cookies.delete_expired(0) == 0
