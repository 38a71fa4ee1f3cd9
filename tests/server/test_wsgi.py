"""The pipeline end to end on a live server: return types, HTTP/redirect, transactions, tickets."""

import json
import os
import sqlite3

import pytest
from support import assert_answer, wait_until, write_app

CONTROLLER = '''
def text():
    return "plain"

def helper():
    return DIV(SPAN("x"), _class="box")

def stream():
    def chunks():
        for i in range(3):
            yield "part%d;" % i
    return chunks()

def written():
    response.write("<a>")
    response.write(XML("<b>"))

def missing_page():
    raise HTTP(404, DIV(T("No such <page>"), _class="error"))

def teapot():
    raise HTTP(418, "short and stout", X_Tea="earl grey")

def go():
    redirect(URL("text"))

def insert_ok():
    db.item.insert(name="kept")
    return "ok"

def insert_then_fail():
    db.item.insert(name="lost")
    password = "hunter2"
    1 / 0

def insert_then_redirect():
    db.item.insert(name="kept by redirect")
    redirect(URL("text"))

def count():
    return str(db(db.item).count())

def headers():
    response.headers["X-Custom"] = "yes"
    response.cookies["pref"] = "dark"
    response.cookies["pref"]["path"] = "/"
    return "h"

def created():
    response.status = 201
    return "made"

def names():
    needed = ["DIV", "A", "FORM", "INPUT", "TABLE", "XML", "IS_NOT_EMPTY", "IS_INT_IN_RANGE",
              "IS_EMAIL", "CRYPT", "DAL", "Field", "URL", "redirect", "HTTP", "T", "cache",
              "session", "request", "response", "current", "Service", "SQLFORM", "Auth"]
    return ",".join(name for name in needed if name not in globals())

def as_json():
    return response.json(dict(a=1, when=request.now.date()))
'''


@pytest.fixture
def app(root, wsgi_server):
    folder = write_app(root, "t", {
        "models/db.py": "db = DAL('sqlite://storage.sqlite')\n"
                        "db.define_table('item', Field('name'))\n",
        "controllers/default.py": CONTROLLER,
    })
    return folder, wsgi_server(root) + "/t/default"


def test_return_types(app, http):
    _, base = app
    assert http(base + "/text").text == "plain"
    assert http(base + "/helper").text == '<div class="box"><span>x</span></div>'
    assert http(base + "/stream").text == "part0;part1;part2;"
    assert http(base + "/written").text == "&lt;a&gt;<b>"


def test_http_and_redirect(app, http):
    _, base = app
    answer = http(base + "/teapot")
    assert_answer(answer, 418, "short and stout")
    assert answer.text == "short and stout"
    assert answer.headers["X-Tea"] == "earl grey"
    moved = http(base + "/go")
    assert_answer(moved, 303, Location="/t/default/text")


def test_http_body_may_be_a_helper(app, http):
    _, base = app
    answer = http(base + "/missing_page")
    assert_answer(answer, 404, "No such &lt;page&gt;")
    assert answer.text == '<div class="error">No such &lt;page&gt;</div>'


def test_headers_and_cookies(app, http):
    _, base = app
    answer = http(base + "/headers")
    assert answer.headers["X-Custom"] == "yes"
    assert "pref=dark" in answer.headers["Set-Cookie"]


def test_json_response(app, http):
    _, base = app
    answer = http(base + "/as_json")
    assert answer.headers["Content-Type"] == "application/json"
    assert json.loads(answer.text)["a"] == 1


def test_commit_on_success_and_redirect_rollback_on_error(app, http):
    _, base = app
    assert http(base + "/insert_ok").text == "ok"
    assert_answer(http(base + "/insert_then_fail"), 500, "Ticket issued")
    assert_answer(http(base + "/insert_then_redirect"), 303, Location="/t/default/text")
    assert http(base + "/count").text == "2"


def test_uncaught_error_gives_ticket_page_and_stored_ticket(app, http):
    folder, base = app
    answer = http(base + "/insert_then_fail?token=Zq-not-hex-secret")
    assert_answer(answer, 500, "Ticket issued")
    assert "Traceback" not in answer.text and "ZeroDivisionError" not in answer.text
    (ticket_file,) = (folder / "errors").iterdir()
    assert ticket_file.name in answer.text
    stored = ticket_file.read_text()
    assert "ZeroDivisionError" in stored
    assert "hunter2" in stored  # locals are kept for the developer ...
    assert "Zq-not-hex-secret" not in stored  # ... but secret-looking request vars are masked


def test_database_after_failure_has_no_half_write(app, http):
    folder, base = app
    http(base + "/insert_then_fail")
    rows = sqlite3.connect(folder / "databases/storage.sqlite").execute(
        "select name from item").fetchall()
    assert rows == []


def test_syntax_error_in_a_model_is_a_ticket_not_a_crash(root, wsgi_server, http):
    write_app(root, "broken", {"models/db.py": "this is not python\n",
                               "controllers/default.py": "def index():\n    return 'x'\n"})
    answer = http(wsgi_server(root) + "/broken/default/index")
    assert_answer(answer, 500, "Ticket issued")


def test_static_files_are_served_before_app_code(root, wsgi_server, http):
    write_app(root, "st", {"static/site.css": "body{}",
                           "models/db.py": "raise RuntimeError('models must not run')\n"})
    answer = http(wsgi_server(root) + "/st/static/site.css")
    assert answer.status == 200 and answer.text == "body{}"
    assert answer.headers["Content-Type"].startswith("text/css")


def test_static_traversal_is_refused(root, wsgi_server, http):
    write_app(root, "st", {"static/a.txt": "a", "models/secret.py": "password = 1"})
    base = wsgi_server(root)
    for path in ("/st/static/../models/secret.py", "/st/static/%2e%2e/models/secret.py",
                 "/st/static/..%2fmodels%2fsecret.py"):
        answer = http(base + path)
        assert answer.status in (400, 403, 404) and "password" not in answer.text


def test_the_same_callable_serves_under_gunicorn(root, welcome_app):
    import os
    import subprocess
    import sys
    import urllib.request
    from pathlib import Path

    from server.hosting.httpd import free_port
    from server.paths import SOURCE_ROOT

    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "server.wsgi:application"],
        cwd=SOURCE_ROOT, env={**os.environ, "POCKETWEB_ROOT": str(root)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    def welcome_page():
        try:
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/welcome/default/index",
                                          timeout=2).read().decode()
        except OSError:
            return None

    try:
        assert "Hello World" in wait_until(welcome_page, 20, 0.05, "gunicorn never answered")
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_response_status(app, http):
    _, base = app
    answer = http(base + "/created")
    assert answer.status == 201 and answer.text == "made"


def test_web2py_globals_are_injected(app, http):
    _, base = app
    assert http(base + "/names").text == ""


def test_welcome_service_call(root, welcome_app, wsgi_server, http):
    controller = welcome_app / "controllers/default.py"
    controller.write_text(controller.read_text()
                          + "\n@service.json\ndef add(a, b):\n    return int(a) + int(b)\n")
    answer = http(wsgi_server(root) + "/welcome/default/call/json/add?a=2&b=3")
    assert answer.status == 200 and "5" in answer.text


def _call(application, path: str, cookie: str = "") -> tuple[str, bytes]:
    """One request through the WSGI callable on this very thread."""
    import wsgiref.util

    environ = {"PATH_INFO": path, "HTTP_COOKIE": cookie} if cookie else {"PATH_INFO": path}
    wsgiref.util.setup_testing_defaults(environ)
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    return statuses[0], b"".join(body)


def test_what_one_app_puts_on_current_never_reaches_another_apps_request(root):
    from server.current import current
    from server.wsgi import make_application

    write_app(root, "leaky", {"models/db.py": "current.secret = 'leaky app secret'\n",
                              "controllers/default.py": "def index():\n    return 'ok'\n"})
    write_app(root, "other", {"controllers/default.py":
                              "def index():\n    return repr(getattr(current, 'secret', None))\n"})
    application = make_application(root)
    assert _call(application, "/leaky/default/index") == ("200 OK", b"ok")
    assert vars(current) == {}
    assert _call(application, "/other/default/index") == ("200 OK", b"None")


def test_a_load_component_shares_the_page_current_and_gives_it_back(root):
    from server.wsgi import make_application

    write_app(root, "page", {
        "models/db.py": "current.tag = 'models'\n",
        "controllers/default.py":
            "def index():\n"
            "    inner = LOAD('default', 'part', ajax=False).xml()\n"
            "    return '%s|%s|%s' % (inner, current.request.function, current.tag)\n"
            "def part():\n"
            "    current.tag = 'changed by the component'\n"
            "    return current.request.function + '+' + 'models'\n",
    })
    status, body = _call(make_application(root), "/page/default/index")
    assert status == "200 OK"
    assert body.endswith(b"part+models</div>|index|models")


# ----- property: nothing a client sends gets a 5xx, a traceback or a split header -----------
PROPERTY_APP = """
def index():
    return "hello"

def echo():
    return dict(vars=request.vars, args=request.args, cookies=sorted(request.cookies))

def body():
    return request.body.read()

def visit():
    session.visits = (session.visits or 0) + 1
    session.last = request.vars.q
    response.flash = request.vars.q
    return str(session.visits)

def translated():
    return DIV(T("Hello %s", (request.vars.q or "",)), _title=T("Hi %s", (request.vars.q or "",)))

@request.restful()
def api():
    def GET(*args, **vars):
        return dict(args=args, vars=vars)

    def POST(name, **vars):
        return dict(name=name)
    return locals()
"""


def _latin1(data: bytes) -> str:
    return data.decode("latin-1")


def _wsgi_text(text: str) -> str:
    """A str as WSGI carries one: its UTF-8 bytes read as latin-1."""
    return _latin1(text.encode("utf-8"))


def _strategies():
    from hypothesis import strategies as st

    token = st.text("abcdefghijklmnopqrstuvwxyz_0123456789.-<>%\"'", min_size=0, max_size=12)
    segment = st.one_of(token, token, st.text(max_size=10).map(_wsgi_text),
                        st.binary(max_size=12).map(_latin1))
    action = st.sampled_from(["index", "echo", "body", "visit", "translated", "api"])
    extension = st.sampled_from(["", ".json", ".xml", ".csv", ".rss", ".load", ".html", ".exe"])
    safe_arg = st.text("abcdefghijklmnopqrstuvwxyz0123456789_.-@=", max_size=8)
    clean_path = st.builds(lambda function, ext, args: "/".join(
        ["", "prop", "default", function + ext, *args]), action, extension,
        st.lists(safe_arg, max_size=3))
    odd_path = st.lists(segment, max_size=6).map(lambda parts: "/" + "/".join(parts))
    path = st.one_of(clean_path, odd_path, st.builds(lambda tail: "/prop/" + tail, segment),
                     st.builds(lambda tail: "/prop/static/" + tail, segment))
    query = st.one_of(st.binary(max_size=80).map(_latin1),
                      st.lists(st.tuples(token, st.text(max_size=10)), max_size=8).map(
                          lambda pairs: _wsgi_text("&".join(f"{k}={v}" for k, v in pairs))))
    json_value = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                    max_size=4),
        max_leaves=12)
    part = st.tuples(token, st.one_of(st.none(), token), st.binary(max_size=30))
    multipart_body = st.lists(part, max_size=4).map(lambda parts: b"".join(
        b'--B\r\nContent-Disposition: form-data; name="' + name.encode() + b'"'
        + (b'; filename="' + filename.encode() + b'"' if filename is not None else b"")
        + b"\r\n\r\n" + data + b"\r\n" for name, filename, data in parts) + b"--B--\r\n")
    body = st.one_of(
        st.tuples(st.just("application/json"), json_value.map(lambda v: json.dumps(v).encode())),
        st.tuples(st.just("application/json"), st.binary(max_size=60)),
        st.tuples(st.just("multipart/form-data; boundary=B"), multipart_body),
        st.tuples(st.just("multipart/form-data; boundary=B"), st.binary(max_size=60)),
        st.tuples(st.just("application/x-www-form-urlencoded"), query.map(
            lambda q: q.encode("latin-1"))),
        st.tuples(st.text(max_size=30).map(_wsgi_text), st.binary(max_size=60)),
    )
    header_value = st.one_of(st.binary(max_size=60).map(_latin1), token)
    headers = st.fixed_dictionaries({}, optional={
        "HTTP_COOKIE": st.one_of(header_value, st.builds(
            lambda name, value: f"session_id_prop={name}; {value}", token, header_value)),
        "HTTP_X_FORWARDED_FOR": header_value,
        "HTTP_ACCEPT_LANGUAGE": header_value,
        "HTTP_HOST": header_value,
        "HTTP_X_REQUESTED_WITH": st.just("XMLHttpRequest"),
        "HTTP_WEB2PY_COMPONENT_ELEMENT": header_value,
        "HTTP_USER_AGENT": header_value,
        "HTTP_REFERER": header_value,
    })
    method = st.sampled_from(["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "BREW"])
    return st.fixed_dictionaries({
        "method": method, "path": path, "query": query, "body": body, "headers": headers,
        "remote": st.sampled_from(["127.0.0.1", "203.0.113.5", "", "::1"]),
        "length": st.sampled_from(["exact"] * 5 + ["missing", "bogus", "short"]),
    })


def _environ(case: dict) -> dict:
    import io
    import sys

    content_type, body = case["body"]
    length = {"exact": str(len(body)), "missing": None, "bogus": "-1x",
              "short": str(max(0, len(body) - 1))}[case["length"]]
    environ = {
        "REQUEST_METHOD": case["method"], "SCRIPT_NAME": "", "PATH_INFO": case["path"],
        "QUERY_STRING": case["query"], "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": case["remote"], "CONTENT_TYPE": content_type,
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "wsgi.multithread": True, "wsgi.multiprocess": False,
        "wsgi.run_once": False, **case["headers"],
    }
    if length is not None:
        environ["CONTENT_LENGTH"] = length
    return environ


def test_random_requests_never_get_a_5xx_a_traceback_or_a_split_header(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from support import call_wsgi, tickets

    from server.wsgi import make_application

    root = tmp_path_factory.mktemp("property")
    app_folder = write_app(root, "prop", {"controllers/default.py": PROPERTY_APP,
                                          "static/site.css": "body {}"})
    application = make_application(root)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_strategies())
    def check(case):
        status, headers, body = call_wsgi(application, _environ(case))
        assert int(status[:3]) < 500, (status, body[:300])
        assert b"Traceback" not in body
        for name, value in headers:
            assert not set("\r\n\0") & set(name + value), (name, value)
        assert tickets(app_folder) == []

    check()


CHANGING_APP = {
    "controllers/default.py": "def index():\n    T.force('it')\n    return dict(word=T('hello'))\n",
    "views/default/index.html": "view one {{=word}}",
    "languages/it.py": "{'hello': 'ciao'}\n",
}


def _edit_every_kind_of_file(app) -> None:
    """Edit the controller, the view and the language file, each a second newer (a file
    rewritten within the file system's clock tick would keep its time)."""
    edits = {"controllers/default.py":
             "def index():\n    T.force('it')\n    return dict(word=T('hello'), more=1)\n",
             "views/default/index.html": "view two {{=word}} {{=more}}",
             "languages/it.py": "{'hello': 'buongiorno'}\n"}
    for relative, text in edits.items():
        path = app / relative
        before = path.stat().st_mtime_ns
        path.write_text(text)
        os.utime(path, ns=(before + 10**9, before + 10**9))


def test_with_a_check_interval_edits_are_seen_once_files_changed_says_so(root):
    """Between checks a request reuses what the last one saw of the files (the documented
    delay, at most change_check_interval); files_changed, which the window's saves and live
    reload call, makes the very next request look at every file again."""
    from server.wsgi import make_application

    app = write_app(root, "changing", CHANGING_APP)
    application = make_application(root, change_check_interval=3600)
    assert _call(application, "/changing/default/index")[1] == b"view one ciao"
    _edit_every_kind_of_file(app)
    (app / "views/default/other.html").write_text("a new view")
    (app / "controllers/default.py").write_text(
        (app / "controllers/default.py").read_text()
        + "def other():\n    return dict()\n")
    assert _call(application, "/changing/default/index")[1] == b"view one ciao"
    application.files_changed()
    assert _call(application, "/changing/default/index")[1] == b"view two buongiorno 1"
    assert _call(application, "/changing/default/other")[1] == b"a new view"


def test_with_no_check_interval_the_next_request_sees_every_edit(root):
    from server.wsgi import make_application

    app = write_app(root, "changing", CHANGING_APP)
    application = make_application(root, change_check_interval=0)
    assert _call(application, "/changing/default/index")[1] == b"view one ciao"
    _edit_every_kind_of_file(app)
    assert _call(application, "/changing/default/index")[1] == b"view two buongiorno 1"


def test_apps_and_applications_never_share_what_they_cached_of_files(root, tmp_path):
    from server.wsgi import make_application

    for name in ("one", "two"):
        write_app(root, name, {"controllers/default.py": CHANGING_APP["controllers/default.py"],
                               "views/default/index.html": f"{name} {{{{=word}}}}",
                               "languages/it.py": f"{{'hello': 'ciao {name}'}}\n"})
    other_root = tmp_path / "other"
    write_app(other_root, "one", {"controllers/default.py": "def index():\n    return 'plain'\n"})
    application = make_application(root, change_check_interval=3600)
    other = make_application(other_root, change_check_interval=3600)
    for _ in range(2):
        assert _call(application, "/one/default/index")[1] == b"one ciao one"
        assert _call(application, "/two/default/index")[1] == b"two ciao two"
        assert _call(other, "/one/default/index")[1] == b"plain"


def _call_in(application, path: str, language: str) -> bytes:
    import wsgiref.util

    environ = {"PATH_INFO": path, "HTTP_ACCEPT_LANGUAGE": language}
    wsgiref.util.setup_testing_defaults(environ)
    return b"".join(application(environ, lambda status, headers, exc_info=None: None))


def test_with_a_check_interval_new_models_and_language_files_are_seen_once_files_changed(root):
    """The model listing and each Accept-Language's chosen language are kept between checks;
    files_changed shows the very next request a new model and a new language file."""
    from server.wsgi import make_application

    app = write_app(root, "growing", {"controllers/default.py":
                                      "def index():\n"
                                      "    return '%s %s' % (globals().get('mark'), T('hi'))\n"})
    application = make_application(root, change_check_interval=3600)
    assert _call_in(application, "/growing/default/index", "fr") == b"None hi"
    (app / "models/db.py").write_text("mark = 'model'\n")
    (app / "languages/fr.py").write_text("{'hi': 'salut'}\n")
    assert _call_in(application, "/growing/default/index", "fr") == b"None hi"
    application.files_changed()
    assert _call_in(application, "/growing/default/index", "fr") == b"model salut"
    assert _call_in(application, "/growing/default/index", "de") == b"model hi"
    assert _call_in(application, "/growing/default/index", "fr-ca, de") == b"model salut"


def test_an_app_is_served_while_its_folder_is_there_and_found_once_it_is_made(root):
    import shutil

    from server.wsgi import make_application

    application = make_application(root, change_check_interval=0)
    assert _call(application, "/later/default/index")[0].startswith("404")
    write_app(root, "later", {"controllers/default.py": "def index():\n    return 'here'\n"})
    assert _call(application, "/later/default/index") == ("200 OK", b"here")
    shutil.rmtree(root / "applications" / "later")
    assert _call(application, "/later/default/index")[0].startswith("404")
    assert _call(application, "/bad-name/default/index")[0][:3] in ("400", "404")


# ----- the usual answer's headers, finished at once -------------------------------------------
ANSWERS = '''
def plain():
    return "plain"

def made():
    response.status = 201
    return b"made"

def typed():
    response.headers["Content-Type"] = "text/plain"
    return "typed"

def framed():
    response.headers["X-Frame-Options"] = "DENY"
    return "framed"

def remembered():
    session.x = 1
    return "remembered"

def cookie():
    response.cookies["pref"] = "dark"
    return "cookie"
'''


def _answer(application, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    """One request through the WSGI callable: its status line, headers (as sent) and body."""
    import wsgiref.util

    environ = {"PATH_INFO": path}
    wsgiref.util.setup_testing_defaults(environ)
    started = []
    body = application(environ, lambda status, headers, exc_info=None: started.append(
        (status, headers)))
    return (*started[0], b"".join(body))


@pytest.mark.parametrize("onerror", [False, True])
def test_an_answer_setting_no_header_gets_exactly_what_finish_headers_would_send(root, onerror):
    """The usual answer's headers are built at once (not passed through finish_headers); they
    must be the very lines finish_headers sends, behind routes_onerror's held answer too."""
    from server.headers import finish_headers
    from server.wsgi import make_application

    write_app(root, "t", {"controllers/default.py": ANSWERS})
    if onerror:
        (root / "routes.py").write_text("routes_onerror = [('t/404', '!')]\n")
    application = make_application(root, change_check_interval=0)
    html = "text/html; charset=utf-8"
    assert _answer(application, "/t/default/plain") == (
        "200 OK", finish_headers([("Content-Type", html), ("Content-Length", "5")]), b"plain")
    assert _answer(application, "/t/default/made") == (
        "201 Created", finish_headers([("Content-Type", html), ("Content-Length", "4")]), b"made")
    assert _answer(application, "/t/default/typed")[1] == finish_headers(
        [("Content-Type", "text/plain"), ("Content-Length", "5")])


def test_an_answer_with_headers_of_its_own_still_goes_through_finish_headers(root):
    from server.wsgi import make_application

    write_app(root, "t", {"controllers/default.py": ANSWERS})
    application = make_application(root, change_check_interval=0)
    _, framed, _ = _answer(application, "/t/default/framed")
    assert [value for name, value in framed if name == "X-Frame-Options"] == ["DENY"]
    assert ("X-Content-Type-Options", "nosniff") in framed
    _, remembered, _ = _answer(application, "/t/default/remembered")
    assert ("Cache-Control", "no-store") in remembered
    assert any(name == "Set-Cookie" and value.startswith("session_id_t=")
               for name, value in remembered)
    _, cookie, _ = _answer(application, "/t/default/cookie")
    assert ("Set-Cookie", "pref=dark") in cookie
    assert ("Referrer-Policy", "same-origin") in cookie
