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
    from server.current import current

    with model_environment(root, "env") as env:
        assert "thing" in env["db"].tables
        assert (current.request, current.response, current.session, current.cache,
                current.T, current.globalenv) == (env["request"], env["response"],
                                                  env["session"], env["cache"], env["T"], env)
        assert env["request"].function == "index" and env["__name__"] == "__main__"


def test_a_view_sees_what_the_action_returned_after_postprocessing(root, wsgi_server, http):
    write_app(root, "vars", {
        "models/hooks.py": "response.postprocessing.append(lambda vars: dict(vars, added=2))\n",
        "controllers/default.py": "def index():\n    return dict(a=1)\n",
        "views/default/index.html": "{{=sorted(response._vars.items())}}"})
    assert http(wsgi_server(root) + "/vars/default/index").text == \
        "[(&#x27;a&#x27;, 1), (&#x27;added&#x27;, 2)]"


def test_web2py_1_names_sqldb_and_sqlfield_are_there():
    from server.dal import DAL
    from server.execution import BASE_GLOBALS
    from server.model_fields import Field

    assert BASE_GLOBALS["SQLDB"] is DAL and BASE_GLOBALS["SQLField"] is Field
    assert BASE_GLOBALS["Field"] is Field


def test_web2pys_names_are_in_every_environment():
    """What a model, controller or view finds without importing: the helpers, every pydal
    validator (IS_*, CRYPT, CLEANUP, ANY_OF, Validator), forms, Auth, the DAL and the request
    tools. BASE_GLOBALS is built at import; building it again must give the same names."""
    import pydal.validators

    from server import auth, forms, helpers
    from server.execution import BASE_GLOBALS, _base_globals
    from server.http import HTTP, redirect
    from server.routing import URL
    from server.services import Service
    from server.storage import List, Storage

    names = _base_globals()
    assert names == BASE_GLOBALS
    for module in (helpers, forms, auth):
        assert {name: names[name] for name in module.__all__} == \
            {name: getattr(module, name) for name in module.__all__}
    validators = {n for n in dir(pydal.validators) if n.startswith("IS_")}
    assert len(validators) > 30
    for name in validators | {"CRYPT", "CLEANUP", "ANY_OF", "Validator"}:
        assert names[name] is getattr(pydal.validators, name), name
    assert "Auth" in names and "SQLFORM" in names and "A" in names and "XML" in names
    assert (names["URL"], names["redirect"], names["HTTP"], names["Storage"], names["List"],
            names["Service"]) == (URL, redirect, HTTP, Storage, List, Service)
    assert not [name for name in names if name.startswith("_")]
    assert "validators" not in names and "Regex" not in names  # pydal's own helpers are not


def test_only_functions_without_any_kind_of_parameter_are_actions():
    source = ("def plain():\n pass\ndef star(*a):\n pass\ndef keywords(**k):\n pass\n"
              "def only_keyword(*, x=1):\n pass\ndef positional(x, /):\n pass\n"
              "def with_default(x=1):\n pass\n")
    assert exposed_actions(source) == ("plain",)
    assert exposed_actions("def broken(:\n") == ()


def test_a_missing_file_is_file_not_found_naming_it(tmp_path):
    import pytest

    missing = tmp_path / "gone.py"
    with pytest.raises(FileNotFoundError) as caught:
        CodeCache().get(missing)
    assert (caught.value.errno, caught.value.strerror, caught.value.filename) == (
        2, "No such file", str(missing))


def test_a_byte_order_mark_is_no_code_in_controllers_models_or_broken_controllers(
        root, wsgi_server, http):
    """Windows editors start files with a BOM: the code runs, and a controller that does not
    compile still shows its own actions' error (its first line is ``def``)."""
    from support import tickets

    app = write_app(root, "bom", {})
    (app / "models/db.py").write_text("\ufeffseen = 'model'\n", encoding="utf-8")
    (app / "controllers/default.py").write_text("\ufeffdef index():\n    return seen\n",
                                                encoding="utf-8")
    (app / "controllers/old.py").write_text("\ufeffdef post():\n    print 'python 2'\n",
                                            encoding="utf-8")
    base = wsgi_server(root) + "/bom"
    assert http(base + "/default/index").text == "model"
    assert http(base + "/old/post").status == 500 and len(tickets(app)) == 1
    assert_answer(http(base + "/old/index"), 404, "invalid function (old/index)")


def test_a_broken_controllers_actions_are_found_on_any_line(root, wsgi_server, http):
    from support import tickets

    app = write_app(root, "late", {"controllers/default.py":
                                   "import os\n\ndef first():\n    pass\n\n"
                                   "def later():\n    print 'python 2'\n"})
    base = wsgi_server(root) + "/late/default"
    assert http(base + "/later").status == 500 and len(tickets(app)) == 1
    assert http(base + "/first").status == 500 and len(tickets(app)) == 2
    assert_answer(http(base + "/nowhere"), 404, "invalid function (default/nowhere)")


def test_a_missing_controller_or_a_name_that_is_no_function_is_404(root, wsgi_server, http):
    write_app(root, "gaps", {"controllers/default.py":
                             "def index():\n    return 'x'\nindex = 'not callable'\n",
                             "controllers/folder.py/keep.txt": ""})
    base = wsgi_server(root) + "/gaps"
    assert_answer(http(base + "/nope/index"), 404, "invalid controller (nope/index)")
    assert_answer(http(base + "/folder/index"), 404, "invalid controller (folder/index)")
    assert_answer(http(base + "/default/index"), 404, "invalid function (default/index)")


ENVIRONMENT = {
    "models/db.py": "from gluon import current\nseen_in_model = current.globalenv is globals()\n",
    "controllers/default.py": """
        from gluon import current
        def index():
            return repr([__name__, type(session).__name__, type(cache).__name__,
                         str(T('Hello')), seen_in_model, current.request is request,
                         current.response is response, current.session is session,
                         current.cache is cache, current.T is T,
                         current.globalenv is globals()])
    """,
    "languages/it.py": "{'Hello': 'Ciao'}\n",
}


def test_models_and_controllers_see_the_requests_objects_in_globals_and_on_current(
        root, wsgi_server, http):
    write_app(root, "seen", ENVIRONMENT)
    answer = http(wsgi_server(root) + "/seen/default/index")
    assert answer.text == repr(["__main__", "Session", "Cache", "Hello"] + [True] * 7)


def test_a_routers_language_prefix_picks_the_translation(root, wsgi_server, http):
    write_app(root, "seen", ENVIRONMENT)
    (root / "routes.py").write_text(
        "routers = dict(BASE=dict(default_application='seen'),\n"
        "               seen=dict(languages=['en', 'it'], default_language='en'))\n")
    base = wsgi_server(root)
    assert "'Ciao'" in http(base + "/it/default/index").text
    assert "'Hello'" in http(base + "/default/index").text


def test_an_environment_without_a_translator_ignores_the_language_prefix(tmp_path):
    from server.execution import build_environment
    from server.request_caches import RequestCaches
    from server.storage import Storage

    request = Storage(folder_path=tmp_path, uri_language="it")
    env = build_environment(RequestCaches(), request, Storage(), Storage())
    assert env["T"] is None and env["request"] is request and env["cache"] is None


def test_a_compiled_app_runs_its_compiled_models_and_actions_with_its_sources_gone(
        root, wsgi_server, http):
    import shutil

    from server.manage.app_compiling import compile_app

    app = write_app(root, "built", {
        "models/db.py": "ran = ['db']\n",
        "models/default/more.py": "ran.append('default')\n",
        "controllers/default.py": "def index():\n    return ', '.join(ran)\n"
                                  "def data():\n    return dict(ran=ran)\n",
        "controllers/other.py": "def index():\n    return ', '.join(ran)\n"})
    compile_app(root, "built")
    for sources in ("models", "controllers", "views"):
        shutil.rmtree(app / sources)
    base = wsgi_server(root) + "/built"
    assert http(base + "/default/index").text == "db, default"
    assert http(base + "/other/index").text == "db"
    assert json.loads(http(base + "/default/data.json").text) == {"ran": ["db", "default"]}
    assert_answer(http(base + "/default/nope"), 404, "invalid function (default/nope)")
    assert_answer(http(base + "/nope/index"), 404, "invalid controller (nope/index)")


def test_app_modules_import_as_python_packages_do(root, wsgi_server, http):
    """``import a.b`` binds ``a`` with ``b`` on it; ``from a.b import x``; a package's own
    attribute wins over a submodule of the same name; a relative import from a top-level module
    and from a submodule; a folder without ``__init__.py`` (a namespace package) reached by a
    relative import, and made a package later; ``__import__`` called by hand; the standard
    library's dotted modules."""
    import os

    app = write_app(root, "imp", {
        "modules/flat.py": "from .plain import PLAIN\nfrom .space.leaf import LEAF\n"
                           "IS_PACKAGE = hasattr(__import__('sys').modules[__name__], "
                           "'__path__')\n",
        "modules/plain.py": "from helper import PLAIN\n",  # itself imports from the app
        "modules/helper.py": "PLAIN = 'plain'\n",
        "modules/space/leaf.py": "LEAF = 'leaf'\n",
        "modules/pkg/__init__.py": "value = 'attribute'\n",
        "modules/pkg/value.py": "X = 'submodule'\n",
        "modules/pkg/sub.py": "from .sibling import Y\nfrom .inner.leaf import DEEP\n",
        "modules/pkg/sibling.py": "Y = 'sibling'\n",
        "modules/pkg/inner/leaf.py": "DEEP = 'deep'\n",
        "controllers/default.py": """
            import pkg.sub
            from pkg import value
            from pkg.sibling import Y
            from xml.sax.saxutils import escape
            flat = __import__('flat')
            def index():
                return repr([pkg.sub.Y, pkg.sub.DEEP, value, Y, flat.PLAIN, flat.LEAF,
                             flat.IS_PACKAGE, hasattr(pkg, '__path__'), escape('<')])
        """,
    })
    expected = repr(["sibling", "deep", "attribute", "sibling", "plain", "leaf", False, True,
                     "&lt;"])
    base = wsgi_server(root) + "/imp/default/index"
    assert http(base).text == expected
    (app / "modules/space/__init__.py").write_text("")  # the folder becomes a package
    later = (app / "modules/flat.py").stat().st_mtime_ns + 10**9
    os.utime(app / "modules/flat.py", ns=(later, later))  # and flat.py imports it again
    assert http(base).text == expected


def test_two_apps_modules_of_one_name_stay_apart(root, wsgi_server, http):
    import os

    for name in ("one", "two"):
        app = write_app(root, name, {
            "modules/helper.py": f"NAME = {name!r}\n",
            "controllers/default.py": "import helper\ndef index():\n    return helper.NAME\n"})
        os.utime(app / "modules/helper.py", ns=(10**18, 10**18))  # the same stamp for both
    base = wsgi_server(root)
    assert [http(f"{base}/{name}/default/index").text for name in ("one", "two", "one")] == \
        ["one", "two", "one"]


def test_a_module_that_fails_to_import_fails_every_time(root, wsgi_server, http):
    from support import tickets

    app = write_app(root, "bad", {
        "modules/broken.py": "raise ValueError('broken on purpose')\n",
        "controllers/default.py": "def index():\n    import broken\n    return 'imported'\n"})
    base = wsgi_server(root) + "/bad/default/index"
    assert [http(base).status for _ in range(2)] == [500, 500]
    assert all("broken on purpose" in ticket.read_text() for ticket in tickets(app))
    assert len(tickets(app)) == 2


def test_each_app_folder_has_its_own_builtins_built_once(tmp_path):
    import builtins

    from server.execution import AppBuiltins

    one, two = tmp_path / "one", tmp_path / "two"
    cache = AppBuiltins()
    assert cache.of(one) is cache.of(one) and cache.of(one) is not cache.of(two)
    assert cache.of(one)["__import__"] is not builtins.__import__
    assert cache.of(one)["len"] is len


def test_the_model_listing_is_kept_until_a_models_folder_changes(tmp_path):
    import os

    from server.execution import ModelListing

    app = tmp_path / "app"
    listing = ModelListing()
    assert listing.files(app) == []  # no models/ yet
    (app / "models").mkdir(parents=True)
    (app / "models/a.py").write_text("")
    assert listing.files(app) == ["a.py"]  # models/ made later is noticed
    folder = app / "models"
    stamp = folder.stat().st_mtime_ns
    (folder / "b.py").write_text("")
    os.utime(folder, ns=(stamp, stamp))  # as if unchanged: the listing is not made again
    assert listing.files(app) == ["a.py"]
    os.utime(folder, ns=(stamp + 10**9, stamp + 10**9))
    assert listing.files(app) == ["a.py", "b.py"]


def test_a_databases_folder_is_made_once_if_missing(root, wsgi_server, http):
    import shutil

    from server.execution import ModelListing

    app = write_app(root, "nodb", {
        "models/db.py": "db = DAL('sqlite://storage.sqlite')\n"
                        "db.define_table('thing', Field('name'))\n",
        "controllers/default.py": "def index():\n    return str(db(db.thing).count())\n"})
    shutil.rmtree(app / "databases")
    assert http(wsgi_server(root) + "/nodb/default/index").text == "0"
    assert (app / "databases/storage.sqlite").is_file()
    listing = ModelListing()
    folder = root / "made"
    listing.ensure_folder(folder)
    assert folder.is_dir()
    folder.rmdir()
    listing.ensure_folder(folder)  # checked once: not looked at again
    assert not folder.exists()


def test_with_a_check_interval_the_model_listing_is_looked_at_again_only_after_it(tmp_path):
    from server.execution import ModelListing
    from server.file_stamps import FileStamps

    app = tmp_path / "app"
    (app / "models").mkdir(parents=True)
    (app / "models/a.py").write_text("")
    stamps = FileStamps(interval=60, clock=lambda: 0.0)
    listing = ModelListing(stamps)
    assert listing.files(app) == ["a.py"]
    (app / "models/b.py").write_text("")
    assert listing.files(app) == ["a.py"]  # within the interval nothing is looked at
    stamps.forget()  # the interval is over (or a save in the window said so)
    assert listing.files(app) == ["a.py", "b.py"]
    other = tmp_path / "other"
    (other / "models").mkdir(parents=True)
    (other / "models/z.py").write_text("")
    assert listing.files(other) == ["z.py"]  # each app folder its own listing
    assert listing.files(app) == ["a.py", "b.py"]


def test_an_action_embeds_another_through_current_component(root, wsgi_server, http):
    write_app(root, "parts", {
        "controllers/default.py": "def index():\n    return dict()\n"
                                  "def part():\n    return 'part of ' + request.function\n",
        "views/default/index.html": "{{=LOAD('default', 'part', target='here')}}"})
    assert http(wsgi_server(root) + "/parts/default/index").text == \
        '<div id="here">part of part</div>'
