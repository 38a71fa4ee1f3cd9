"""A compiled app runs from its compiled/ folder: the same pages with its sources gone, the same
models in the same order, tickets naming the source files, byte-code of another Python refused."""

from __future__ import annotations

import shutil

import pytest
from support import tickets, write_app

from server import compiled_apps
from server.manage.app_compiling import compile_app, remove_compiled
from server.manage.tickets import load_ticket

SOURCES = ("models", "controllers", "views")

APP = {
    "models/db.py": """
        ran = ["db"]
        db = DAL("sqlite://storage.sqlite")
        db.define_table("thing", Field("name"))
        if not db(db.thing).count():
            db.thing.insert(name="first")
            db.commit()
    """,
    "models/menu.py": "ran.append('menu')\nresponse.title = 'Compiled'\n",
    "models/default/only_default.py": "ran.append('default/only_default')\n",
    "models/default/index/only_index.py": "ran.append('default/index/only_index')\n",
    "models/other/only_other.py": "ran.append('other/only_other')\n",
    "controllers/default.py": """
        def index():
            return dict(things=db(db.thing).select(), ran=ran)

        def text():
            return 'models: ' + ', '.join(ran)

        def data():
            return dict(names=[row.name for row in db(db.thing).select()])

        def _private():
            return 'never'

        def with_argument(x):
            return 'never'

        def broken():
            value = 1
            return value / 0
    """,
    "controllers/other.py": """
        def index():
            response.view = 'other/shown.html'
            return dict(ran=ran)

        def narrowed():
            return ', '.join(ran)
    """,
    "views/layout.html": "<html><head><title>{{=response.title}}</title></head>\n"
                         "<body>{{include 'menu.html'}}\n{{include}}\n</body></html>\n",
    "views/menu.html": "<nav>{{=', '.join(ran)}}</nav>\n",
    "views/default/index.html": "{{extend 'layout.html'}}\n<ul>\n"
                                "{{for thing in things:}}<li>{{=thing.name}}</li>{{pass}}\n</ul>\n",
    "views/other/shown.html": "{{extend 'layout.html'}}\n<p>\n{{=undefined_in_view}}\n</p>\n",
}
PAGES = ("/default/index", "/default/text", "/default/data.json", "/default/data.html",
         "/other/index", "/default/_private", "/default/with_argument", "/default/missing",
         "/nowhere/index")


@pytest.fixture
def app(root):
    return write_app(root, "shop", APP)


def pages(http, base):
    return {page: (answer.status, answer.body)
            for page in PAGES for answer in [http(f"{base}/shop{page}")]
            if page != "/other/index"}  # its view fails on purpose: a new ticket each time


def delete_sources(app):
    for kind in SOURCES:
        shutil.rmtree(app / kind)


def test_a_compiled_app_serves_the_same_bytes_with_its_sources_deleted(root, app, wsgi_server,
                                                                       http):
    base = wsgi_server(root)
    from_source = pages(http, base)
    assert from_source["/default/index"][0] == 200
    assert b"<li>first</li>" in from_source["/default/index"][1]
    assert {from_source[page][0] for page in PAGES[5:]} == {404}
    compile_app(root, "shop")
    delete_sources(app)
    assert pages(http, base) == from_source


def test_models_run_in_the_same_order_and_by_the_same_rules_when_compiled(root, app,
                                                                         wsgi_server, http):
    (app / "models/narrow.py").write_text(
        "if request.function == 'narrowed':\n    response.models_to_run = [r'^\\w+\\.py$']\n")
    base = wsgi_server(root)
    texts = [http(f"{base}/shop/default/text").text, http(f"{base}/shop/other/narrowed").text]
    assert texts == ["models: db, menu, default/only_default", "db, menu"]
    compile_app(root, "shop")
    delete_sources(app)
    assert [http(f"{base}/shop/default/text").text,
            http(f"{base}/shop/other/narrowed").text] == texts
    index = http(f"{base}/shop/default/index").text
    assert "<nav>db, menu, default/only_default, default/index/only_index</nav>" in index


def last_frame_in(app, base, http, page):
    answer = http(f"{base}/shop{page}")
    assert answer.status == 500
    (ticket_file,) = tickets(app)
    ticket_file_name = ticket_file.name
    frame = load_ticket(app, ticket_file_name)["frames"][-1]
    ticket_file.unlink()
    return frame["filename"], frame["line"]


def test_a_ticket_from_a_compiled_app_names_the_source_file_and_line(root, app, wsgi_server,
                                                                      http):
    compile_app(root, "shop")
    delete_sources(app)
    base = wsgi_server(root)
    assert last_frame_in(app, base, http, "/default/broken") == (
        str(app / "controllers/default.py"), 18)
    assert last_frame_in(app, base, http, "/other/index") == (
        str(app / "views/other/shown.html"), 3)


def test_a_compiled_app_copied_elsewhere_names_its_new_place(root, app, wsgi_server, http):
    compile_app(root, "shop")
    moved = app.rename(root / "applications" / "moved")
    shutil.rmtree(moved / "controllers")
    answer = http(f"{wsgi_server(root)}/moved/default/broken")
    assert answer.status == 500
    (ticket_file,) = tickets(moved)
    frame = load_ticket(moved, ticket_file.name)["frames"][-1]
    assert frame["filename"] == str(moved / "controllers/default.py")


def test_recompiling_and_removing_are_seen_by_the_next_request(root, app, wsgi_server, http):
    base = wsgi_server(root)
    compile_app(root, "shop")
    (app / "controllers/default.py").write_text("def text():\n    return 'edited'\n")
    assert http(f"{base}/shop/default/text").text.startswith("models: ")  # still compiled
    compile_app(root, "shop")
    assert http(f"{base}/shop/default/text").text == "edited"
    assert http(f"{base}/shop/default/index").status == 404  # gone with the recompile
    (app / "controllers/default.py").write_text("def text():\n    return 'from source'\n")
    assert remove_compiled(root, "shop")
    assert http(f"{base}/shop/default/text").text == "from source"


def test_byte_code_of_another_python_is_refused_saying_what_to_do(root, app, wsgi_server, http):
    compile_app(root, "shop")
    for path in (app / "compiled").glob("*.pyc"):
        data = path.read_bytes()
        path.write_bytes(b"\x00\x00\r\n" + data[4:])  # another version's magic number
    answer = http(f"{wsgi_server(root)}/shop/default/text")
    assert answer.status == 500 and b"models:" not in answer.body
    (ticket_file,) = tickets(app)
    error = load_ticket(app, ticket_file.name)["message"]
    assert "shop/compiled/ holds byte-code of another Python version" in error
    assert "compile the application again, or remove its compiled form" in error


def test_the_compiled_form_is_listed_once_per_version(root, app):
    forms = compiled_apps.CompiledApps()
    assert forms.find(app) is None
    (app / "compiled").mkdir()
    assert forms.find(app) is None  # empty: no compiled form to run
    (app / "compiled").rmdir()
    compile_app(root, "shop")
    first = forms.find(app)
    assert first is not None and forms.find(app) is first
    assert first.models == ["db.py", "menu.py", "default/only_default.py",
                            "other/only_other.py", "default/index/only_index.py"]
    compile_app(root, "shop")
    assert forms.find(app) is not first
    remove_compiled(root, "shop")
    assert forms.find(app) is None


def test_a_view_served_compiled_and_from_source_in_turn_maps_each_to_its_own_lines(
        root, app, wsgi_server, http):
    view = app / "views/other/shown.html"
    compile_app(root, "shop")  # its error on line 3
    view.write_text("{{extend 'layout.html'}}\n<p>\n\n\n{{=undefined_in_view}}\n</p>\n")
    base = wsgi_server(root)
    lines = []
    for _ in range(2):
        lines.append(last_frame_in(app, base, http, "/other/index")[1])
        (app / "compiled").rename(app / "shelved")
        lines.append(last_frame_in(app, base, http, "/other/index")[1])
        (app / "shelved").rename(app / "compiled")
    assert lines == [3, 5, 3, 5]


def test_a_byte_order_mark_some_editors_write_is_no_code_from_source_or_compiled(
        root, wsgi_server, http):
    app = write_app(root, "bom", {})
    (app / "controllers/default.py").write_text("\ufeff# -*- coding: utf-8 -*-\n"
                                                 "def index():\n    return 'read'\n",
                                                 encoding="utf-8")
    base = wsgi_server(root)
    assert http(f"{base}/bom/default/index").text == "read"
    compile_app(root, "bom")
    (app / "controllers/default.py").unlink()
    assert http(f"{base}/bom/default/index").text == "read"
