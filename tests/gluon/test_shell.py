"""gluon.shell: env() gives a script the app's models; exec_environment runs a file in one."""

import pytest
from support import write_app

from gluon.restricted import RestrictedError
from gluon.settings import global_settings
from gluon.shell import env, exec_environment
from server import settings
from server.current import current


@pytest.fixture
def in_root(root):
    saved = global_settings.applications_parent
    settings.use_root(root)
    yield root
    global_settings.applications_parent = saved
    for name in list(vars(current)):
        vars(current).pop(name)


def test_env_runs_the_models_and_keeps_the_databases_open(in_root):
    write_app(in_root, "shop", {"models/db.py": (
        "db = DAL('sqlite://storage.sqlite')\ndb.define_table('item', Field('name'))\n")})
    environment = env("shop", import_models=True, c="default", f="list")
    db = environment["db"]
    db.item.insert(name="pen")
    db.commit()
    assert db(db.item).count() == 1 and environment["request"].function == "list"
    assert current.request is environment["request"]
    assert "db" not in env("shop")  # without import_models, no models


def test_exec_environment_returns_what_the_file_defines(in_root):
    app = write_app(in_root, "other", {"private/script.py": "answer = request.application * 2\n",
                                       "private/broken.py": "answer = missing_name\n"})
    env("other")
    ran = exec_environment(str(app / "private" / "script.py"))
    assert ran.answer == "otherother" and "DAL" in ran
    with pytest.raises(RestrictedError):
        exec_environment(str(app / "private" / "broken.py"))
