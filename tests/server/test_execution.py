"""Models (order, conditional), controllers, exposed actions, the code cache and app modules."""

import json

from support import assert_answer, write_app

from server.execution import CodeCache, exposed_actions, model_environment, model_files


def test_exposed_actions_are_public_functions_without_arguments():
    source = "def a():\n pass\ndef _b():\n pass\ndef c(x):\n pass\n@dec\ndef d():\n pass\n"
    assert exposed_actions(source) == ("a", "d")


def test_model_order_is_alphabetical_then_conditional(tmp_path):
    app = write_app(tmp_path, "x", {"models/b.py": "", "models/a.py": "",
                                     "models/default/z.py": "", "models/default/index/y.py": "",
                                     "models/other/w.py": ""})
    assert model_files(app) == ["a.py", "b.py", "default/z.py", "other/w.py",
                                "default/index/y.py"]


def test_code_cache_compiles_once_per_version(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("x = 1\n")
    cache = CodeCache()
    first = cache.get(path)
    assert cache.get(path) is first and cache.compilations == 1
    path.write_text("x = 22\n")
    assert cache.get(path) is not first and cache.compilations == 2


MODELS = {
    "models/a.py": "order = ['a']\n",
    "models/b.py": "order.append('b')\n",
    "models/default/c.py": "order.append('default/c')\n",
    "models/default/index/d.py": "order.append('default/index/d')\n",
    "models/other/e.py": "order.append('other/e')\n",
    "controllers/default.py": "import json\ndef index():\n    return json.dumps(order)\n"
                              "def page():\n    return json.dumps(order)\n",
    "controllers/other.py": "import json\ndef index():\n    return json.dumps(order)\n",
}


def test_conditional_models_run_only_for_their_controller_and_function(root, wsgi_server, http):
    write_app(root, "m", MODELS)
    base = wsgi_server(root) + "/m"
    assert json.loads(http(base + "/default/index").text) == [
        "a", "b", "default/c", "default/index/d"]
    assert json.loads(http(base + "/default/page").text) == ["a", "b", "default/c"]
    assert json.loads(http(base + "/other/index").text) == ["a", "b", "other/e"]


def test_models_to_run_can_be_narrowed_by_a_model(root, wsgi_server, http):
    write_app(root, "n", {**MODELS, "models/a.py": "order = ['a']\n"
                                                   "response.models_to_run = [r'^a\\.py$']\n"})
    assert json.loads(http(wsgi_server(root) + "/n/default/index").text) == ["a"]


def test_warm_requests_do_not_recompile(root, wsgi_server, http):
    from server.wsgi import make_application

    write_app(root, "w", MODELS)
    app = make_application(root)
    from server.hosting.httpd import WebServer

    server = WebServer(app, "127.0.0.1", 0)
    server.start()
    try:
        http(server.url + "/w/default/index")
        compiled = app.caches.code.compilations
        for _ in range(5):
            http(server.url + "/w/default/index")
        assert app.caches.code.compilations == compiled
    finally:
        server.stop()


def test_actions_are_called_through_response_caller_and_postprocessed(root, wsgi_server, http):
    write_app(root, "post", {
        "models/hooks.py": "calls = []\n"
                           "response._caller = lambda action: calls.append(action.__name__) "
                           "or action()\n"
                           "response.postprocessing.append(lambda vars: dict(vars, seen=calls))\n"
                           "response.postprocessing.append(lambda vars: dict(vars, last=True))\n",
        "controllers/default.py": "def index():\n    return dict(a=1)\n"})
    answer = http(wsgi_server(root) + "/post/default/index.json")
    assert json.loads(answer.text) == {"a": 1, "seen": ["index"], "last": True}


def test_private_and_argument_functions_are_not_reachable(root, wsgi_server, http):
    write_app(root, "p", {"controllers/default.py":
                          "def _secret():\n    return 'no'\ndef args(x):\n    return 'no'\n"})
    base = wsgi_server(root) + "/p/default"
    assert_answer(http(base + "/_secret"), 404, "invalid function (default/_secret)")
    assert_answer(http(base + "/args"), 404, "invalid function (default/args)")


def test_a_controller_that_does_not_compile_fails_only_for_its_own_actions(root, wsgi_server,
                                                                           http):
    """As in web2py (an old Python 2 controller, say): a function it does not define is a 404,
    one it defines is the syntax error's ticket."""
    from support import tickets

    app = write_app(root, "old", {"controllers/default.py":
                                  "def post():\n    try:\n        pass\n    except A, e:\n"
                                  "        pass\n"})
    base = wsgi_server(root) + "/old/default"
    assert_answer(http(base + "/index"), 404, "invalid function (default/index)")
    assert tickets(app) == []
    assert http(base + "/post").status == 500 and len(tickets(app)) == 1


def test_app_modules_are_importable_and_reloaded_when_changed(root, wsgi_server, http):
    app = write_app(root, "mod", {
        "modules/helper.py": "def greet():\n    return 'hello'\n",
        "controllers/default.py": "import helper\ndef index():\n    return helper.greet()\n",
    })
    base = wsgi_server(root) + "/mod/default/index"
    assert http(base).text == "hello"
    import os
    import time

    (app / "modules/helper.py").write_text("def greet():\n    return 'changed'\n")
    later = time.time() + 5
    os.utime(app / "modules/helper.py", (later, later))
    assert http(base).text == "changed"


def test_a_module_reached_by_a_relative_import_also_imports_from_the_apps_modules(
        root, wsgi_server, http):
    """Sahana Eden: ``modules/s3/__init__`` does ``from .s3utils import *`` and s3utils does
    ``from s3dal import ...``, a top-level module of the app, as web2py's custom_import finds."""
    write_app(root, "rel", {
        "modules/top.py": "VALUE = 'from the app'\n",
        "modules/pkg/__init__.py": "from .inner import value\nfrom . import sibling\n",
        "modules/pkg/inner.py": "from top import VALUE\ndef value():\n    return VALUE\n",
        "modules/pkg/sibling.py": "import top\nNAME = top.VALUE.upper()\n",
        "controllers/default.py": "import pkg\n"
                                  "def index():\n    return pkg.value() + ' ' + pkg.sibling.NAME\n",
    })
    assert http(wsgi_server(root) + "/rel/default/index").text == "from the app FROM THE APP"


def test_dal_lands_in_the_apps_databases_folder(root, wsgi_server, http):
    app = write_app(root, "dbapp", {
        "models/db.py": "db = DAL('sqlite://storage.sqlite')\n"
                        "db.define_table('item', Field('name'))\n",
        "controllers/default.py": "def add():\n    return str(db.item.insert(name='x'))\n",
    })
    assert http(wsgi_server(root) + "/dbapp/default/add").text == "1"
    assert (app / "databases/storage.sqlite").is_file()


def test_model_environment_runs_models_without_a_request(root):
    write_app(root, "env", {"models/db.py": "db = DAL('sqlite://storage.sqlite')\n"
                                            "db.define_table('thing', Field('name'))\n"})
    with model_environment(root, "env") as env:
        assert "thing" in env["db"].tables


def test_web2py_1_names_sqldb_and_sqlfield_are_there():
    from pydal import Field

    from server.dal import DAL
    from server.execution import BASE_GLOBALS

    assert BASE_GLOBALS["SQLDB"] is DAL and BASE_GLOBALS["SQLField"] is Field
