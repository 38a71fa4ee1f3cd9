"""Sessions over real HTTP: cookie flags, save-when-changed, locking, forget/renew, flash."""

import time

import pytest
from support import SESSION_COUNTER_CONTROLLER, counts_after_overlapping_requests, write_app

CONTROLLER = SESSION_COUNTER_CONTROLLER + '''

def forget_me():
    session.counter = 999
    session.forget(response)
    return "forgotten"

def renew():
    session.renew()
    return "renewed"

def secure():
    session.secure()
    session.x = 1
    return "secure"

def flash_then_redirect():
    session.flash = "saved!"
    redirect(URL("show_flash"))

def show_flash():
    return response.flash or ""

def remember():
    session.x = 1
    response.session_cookie_expires = 3600
    return "remembered"

def login_user():
    session.auth = dict(user=dict(id=42, email="a@b.c"))
    return "ok"
'''


@pytest.fixture
def app(root, wsgi_server):
    folder = write_app(root, "s", {"controllers/default.py": CONTROLLER})
    return folder, wsgi_server(root) + "/s/default"


def test_cookie_is_httponly_samesite_and_counter_persists(app, browser):
    _, base = app
    first = browser.get(base + "/count")
    cookie = first.headers["Set-Cookie"]
    assert cookie.startswith("session_id_s=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert browser.get(base + "/count").text == "2"
    assert browser.get(base + "/look").text == "2"


def test_untouched_session_writes_no_file(app, browser):
    folder, base = app
    browser.get(base + "/look")
    assert list((folder / "sessions").iterdir()) == []


def test_session_is_saved_only_when_changed(app, browser):
    folder, base = app
    browser.get(base + "/count")
    (path,) = (folder / "sessions").iterdir()
    before = path.stat().st_mtime_ns
    time.sleep(0.02)
    browser.get(base + "/look")
    assert path.stat().st_mtime_ns == before


def test_concurrent_requests_of_one_user_lose_no_update(app, browser):
    _, base = app
    assert counts_after_overlapping_requests(browser, base, 8) == "9"


def test_forget_keeps_the_stored_values(app, browser):
    _, base = app
    browser.get(base + "/count")
    browser.get(base + "/forget_me")
    assert browser.get(base + "/look").text == "1"


def test_renew_changes_the_id_and_keeps_data(app, browser):
    folder, base = app
    first = browser.get(base + "/count").headers["Set-Cookie"].split(";")[0]
    second = browser.get(base + "/renew").headers["Set-Cookie"].split(";")[0]
    assert first != second
    assert browser.get(base + "/look").text == "1"
    assert len(list((folder / "sessions").iterdir())) == 1


def test_remember_me_lifetime_sets_max_age(app, browser):
    _, base = app
    assert "Max-Age=3600" in browser.get(base + "/remember").headers["Set-Cookie"]
    assert "Max-Age" not in browser.get(base + "/count").headers["Set-Cookie"]


def test_secure_flag(app, browser):
    _, base = app
    assert "Secure" in browser.get(base + "/secure").headers["Set-Cookie"]


def test_flash_survives_a_redirect(app, browser):
    _, base = app
    assert browser.get(base + "/flash_then_redirect", follow_redirects=True).text == "saved!"
    assert browser.get(base + "/show_flash").text == ""


def test_forged_or_hostile_cookie_starts_a_fresh_session(app, http):
    _, base = app
    for value in ("../../etc/passwd", "0" * 32, "x" * 500):
        answer = http(base + "/look", headers={"Cookie": f"session_id_s={value}"})
        assert answer.status == 200 and answer.text == "None"


def test_sessions_in_the_database(root, wsgi_server, browser):
    folder = write_app(root, "d", {
        "models/db.py": "db = DAL('sqlite://storage.sqlite')\nsession.connect(request, response, db=db)\n",
        "controllers/default.py": CONTROLLER,
    })
    base = wsgi_server(root) + "/d/default"
    assert browser.get(base + "/count").text == "1"
    assert browser.get(base + "/count").text == "2"
    assert list((folder / "sessions").iterdir()) == []
    import sqlite3

    rows = sqlite3.connect(folder / "databases/storage.sqlite").execute(
        "select count(*) from web2py_session_d").fetchone()
    assert rows == (1,)


def test_database_session_cookie_with_a_wrong_key_is_refused(root, wsgi_server, browser, http):
    """The cookie is ``record_id:unique_key``; a right id with a forged key must not load it."""
    write_app(root, "d", {
        "models/db.py": "db = DAL('sqlite://storage.sqlite')\nsession.connect(request, response, db=db)\n",
        "controllers/default.py": CONTROLLER,
    })
    base = wsgi_server(root) + "/d/default"
    browser.get(base + "/count")
    assert browser.get(base + "/count").text == "2"
    (cookie,) = browser.cookies
    record_id, key = cookie.value.split(":", 1)
    other_key = "0" * 32 if key != "0" * 32 else "1" * 32  # well-formed, only not this record's
    for forged in (f"{record_id}:{other_key}", f"{record_id}:anykey", record_id):
        answer = http(base + "/look", headers={"Cookie": f"session_id_d={forged}"})
        assert (answer.status, answer.text) == (200, "None"), forged
    assert browser.get(base + "/look").text == "2"


def test_cookie_is_secure_over_https(root, tls_certificate):
    import ssl
    import urllib.request

    from server.hosting.httpd import WebServer
    from server.wsgi import make_application

    write_app(root, "s", {"controllers/default.py": CONTROLLER})
    cert, key = tls_certificate
    server = WebServer(make_application(root), "127.0.0.1", 0, certfile=str(cert), keyfile=str(key))
    server.start()
    try:
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        with urllib.request.urlopen(server.url + "/s/default/count", context=context) as answer:
            assert "Secure" in answer.headers["Set-Cookie"]
    finally:
        server.stop()
