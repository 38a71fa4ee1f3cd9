from support import write_app

from desktop.app_databases import AppDatabases

MODEL = "db = DAL('sqlite://storage.sqlite')\ndb.define_table('thing', Field('name'))\n"


def test_a_later_run_overtakes_an_earlier_one_whose_databases_are_closed(qtbot, root):
    write_app(root, "one", {"models/db.py": MODEL})
    write_app(root, "two", {"models/db.py": MODEL})
    databases = AppDatabases(root)
    announced = []
    databases.loaded.connect(lambda name, dbs, message: announced.append((name, message)))
    databases.load("one")
    with qtbot.waitSignal(databases.loaded):
        databases.load("two")
    import desktop.workers as workers

    qtbot.waitUntil(lambda: not workers._running)  # the overtaken run has reported too
    assert announced == [("two", "Databases of two: db")]
    assert databases.application == "two" and list(databases.databases) == ["db"]


def test_the_previous_runs_databases_are_closed_after_the_next_is_announced(qtbot, root):
    write_app(root, "one", {"models/db.py": MODEL})
    databases = AppDatabases(root)
    with qtbot.waitSignal(databases.loaded):
        databases.load("one")
    first = databases.databases["db"]
    first(first.thing).count()  # the GUI thread opens a connection of its own
    assert first._adapter.connection is not None
    with qtbot.waitSignal(databases.loaded):
        databases.reload()
    assert databases.databases["db"] is not first
    from pydal._globals import THREAD_LOCAL

    assert getattr(THREAD_LOCAL, first._adapter._connection_uname_, None) is None


def test_in_memory_databases_are_made_again_in_place(qtbot, root):
    write_app(root, "mem", {"models/db.py": "db = DAL('sqlite:memory')\n"
                                            "db.define_table('thing', Field('name'))\n"
                                            "db.thing.insert(name='a')\n"})
    databases = AppDatabases(root)
    with qtbot.waitSignal(databases.loaded):
        databases.load("mem")
    db = databases.databases["db"]
    assert db(db.thing).count() == 1  # usable here, on the GUI thread


def test_only_files_under_the_apps_models_folder_count_as_models(root):
    app = write_app(root, "one", {"models/db.py": MODEL})
    databases = AppDatabases(root)
    assert not databases.is_model_file(app / "models/db.py")  # no app shown yet
    databases.application = "one"
    assert databases.is_model_file(app / "models/db.py")
    assert databases.is_model_file(app / "models/sub/x.py")
    assert not databases.is_model_file(app / "controllers/default.py")
