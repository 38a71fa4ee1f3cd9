"""Sessions over real HTTP: cookie flags, save-when-changed, locking, forget/renew, flash."""

import re
import sqlite3
import time

import pytest
from support import SESSION_COUNTER_CONTROLLER, counts_after_overlapping_requests, write_app

from server.toolkit.crypto import secure_loads

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

def state():
    return "%s %s %s" % (session.is_new(), response.session_id_name, response.session_id)

def clear_all():
    session.clear()
    return "cleared"

def remember_until():
    import datetime
    session.x = 1
    response.session_cookie_expires = datetime.datetime.now() + datetime.timedelta(hours=1)
    return "until"

def remember_past():
    import datetime
    session.x = 1
    response.session_cookie_expires = datetime.datetime.now() - datetime.timedelta(hours=1)
    return "past"

def big():
    session.big = "x" * 6000
    return str(len(session.big))

def tables():
    return ",".join(db.tables)
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


def test_the_session_cookie_is_found_among_others_and_never_mistaken_for_a_look_alike(app, http):
    """A request whose Cookie header does not hold the app's cookie name is not parsed for it:
    the session must still be found beside other cookies, and a look-alike name or a value
    that holds the name must not be taken for it."""
    _, base = app
    answer = http(base + "/count")
    session_id = cookie_value(answer, "session_id_s")
    for header in (f"theme=dark; session_id_s={session_id}; lang=it",
                   f'session_id_s={session_id}; other="session_id_s"'):
        assert http(base + "/look", headers={"Cookie": header}).text == "1"
    for header in (f"session_id_sx={session_id}", f"theme=session_id_s{session_id}",
                   f"xsession_id_s={session_id}", "theme=dark"):
        assert http(base + "/look", headers={"Cookie": header}).text == "None", header


def test_sessions_in_the_database(root, wsgi_server, browser):
    folder = write_app(root, "d", {
        "models/db.py": "db = DAL('sqlite://storage.sqlite')\nsession.connect(request, response, db=db)\n",
        "controllers/default.py": CONTROLLER,
    })
    base = wsgi_server(root) + "/d/default"
    assert browser.get(base + "/count").text == "1"
    assert browser.get(base + "/count").text == "2"
    assert list((folder / "sessions").iterdir()) == []
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


def cookie_value(answer, name):
    header = answer.headers["Set-Cookie"]
    assert header.startswith(name + "="), header
    return header.split(";")[0].split("=", 1)[1]


def test_the_app_sees_whether_its_session_is_new_and_its_cookie(app, browser):
    _, base = app
    assert browser.get(base + "/state").text == "True session_id_s None"
    cookie = cookie_value(browser.get(base + "/count"), "session_id_s")
    assert browser.get(base + "/state").text == f"False session_id_s {cookie}"


def test_a_page_that_starts_a_session_is_not_stored_by_caches(app, browser):
    _, base = app
    assert "Cache-Control" not in browser.get(base + "/look").headers
    assert browser.get(base + "/count").headers["Cache-Control"] == "no-store"


def test_a_cleared_session_is_saved_empty(app, browser):
    _, base = app
    browser.get(base + "/count")
    assert browser.get(base + "/clear_all").text == "cleared"
    assert browser.get(base + "/look").text == "None"


def test_renewing_a_new_empty_session_stores_nothing(app, browser):
    folder, base = app
    answer = browser.get(base + "/renew")
    assert answer.text == "renewed" and "Set-Cookie" not in answer.headers
    assert list((folder / "sessions").iterdir()) == []


def test_remember_me_until_a_datetime_counts_the_seconds_left(app, browser):
    _, base = app
    cookie = browser.get(base + "/remember_until").headers["Set-Cookie"]
    max_age = int(re.search(r"Max-Age=(\d+)", cookie).group(1))
    assert 3500 <= max_age <= 3600
    assert "Max-Age=0" in browser.get(base + "/remember_past").headers["Set-Cookie"]


DB_MODEL = "db = DAL('sqlite://storage.sqlite')\nsession.connect(request, response, db=db)\n"


def test_connect_without_a_store_keeps_the_session_in_files(root, wsgi_server, browser):
    folder = write_app(root, "f", {"models/db.py": "session.connect(request, response)\n",
                                   "controllers/default.py": CONTROLLER})
    base = wsgi_server(root) + "/f/default"
    assert [browser.get(base + "/count").text for _ in range(2)] == ["1", "2"]
    assert len(list((folder / "sessions").iterdir())) == 1


def test_database_sessions_keep_the_table_name_and_client_address(root, wsgi_server, browser):
    folder = write_app(root, "d", {"models/db.py": DB_MODEL, "controllers/default.py": CONTROLLER})
    base = wsgi_server(root) + "/d/default"
    browser.get(base + "/count")
    assert "web2py_session_d" in browser.get(base + "/tables").text.split(",")
    rows = sqlite3.connect(folder / "databases/storage.sqlite").execute(
        "select client_ip from web2py_session_d").fetchall()
    assert rows == [("127.0.0.1",)]


@pytest.mark.parametrize("check_client", [True, False])
def test_check_client_loads_a_database_session_only_for_the_address_it_was_made_from(
        root, wsgi_server, browser, check_client):
    model = DB_MODEL.replace("db=db)", "db=db, check_client=True)") if check_client else DB_MODEL
    folder = write_app(root, "d", {"models/db.py": model, "controllers/default.py": CONTROLLER})
    base = wsgi_server(root) + "/d/default"
    assert [browser.get(base + "/count").text for _ in range(2)] == ["1", "2"]
    database = sqlite3.connect(folder / "databases/storage.sqlite")
    with database:  # the cookie now comes from another address than the session's
        database.execute("update web2py_session_d set client_ip = '10.1.2.3'")
    assert browser.get(base + "/count").text == ("1" if check_client else "3")
    rows = database.execute("select client_ip from web2py_session_d order by id").fetchall()
    database.close()
    assert rows == ([("10.1.2.3",), ("127.0.0.1",)] if check_client else [("10.1.2.3",)])


def test_renewing_a_database_session_moves_it_to_a_new_record(root, wsgi_server, browser):
    folder = write_app(root, "d", {"models/db.py": DB_MODEL, "controllers/default.py": CONTROLLER})
    base = wsgi_server(root) + "/d/default"
    first = cookie_value(browser.get(base + "/count"), "session_id_d")
    second = cookie_value(browser.get(base + "/renew"), "session_id_d")
    assert first.split(":")[0] != second.split(":")[0]
    assert browser.get(base + "/look").text == "1"
    rows = sqlite3.connect(folder / "databases/storage.sqlite").execute(
        "select id from web2py_session_d").fetchall()
    assert rows == [(int(second.split(":")[0]),)]


def test_cookie_sessions_are_sealed_compressed_and_can_be_remembered(root, wsgi_server, browser):
    model = ("session.connect(request, response, cookie_key='k3y-for-tests', "
             "compression_level=9, cookie_expires=3600)\n")
    folder = write_app(root, "c", {"models/db.py": model, "controllers/default.py": CONTROLLER
                                   + "\ndef name():\n    return response.session_data_name\n"})
    base = wsgi_server(root) + "/c/default"
    first = browser.get(base + "/count")
    assert "Max-Age=3600" in first.headers["Set-Cookie"]
    sealed = cookie_value(first, "session_data_c").strip('"')  # quoted: it holds "="
    assert "counter" not in sealed
    assert secure_loads(sealed, "k3y-for-tests", compression_level=9) == {"counter": 1}
    assert secure_loads(sealed, "another-key", compression_level=9) is None
    assert browser.get(base + "/count").text == "2"
    assert browser.get(base + "/name").text == "session_data_c"
    assert browser.get(base + "/big").text == "6000"  # over a cookie's size unless compressed
    assert browser.get(base + "/look").text == "2"
    assert not (folder / "sessions").exists() or list((folder / "sessions").iterdir()) == []


def test_sessions_in_redis_through_web2pys_redis_session(root, redis_url, wsgi_server, browser):
    import redis

    port = redis.Redis.from_url(redis_url).connection_pool.connection_kwargs["port"]
    model = ("from gluon.contrib.redis_utils import RConn\n"
             "from gluon.contrib.redis_session import RedisSession\n"
             f"session.connect(request, response, db=RedisSession(redis_conn=RConn("
             f"host='127.0.0.1', port={port})))\n")
    folder = write_app(root, "r", {"models/db.py": model, "controllers/default.py": CONTROLLER})
    base = wsgi_server(root) + "/r/default"
    assert [browser.get(base + "/count").text for _ in range(2)] == ["1", "2"]
    (cookie,) = browser.cookies
    client = redis.Redis.from_url(redis_url)
    assert client.exists(f"w2p:sess:r:{cookie.value}") == 1  # keyed by app: apps never share
    client.close()
    assert not (folder / "sessions").exists() or list((folder / "sessions").iterdir()) == []
