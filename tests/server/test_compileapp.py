"""server.compileapp: a generic view is used when the action has no view of its own."""

from support import write_app

from server.compileapp import build_environment, run_controller_in, run_models_in, run_view_in
from server.current import current
from server.request import Request
from server.response import Response
from server.routing import Route
from server.sessions import Session


def test_generic_json_view(root):
    app = write_app(root, "gen", {"controllers/default.py": "def data():\n    return dict(a=1)\n"})
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/gen/default/data.json", "HTTP_HOST": "h",
               "REMOTE_ADDR": "127.0.0.1"}
    request = Request(environ, Route("gen", "default", "data", "json"), app)
    response = Response(request)
    try:
        environment = build_environment(request, response, Session(), store_current=False)
        run_models_in(environment)
        run_controller_in("default", "data", environment)
        assert run_view_in(environment) == '{"a": 1}'
    finally:
        for name in list(vars(current)):
            vars(current).pop(name)
