"""routes.py over real HTTP: the web2py book's routers and routes_in/routes_out examples."""

from __future__ import annotations

import os
import textwrap

import pytest
from support import assert_answer, serve_in_process, stop_in_process, write_app

from server.rewrite import compile_pattern, load_rules

SHOW = """
def index():
    return 'index of ' + request.application
def show():
    return '%s/%s/%s %s %s' % (request.application, request.controller, request.function,
                               list(request.args), request.uri_language)
def link():
    return URL(request.vars.a or request.application, request.vars.c or 'default',
               request.vars.f or 'index', args=request.args, vars=dict(x=1) if request.vars.q
               else None, language=request.vars.lang)
def go():
    redirect(URL('default', 'show', args=['moved']))
def hello():
    return T('Hello')
def boom():
    1 / 0
"""


def routes(root, text: str, app: str | None = None) -> None:
    folder = root / "applications" / app if app else root
    path = folder / "routes.py"
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 10_000_000  # a new mtime even within one clock tick
    os.utime(path, ns=(stamp, stamp))


def app(root, name: str, **files) -> None:
    write_app(root, name, {"controllers/default.py": SHOW, **files})


# --------------------------------------------------------------------------------------------
# parameter-based routers
# --------------------------------------------------------------------------------------------
def test_router_default_application_omits_the_defaults_both_ways(root, live_server, http):
    app(root, "myapp")
    app(root, "other")
    routes(root, """
        routers = dict(BASE=dict(default_application='myapp'))
    """)
    base = live_server(root)
    assert http(base + "/").text == "index of myapp"
    assert http(base + "/show/a/b").text == "myapp/default/show ['a', 'b'] None"
    assert http(base + "/default/show/x").text == "myapp/default/show ['x'] None"
    assert http(base + "/other/show").text == "other/default/show [] None"
    assert http(base + "/link").text == "/"
    assert http(base + "/link?f=show").text == "/show"
    assert http(base + "/link/1/2?f=show").text == "/show/1/2"
    assert http(base + "/link?a=other").text == "/other"
    assert http(base + "/link?a=other&f=show&q=1").text == "/other/show?x=1"
    answer = http(base + "/go")
    assert_answer(answer, 303, Location="/show/moved")


def test_router_app_name_in_url_is_kept_when_it_would_be_read_as_a_controller(root, live_server,
                                                                               http):
    app(root, "myapp", **{"controllers/other.py": "def index():\n    return 'ctl other'\n"})
    app(root, "other")
    routes(root, "routers = dict(BASE=dict(default_application='myapp'))\n")
    base = live_server(root)
    # 'other' is both an app and a controller of myapp: the app wins, as in web2py
    assert http(base + "/other").text == "index of other"
    assert http(base + "/link?c=other").text == "/myapp/other"
    assert http(base + "/myapp/other").text == "ctl other"


def test_router_languages_set_uri_language_and_T(root, live_server, http):
    app(root, "myapp", **{"languages/it.py": "{'Hello': 'Ciao'}\n"})
    routes(root, """
        routers = dict(
            BASE=dict(default_application='myapp'),
            myapp=dict(languages=['en', 'it', 'jp'], default_language='en'),
        )
    """)
    base = live_server(root)
    assert http(base + "/it/show/1").text == "myapp/default/show ['1'] it"
    assert http(base + "/show/1").text == "myapp/default/show ['1'] en"
    assert http(base + "/it/hello").text == "Ciao"
    assert http(base + "/hello").text == "Hello"
    assert http(base + "/it/link?f=show").text == "/it/show"
    assert http(base + "/link?f=show").text == "/show"
    assert http(base + "/link?f=show&lang=jp").text == "/jp/show"


def test_router_per_app_routes_py_adds_to_the_app_router(root, live_server, http):
    app(root, "myapp", **{"controllers/blog.py": "def index():\n    return 'blog'\n"
                                                 "def post():\n    return 'post ' + request.args(0)\n"})
    routes(root, "routers = dict(BASE=dict(default_application='myapp'))\n")
    routes(root, "routers = dict(myapp=dict(default_controller='blog'))\n", app="myapp")
    base = live_server(root)
    assert http(base + "/").text == "blog"
    assert http(base + "/post/7").text == "post 7"
    assert http(base + "/default/show").text == "myapp/default/show [] None"


def test_router_domains_pick_the_app(root, live_server, http):
    app(root, "app1")
    app(root, "app2")
    routes(root, """
        routers = dict(BASE=dict(domains={'domain1.com': 'app1', 'domain2.com': 'app2'}))
    """)
    base = live_server(root)
    assert http(base + "/", headers={"Host": "domain1.com"}).text == "index of app1"
    assert http(base + "/show/z", headers={"Host": "domain2.com"}).text == \
        "app2/default/show ['z'] None"
    assert http(base + "/link?f=show", headers={"Host": "domain2.com"}).text == "/show"


def test_router_map_hyphen_and_args_match(root, live_server, http):
    write_app(root, "my_app", {"controllers/my_ctl.py": SHOW})
    routes(root, """
        routers = dict(BASE=dict(default_application='my_app', map_hyphen=True,
                                 default_controller='my_ctl'))
    """)
    base = live_server(root)
    assert http(base + "/show/a-b").text == "my_app/my_ctl/show ['a-b'] None"
    assert http(base + "/my-ctl/show").text == "my_app/my_ctl/show [] None"
    assert_answer(http(base + "/show/a%3Cb"), 400, "invalid request: bad arguments")
    assert http(base + "/link?c=my_ctl&f=hello").text == "/hello"


def test_router_static_files_and_root_static(root, live_server, http):
    app(root, "myapp", **{"static/robots.txt": "no robots\n", "static/css/x.css": "x{}\n"})
    routes(root, "routers = dict(BASE=dict(default_application='myapp'))\n")
    base = live_server(root)
    assert http(base + "/robots.txt").text == "no robots\n"
    assert http(base + "/myapp/static/css/x.css").text == "x{}\n"
    assert http(base + "/static/css/x.css").text == "x{}\n"
    assert http(base + "/static/..%2f..%2fx").status in (400, 404)


# --------------------------------------------------------------------------------------------
# pattern-based routes_in / routes_out
# --------------------------------------------------------------------------------------------
def test_routes_in_and_out_the_books_testme_example(root, live_server, http):
    app(root, "examples")
    routes(root, """
        routes_in = (('/testme', '/examples/default/index'),)
        routes_out = (('/examples/default/index', '/testme'),)
    """)
    base = live_server(root)
    assert http(base + "/testme").text == "index of examples"
    assert http(base + "/examples/default/link").text == "/testme"
    assert http(base + "/examples/default/link?f=show").text == "/examples/default/show"


def test_routes_in_with_named_groups_anything_and_a_query(root, live_server, http):
    app(root, "init", **{"static/a.txt": "static a\n"})
    routes(root, r"""
        routes_in = (
            ('/static/$anything', '/init/static/$anything'),
            ('/blog/$y/$m', '/init/default/show/$y/$m?from=blog'),
            ('/$c/$f', '/init/$c/$f'),
            ('/old', '301->/new/place'),
        )
        routes_out = (
            ('/init/default/show/$y/$m', '/blog/$y/$m'),
            ('/init/$c/$f', '/$c/$f'),
        )
    """)
    base = live_server(root)
    assert http(base + "/static/a.txt").text == "static a\n"
    assert http(base + "/blog/2024/05").text == "init/default/show ['2024', '05'] None"
    assert http(base + "/default/show").text == "init/default/show [] None"
    assert http(base + "/default/link?f=show").text == "/default/show"
    assert http(base + "/init/default/link/2024/05?f=show").text == "/blog/2024/05"
    moved = http(base + "/old")
    assert_answer(moved, 301, Location="/new/place")


def test_routes_in_matches_the_host_and_method_part(root, live_server, http):
    app(root, "init")
    app(root, "admin")
    routes(root, r"""
        routes_in = (
            (r'.*:https?://admin\.example\.com:[a-z]+ /$anything', '/admin/default/$anything'),
            (r'.*:https?://[^:/]+:post /form', '/init/default/show/posted'),
        )
    """)
    base = live_server(root)
    assert http(base + "/show", headers={"Host": "admin.example.com"}).text == \
        "admin/default/show [] None"
    assert http(base + "/form", data=b"x=1").text == "init/default/show ['posted'] None"
    assert_answer(http(base + "/form"), 404, "invalid application")


def test_default_application_controller_and_function(root, live_server, http):
    write_app(root, "site", {"controllers/pages.py": SHOW.replace("def index", "def home")
                                                     + "\ndef start():\n    return 'start'\n"})
    routes(root, """
        default_application = 'site'
        default_controller = 'pages'
        default_function = 'start'
    """)
    base = live_server(root)
    assert http(base + "/").text == "start"
    assert http(base + "/site/pages/show").text == "site/pages/show [] None"


def test_routes_app_selects_the_apps_own_routes(root, live_server, http):
    app(root, "init")
    app(root, "blog")
    routes(root, r"""
        routes_app = ((r'/(?P<app>blog|init)\b.*', r'\g<app>'), (r'(.*)', r'init'))
    """)
    routes(root, """
        routes_in = (('/blog/latest', '/blog/default/show/latest'),)
        routes_out = (('/blog/default/show/latest', '/blog/latest'),)
    """, app="blog")
    base = live_server(root)
    assert http(base + "/blog/latest").text == "blog/default/show ['latest'] None"
    assert http(base + "/blog/default/link/latest?f=show").text == "/blog/latest"
    assert http(base + "/init/default/link/latest?f=show&a=blog").text == \
        "/blog/default/show/latest"


# --------------------------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------------------------
def test_routes_onerror_to_a_static_page_and_to_an_action(root, live_server, http):
    app(root, "init", **{
        "static/cantfind.html": "<h1>cannot find it</h1>\n",
        "controllers/error.py": "def index():\n    return 'error %s %s %s' % (request.vars.code, "
                                "request.vars.ticket, request.vars.requested_uri)\n"})
    routes(root, """
        routes_onerror = [
            ('init/404', '/init/static/cantfind.html'),
            ('*/*', '/init/error/index'),
        ]
    """)
    base = live_server(root)
    missing = http(base + "/init/default/nosuch")
    assert_answer(missing, 404, "<h1>cannot find it</h1>")
    assert missing.text == "<h1>cannot find it</h1>\n"
    failed = http(base + "/init/default/boom?a=1")
    assert_answer(failed, 500, "error 500 init/")
    code, ticket, uri = failed.text.split(" ", 1)[1].split(" ")
    assert code == "500" and ticket.startswith("init/") and uri == "/init/default/boom?a=1"
    assert (root / "applications" / "init" / "errors" / ticket.split("/", 1)[1]).is_file()


def test_routes_onerror_bang_keeps_the_plain_answer_and_urls_redirect(root, live_server, http):
    app(root, "init")
    routes(root, """
        routes_onerror = [('init/400', '!'), ('*/404', 'https://example.com/missing')]
    """)
    base = live_server(root)
    assert_answer(http(base + "/init/de-fault/x"), 400, "invalid request: bad controller name")
    answer = http(base + "/init/default/nosuch")
    assert_answer(answer, 303, Location="https://example.com/missing?code=404&ticket=None"
                  "&requested_uri=%2Finit%2Fdefault%2Fnosuch&request_url=%2Finit%2Fdefault%2Fnosuch")
    assert answer.headers["Location"].startswith("https://example.com/missing?code=404&ticket=")


def test_error_handler_takes_requests_for_a_missing_app(root, live_server, http):
    app(root, "error")
    routes(root, "error_handler = dict(application='error', controller='default', "
                 "function='show')\n")
    base = live_server(root)
    answer = http(base + "/nosuchapp/default/index")
    assert_answer(answer, 303, Location="/error/default/show/nosuchapp")
    assert http(base + "/error/default/show/nosuchapp").text == \
        "error/default/show ['nosuchapp'] None"


# --------------------------------------------------------------------------------------------
# reloading and broken files
# --------------------------------------------------------------------------------------------
def test_an_edited_routes_py_applies_without_restart_and_a_broken_one_keeps_the_last(
        root, live_server, http, caplog):
    app(root, "examples")
    routes(root, "routes_in = (('/testme', '/examples/default/index'),)\n")
    base = live_server(root)
    assert http(base + "/testme").text == "index of examples"
    routes(root, "routes_in = (('/again', '/examples/default/show'),)\n")
    assert http(base + "/again").text == "examples/default/show [] None"
    routes(root, "routes_in = (\n    ('/x', '/examples/default/index'),\n    oops oops\n)\n")
    with caplog.at_level("ERROR", logger="pocketweb"):
        assert http(base + "/again").text == "examples/default/show [] None"
    assert "routes.py, line 3" in caplog.text and "previous rules stay" in caplog.text


def test_an_apps_routes_py_added_after_start_and_a_new_app_apply_on_the_next_request(
        root, live_server, http):
    app(root, "init")
    routes(root, r"""
        routes_app = ((r'/(?P<app>blog|init)\b.*', r'\g<app>'), (r'(.*)', r'init'))
    """)
    base = live_server(root)
    assert http(base + "/init/default/show").text == "init/default/show [] None"
    app(root, "blog")  # an app made while serving, with its own routes.py
    routes(root, "routes_in = (('/blog/latest', '/blog/default/show/latest'),)\n", app="blog")
    assert http(base + "/blog/latest").text == "blog/default/show ['latest'] None"
    routes(root, "routes_in = (('/blog/newest', '/blog/default/show/newest'),)\n", app="blog")
    assert http(base + "/blog/newest").text == "blog/default/show ['newest'] None"


def test_with_a_check_interval_routes_py_is_read_again_once_files_changed_says_so(root, http):
    """The rules are checked with the app's other files (server.file_stamps): a warm request
    between checks looks at no routes file, and files_changed makes the next one look."""
    from server.wsgi import make_application

    app(root, "examples")
    routes(root, "routes_in = (('/testme', '/examples/default/index'),)\n")
    application = make_application(root, change_check_interval=3600)
    base = serve_in_process(application)
    try:
        assert http(base + "/testme").text == "index of examples"
        routes(root, "routes_in = (('/again', '/examples/default/show'),)\n")
        assert http(base + "/testme").text == "index of examples"
        application.files_changed()
        assert http(base + "/again").text == "examples/default/show [] None"
    finally:
        stop_in_process(base)


def test_a_broken_routes_py_at_start_up_serves_plain_urls(root, live_server, http, caplog):
    app(root, "welcome")
    routes(root, "routers = dict(BASE=dict(default_aplication='welcome'))\n")
    with caplog.at_level("ERROR", logger="pocketweb"):
        base = live_server(root)
    assert "default_aplication" in caplog.text
    assert http(base + "/welcome/default/show").text == "welcome/default/show [] None"


def test_errors_at_run_time_name_the_line(tmp_path):
    (tmp_path / "applications").mkdir()
    (tmp_path / "routes.py").write_text("x = 1\ny = undefined_name\n")
    with pytest.raises(Exception, match=r"routes\.py, line 2: NameError"):
        load_rules(tmp_path, "welcome")
    (tmp_path / "routes.py").write_text("routes_in = (\n  ('/a(', '/b'),\n)\n")
    with pytest.raises(Exception, match=r"line 2: routes_in"):
        load_rules(tmp_path, "welcome")


def test_pattern_completion_matches_the_whole_request_key():
    rule = compile_pattern("/$c/$f", "/init/$c/$f")
    assert rule.apply("127.0.0.1:http://h:get /a/b") == "/init/a/b"
    assert rule.apply("127.0.0.1:http://h:get /a/b/c") is None
    by_address = compile_pattern("10.0.0.1:/x", "/y")
    assert by_address.apply("10.0.0.1:http://h:get /x") == "/y"
    assert by_address.apply("10.0.0.2:http://h:get /x") is None
