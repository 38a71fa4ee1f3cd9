"""Pocketweb's DAL keeps web2py's contract (models run, and migrate, on every request) while
reading ``.table`` files only when they change: real apps, real requests, real SQLite."""

from __future__ import annotations

import pickle
import sqlite3
import sys
import threading
from pathlib import Path

from pydal.migrator import InDBMigrator
from support import assert_answer, write_app

from server.dal import DAL, MigrationFiles, RememberingMigrator

THING_MODEL = 'db = DAL("sqlite://storage.sqlite")\ndb.define_table("thing", Field("name"))\n'
GROWN_MODEL = ('db = DAL("sqlite://storage.sqlite")\n'
               'db.define_table("thing", Field("name"), Field("size", "integer"))\n')
CONTROLLER = '''
def columns():
    return " ".join(db.thing.fields)

def add():
    db.thing.insert(name="one")
    return str(db(db.thing).count())

def add_then_fail():
    db.thing.insert(name="lost")
    raise RuntimeError("after the insert")

def count():
    return str(db(db.thing).count())

def where():
    return seen

def change():
    db.thing.name.writable = request.vars.writable == "yes"
    db.thing._before_insert.append(lambda fields: None)
    import sys
    sys.pocketweb_test_barrier.wait(10)
    return "%s %d" % (db.thing.name.writable, len(db.thing._before_insert))

def attributes():
    return "%s %d" % (db.thing.name.writable, len(db.thing._before_insert))
'''


def thing_app(root: Path, model: str = THING_MODEL) -> Path:
    return write_app(root, "a", {"models/db.py": model, "controllers/default.py": CONTROLLER})


def sqlite_columns(app: Path, table: str = "thing") -> list[str]:
    with sqlite3.connect(app / "databases" / "storage.sqlite") as connection:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]


def table_file(app: Path) -> Path:
    (found,) = (app / "databases").glob("*_thing.table")
    return found


def test_apps_get_the_remembering_migrator_unless_they_name_their_own(tmp_path):
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    assert isinstance(db._adapter.migrator, RememberingMigrator)
    db.close()
    own = DAL("sqlite://storage.sqlite", folder=str(tmp_path),
              adapter_args=dict(migrator=InDBMigrator))
    assert type(own._adapter.migrator) is InDBMigrator
    own.close()
    # every argument by position, as old web2py models pass them
    positional = DAL("sqlite://storage.sqlite", 0, str(tmp_path), "UTF-8", None, True, False,
                     True, False, False, None, dict(migrator=InDBMigrator), 3)
    assert type(positional._adapter.migrator) is InDBMigrator and positional._attempts == 3
    positional.close()


def test_gluon_names_are_pocketwebs_dal():
    import gluon
    import gluon.dal
    import gluon.sql

    assert gluon.DAL is gluon.dal.DAL is gluon.sql.DAL is gluon.sql.SQLDB is DAL


def test_a_migration_file_is_read_again_once_it_changes(tmp_path):
    path = tmp_path / "x.table"
    path.write_bytes(pickle.dumps({"a": 1}))
    files = MigrationFiles()
    assert pickle.loads(files.read(str(path))) == {"a": 1}
    path.write_bytes(pickle.dumps({"a": 1, "b": 2}))
    assert pickle.loads(files.read(str(path))) == {"a": 1, "b": 2}


def test_a_changed_model_migrates_on_the_next_request(root, wsgi_server, http):
    app = thing_app(root)
    base = wsgi_server(root) + "/a/default"
    assert http(base + "/add").text == "1"
    assert sqlite_columns(app) == ["id", "name"]
    (app / "models" / "db.py").write_text(GROWN_MODEL)
    assert http(base + "/columns").text == "id name size"
    assert sqlite_columns(app) == ["id", "name", "size"]
    assert http(base + "/add").text == "2"


def test_a_deleted_migration_file_makes_the_next_request_create_the_table(root, wsgi_server,
                                                                           http):
    app = thing_app(root)
    base = wsgi_server(root) + "/a/default"
    assert [http(base + "/add").text for _ in range(2)] == ["1", "2"]  # created, then read
    table_file(app).unlink()
    with sqlite3.connect(app / "databases" / "storage.sqlite") as connection:
        connection.execute("DROP TABLE thing")
    assert http(base + "/count").text == "0"
    assert sqlite_columns(app) == ["id", "name"]
    assert table_file(app).exists()


def test_an_edited_migration_file_makes_the_next_request_migrate(root, wsgi_server, http):
    app = thing_app(root, GROWN_MODEL)
    base = wsgi_server(root) + "/a/default"
    assert [http(base + "/count").text for _ in range(2)] == ["0", "0"]  # created, then read
    path = table_file(app)
    recorded = pickle.loads(path.read_bytes())
    del recorded["size"]
    path.write_bytes(pickle.dumps(recorded))  # as if "size" had never been migrated
    with sqlite3.connect(app / "databases" / "storage.sqlite") as connection:
        connection.execute("ALTER TABLE thing DROP COLUMN size")
    assert http(base + "/count").text == "0"
    assert sqlite_columns(app) == ["id", "name", "size"]
    assert "size" in pickle.loads(path.read_bytes())


def test_a_column_changed_in_place_migrates_on_the_next_request(root, wsgi_server, http):
    """Same column names, another length: the definition is not the one checked before."""
    app = thing_app(root, THING_MODEL.replace('Field("name")', 'Field("name", length=32)'))
    base = wsgi_server(root) + "/a/default"
    assert [http(base + "/count").text for _ in range(2)] == ["0", "0"]
    assert pickle.loads(table_file(app).read_bytes())["name"]["length"] == 32
    (app / "models" / "db.py").write_text(
        THING_MODEL.replace('Field("name")', 'Field("name", length=64)'))
    assert http(base + "/count").text == "0"
    assert pickle.loads(table_file(app).read_bytes())["name"]["length"] == 64


def test_one_model_in_two_apps_creates_each_apps_own_table(root, wsgi_server, http):
    first, second = thing_app(root), write_app(
        root, "b", {"models/db.py": THING_MODEL, "controllers/default.py": CONTROLLER})
    base = wsgi_server(root)
    assert http(base + "/a/default/add").text == "1"
    assert http(base + "/b/default/add").text == "1"
    assert sqlite_columns(first) == sqlite_columns(second) == ["id", "name"]


def test_a_model_sees_each_requests_own_controller(root, wsgi_server, http):
    write_app(root, "a", {"models/db.py": "seen = request.controller\n",
                          "controllers/one.py": "def where():\n    return seen\n",
                          "controllers/two.py": "def where():\n    return seen\n"})
    base = wsgi_server(root) + "/a"
    assert [http(f"{base}/{name}/where").text for name in ("one", "two", "one")] == [
        "one", "two", "one"]


def test_a_failing_request_rolls_back(root, wsgi_server, http):
    thing_app(root)
    base = wsgi_server(root) + "/a/default"
    assert http(base + "/add").text == "1"
    assert_answer(http(base + "/add_then_fail"), 500, "Ticket issued")
    assert http(base + "/count").text == "1"


def test_field_attributes_changed_in_one_thread_stay_in_its_request(root, live_server, http):
    thing_app(root)
    base = live_server(root) + "/a/default"
    before = http(base + "/attributes").text
    hooks = int(before.split()[1])
    assert before.startswith("True ")
    sys.pocketweb_test_barrier = threading.Barrier(2)
    answers = {}

    def ask(writable: str) -> None:
        answers[writable] = http(f"{base}/change?writable={writable}").text

    try:
        threads = [threading.Thread(target=ask, args=(value,)) for value in ("yes", "no")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(20)
    finally:
        del sys.pocketweb_test_barrier
    assert answers == {"yes": f"True {hooks + 1}", "no": f"False {hooks + 1}"}
    assert http(base + "/attributes").text == before


GROWING_MODEL = '''db = DAL("sqlite://storage.sqlite")
extra = [Field(name, "integer") for name in (request.vars.extra or "").split(",") if name]
db.define_table("thing", Field("name"), *extra)
'''
GROWING_CONTROLLER = '''
def columns():
    return " ".join(db.thing.fields)

def drop():
    db.thing.drop()
    return "dropped"

def add():
    db.thing.insert(name="one")
    return str(db(db.thing).count())
'''


def test_migrations_are_seen_at_once_within_the_file_check_interval(root, wsgi_server, http):
    """A warm request looks at .table files through the app's file stamps (once per check
    interval); the files this process writes or deletes are looked at afresh at once."""
    app = write_app(root, "a", {"models/db.py": GROWING_MODEL,
                                "controllers/default.py": GROWING_CONTROLLER})
    base = wsgi_server(root, change_check_interval=3600) + "/a/default"
    for extra in ("", "size", "size,weight"):
        assert http(f"{base}/columns?extra={extra}").text == " ".join(
            ["id", "name", *filter(None, extra.split(","))])
        assert http(f"{base}/columns?extra={extra}").text.endswith(extra.split(",")[-1])
    assert sqlite_columns(app) == ["id", "name", "size", "weight"]
    assert http(base + "/drop?extra=size,weight").text == "dropped"
    assert http(base + "/add?extra=size,weight").text == "1"  # created again
    assert sqlite_columns(app) == ["id", "name", "size", "weight"]
