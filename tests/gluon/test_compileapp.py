"""gluon.compileapp: the layers of a request run one by one, as app test harnesses do."""

import pytest
from support import write_app

from gluon.compileapp import (
    build_environment,
    compile_application,
    remove_compiled_application,
    run_controller_in,
    run_models_in,
    run_view_in,
)
from gluon.restricted import RestrictedError
from server.current import current
from server.request import Request
from server.response import Response
from server.routing import Route
from server.sessions import Session


@pytest.fixture
def app(root):
    return write_app(root, "layers", {
        "models/db.py": "db = DAL('sqlite:memory')\ndb.define_table('thing', Field('name'))\n",
        "controllers/default.py": "def index():\n    return dict(count=db(db.thing).count())\n",
        "views/default/index.html": "<p>{{=count}} things</p>",
    })


def test_models_controller_and_view_in_turn(app):
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/layers/default/index", "HTTP_HOST": "h"}
    request = Request(environ, Route("layers", "default", "index"), app)
    response = Response(request)
    try:
        environment = build_environment(request, response, Session())
        assert current.request is request and "T" in environment and "cache" in environment
        run_models_in(environment)
        environment["db"].thing.insert(name="a")
        result = run_controller_in("default", "index", environment)
        assert result == {"count": 1}
        response.view = "default/index.html"
        assert run_view_in(environment) == "<p>1 things</p>"
    finally:
        for name in ("request", "response", "session", "cache", "T", "globalenv"):
            vars(current).pop(name, None)


def test_compile_application_reports_broken_files(app):
    assert compile_application(str(app)) is None
    (app / "views" / "broken.html").write_text("{{if x:}}never closed")
    assert compile_application(str(app), skip_failed_views=True) == ["broken.html"]
    (app / "controllers" / "bad.py").write_text("def index(:\n")
    with pytest.raises(RestrictedError):
        compile_application(str(app))


def test_remove_compiled_application(app):
    (app / "compiled").mkdir()
    (app / "compiled" / "models.db.pyc").write_bytes(b"x")
    (app / "modules" / "stale.pyc").write_bytes(b"x")
    remove_compiled_application(str(app))
    assert not (app / "compiled").exists() and not (app / "modules" / "stale.pyc").exists()
