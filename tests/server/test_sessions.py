"""Sessions over real HTTP: cookie flags, save-when-changed, locking, forget/renew, and the API."""

import datetime
import os
import threading
import time

import pytest
from support import write_app

from server.sessions import (
    delete_expired_sessions,
    delete_session,
    list_sessions,
    read_session,
)

CONTROLLER = '''
import time

def count():
    session.counter = (session.counter or 0) + 1
    return str(session.counter)

def slow_count():
    value = (session.counter or 0) + 1
    time.sleep(0.05)
    session.counter = value
    return str(value)

def look():
    return str(session.counter)

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

def hold():
    import os
    open(os.path.join(request.folder, "started"), "w").close()
    release = os.path.join(request.folder, "release")
    for _ in range(1000):
        if os.path.exists(release):
            break
        time.sleep(0.01)
    session.counter = (session.counter or 0) + 1
    return "held"

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
    browser.get(base + "/count")
    threads = [threading.Thread(target=browser.get, args=(base + "/slow_count",))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert browser.get(base + "/look").text == "9"


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


def test_api_lists_reads_and_deletes(app, browser):
    folder, base = app
    browser.get(base + "/login_user")
    (info,) = list_sessions(folder)
    assert info.user_id == 42 and info.size > 0
    assert isinstance(info.modified, datetime.datetime)
    assert read_session(folder, info.id)["auth"]["user"]["email"] == "a@b.c"
    delete_session(folder, info.id)
    assert list_sessions(folder) == []
    assert browser.get(base + "/look").text == "None"


def test_api_refuses_bad_ids(app):
    folder, _ = app
    with pytest.raises(ValueError):
        read_session(folder, "../models/db.py")
    with pytest.raises(ValueError):
        delete_session(folder, "../../x")


def test_api_deletes_only_expired(app, browser, http):
    folder, base = app
    browser.get(base + "/count")
    http(base + "/count")
    old, _new = sorted((folder / "sessions").iterdir())
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert delete_expired_sessions(folder, 3600) == 1
    assert len(list_sessions(folder)) == 1


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


def test_cookie_is_secure_over_https(root, tmp_path):
    import ssl
    import subprocess
    import urllib.request

    from server.hosting.httpd import WebServer
    from server.wsgi import make_application

    write_app(root, "s", {"controllers/default.py": CONTROLLER})
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server = WebServer(make_application(root), "127.0.0.1", 0, certfile=str(cert), keyfile=str(key))
    server.start()
    try:
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        with urllib.request.urlopen(server.url + "/s/default/count", context=context) as answer:
            assert "Secure" in answer.headers["Set-Cookie"]
    finally:
        server.stop()


def _raw_get(base: str, path: str, cookie: str, timeout: float = 5.0) -> bytes:
    """One GET over a raw socket; the whole answer (the server closes: Connection: close)."""
    import socket
    import urllib.parse

    address = urllib.parse.urlsplit(base)
    with socket.create_connection((address.hostname, address.port), timeout=timeout) as sock:
        sock.sendall(f"GET {address.path}{path} HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\n"
                     "Connection: close\r\n\r\n".encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _wait_for(path, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.01)


def test_a_session_file_that_cannot_be_opened_leaves_no_lock_behind(root, live_server, browser,
                                                                     monkeypatch):
    """The open fails as it would for a file of another user (the tests may run as root, who
    can open anything, so the failure is injected where the store opens the file)."""
    import server.sessions

    folder = write_app(root, "s", {"controllers/default.py": CONTROLLER})
    base = live_server(root, session_lock_timeout=60) + "/s/default"
    browser.get(base + "/count")
    (path,) = (folder / "sessions").iterdir()
    cookie = f"session_id_s={path.name}"
    real_open = server.sessions.open_session_file

    def unopenable(file):
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(server.sessions, "open_session_file", unopenable)
    failed = _raw_get(base, "/count", cookie)
    assert failed.startswith(b"HTTP/1.1 500 ") and b"Traceback" not in failed
    monkeypatch.setattr(server.sessions, "open_session_file", real_open)
    started = time.monotonic()
    answer = _raw_get(base, "/count", cookie)  # a held lock would block it for a minute
    assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b"\r\n\r\n2")
    assert time.monotonic() - started < 5


def test_a_request_waiting_too_long_for_its_session_gets_503_with_retry_after(root, live_server,
                                                                               browser):
    folder = write_app(root, "s", {"controllers/default.py": CONTROLLER})
    base = live_server(root, session_lock_timeout=0.2) + "/s/default"
    browser.get(base + "/count")
    (path,) = (folder / "sessions").iterdir()
    cookie = f"session_id_s={path.name}"
    holder = threading.Thread(target=_raw_get, args=(base, "/hold", cookie))
    holder.start()
    try:
        _wait_for(folder / "started")
        busy = _raw_get(base, "/look", cookie)
    finally:
        (folder / "release").touch()
        holder.join(10)
    head, _, body = busy.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 503 ")
    assert b"\r\nRetry-After: 2" in head and b"text/plain" in head
    assert body == b"This session is busy with another request; try again in a moment."
    assert list((folder / "errors").iterdir()) == []
    assert _raw_get(base, "/look", cookie).endswith(b"\r\n\r\n2")


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_session_files_are_readable_by_their_owner_only(app, browser):
    folder, base = app
    browser.get(base + "/count")
    (path,) = (folder / "sessions").iterdir()
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_server_removes_expired_session_files_by_itself(root, wsgi_server, browser, http):
    folder = write_app(root, "s", {"controllers/default.py": CONTROLLER})
    (folder / "sessions" / ("a" * 32)).write_bytes(b"")
    os.utime(folder / "sessions" / ("a" * 32), (time.time() - 7200,) * 2)
    base = wsgi_server(root, session_max_age=3600) + "/s/default"
    assert browser.get(base + "/count").text == "1"
    deadline = time.monotonic() + 10
    while (folder / "sessions" / ("a" * 32)).exists():
        assert time.monotonic() < deadline, "the expired session was never removed"
        time.sleep(0.01)
    assert [p.name for p in (folder / "sessions").iterdir()] != []
