"""gluon.compileapp: the layers of a request run one by one, as app test harnesses do."""

import shutil

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


def run_layers(app):
    """The three layers of /layers/default/index run one by one; the page they render."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/layers/default/index", "HTTP_HOST": "h"}
    request = Request(environ, Route("layers", "default", "index"), app)
    try:
        environment = build_environment(request, Response(request), Session())
        run_models_in(environment)
        environment["db"].thing.insert(name="a")
        assert run_controller_in("default", "index", environment) == {"count": 1}
        return run_view_in(environment)
    finally:
        for name in ("request", "response", "session", "cache", "T", "globalenv"):
            vars(current).pop(name, None)


def test_compile_application_writes_web2py_compiled_folder_the_layers_run_from(app):
    assert compile_application(str(app)) is None
    assert sorted(path.name for path in (app / "compiled").glob("*.pyc")) == [
        "controllers.default.index.pyc", "models.db.pyc", "views.default.index.html.pyc"]
    for kind in ("models", "controllers", "views"):
        shutil.rmtree(app / kind)
    assert run_layers(app) == "<p>1 things</p>"


def test_compile_application_reports_broken_files(app):
    (app / "views" / "broken.html").write_text("{{if x:}}never closed")
    assert compile_application(str(app), skip_failed_views=True) == ["broken.html"]
    (app / "controllers" / "bad.py").write_text("def index(:\n")
    with pytest.raises(RestrictedError) as raised:
        compile_application(str(app))
    assert raised.value.layer == "controllers/bad.py"
    assert "controllers/bad.py line 1: invalid syntax" in str(raised.value.output)


def test_remove_compiled_application_runs_the_app_from_source_again(app):
    compile_application(str(app))
    (app / "controllers" / "default.pyc").write_bytes(b"old web2py byte-code")
    (app / "views/default/index.html").write_text("<b>{{=count}} from source</b>")
    remove_compiled_application(str(app))
    assert not (app / "compiled").exists() and not (app / "controllers/default.pyc").exists()
    assert run_layers(app) == "<b>1 from source</b>"
