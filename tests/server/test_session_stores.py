"""Session stores: the bounded per-session lock, file modes, the expiry sweep, and a file that
cannot be opened, over real sockets; the LockTable on its own."""

import os
import threading
import time

import pytest
from support import (
    SESSION_COUNTER_CONTROLLER,
    counts_after_overlapping_requests,
    wait_until,
    write_app,
)

import server.session_stores
from server.session_stores import LockTable

CONTROLLER = SESSION_COUNTER_CONTROLLER + '''

def hold():
    open(os.path.join(request.folder, "started"), "w").close()
    release = os.path.join(request.folder, "release")
    for _ in range(1000):
        if os.path.exists(release):
            break
        time.sleep(0.01)
    session.counter = (session.counter or 0) + 1
    return "held"
'''


@pytest.fixture
def app(root, wsgi_server):
    folder = write_app(root, "s", {"controllers/default.py": CONTROLLER})
    return folder, wsgi_server(root) + "/s/default"


def test_the_lock_table_forgets_a_lock_nobody_holds_or_waits_for():
    table = LockTable()
    assert table.acquire("a", timeout=1)
    assert not table.acquire("a", timeout=0.01)
    assert len(table) == 1
    table.release("a")
    assert len(table) == 0
    for key in (f"client-chosen-{n}" for n in range(100)):
        assert table.acquire(key, timeout=1)
        table.release(key)
    assert len(table) == 0


def test_a_waiter_gets_the_lock_when_the_holder_releases_it():
    table = LockTable()
    table.acquire("a", timeout=1)
    got = []
    waiter = threading.Thread(target=lambda: got.append(table.acquire("a", timeout=10)))
    waiter.start()
    while table._entries["a"][1] < 2:  # the waiter has joined
        time.sleep(0.001)
    table.release("a")
    waiter.join(10)
    assert got == [True] and len(table) == 1
    table.release("a")
    assert len(table) == 0


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
    wait_until(path.exists, seconds, message=f"{path} never appeared")


def test_a_session_file_that_cannot_be_opened_leaves_no_lock_behind(root, live_server, browser,
                                                                     monkeypatch):
    """The open fails as it would for a file of another user (the tests may run as root, who
    can open anything, so the failure is injected where the store opens the file)."""
    import server.session_stores

    folder = write_app(root, "s", {"controllers/default.py": CONTROLLER})
    base = live_server(root, session_lock_timeout=60) + "/s/default"
    browser.get(base + "/count")
    (path,) = (folder / "sessions").iterdir()
    cookie = f"session_id_s={path.name}"
    real_open = server.session_stores.open_session_file

    def unopenable(file):
        raise PermissionError(13, "Permission denied", str(file))

    monkeypatch.setattr(server.session_stores, "open_session_file", unopenable)
    failed = _raw_get(base, "/count", cookie)
    assert failed.startswith(b"HTTP/1.1 500 ") and b"Traceback" not in failed
    monkeypatch.setattr(server.session_stores, "open_session_file", real_open)
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


def test_without_fcntl_as_on_windows_the_lock_table_alone_keeps_every_update(root, wsgi_server,
                                                                            browser,
                                                                            monkeypatch):
    """Windows has no fcntl: one process's threads are then kept apart by the LockTable only,
    and overlapping requests of one session must still lose nothing."""
    monkeypatch.setattr(server.session_stores, "fcntl", None)
    write_app(root, "s", {"controllers/default.py": CONTROLLER})
    base = wsgi_server(root) + "/s/default"
    assert counts_after_overlapping_requests(browser, base, 6) == "7"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_session_files_are_readable_by_their_owner_only(app, browser):
    folder, base = app
    browser.get(base + "/count")
    (path,) = (folder / "sessions").iterdir()
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_server_removes_expired_session_files_by_itself(root, live_server, browser, http):
    """Over a real cheroot server: the sweep runs in the serving process, by itself."""
    folder = write_app(root, "s", {"controllers/default.py": CONTROLLER})
    (folder / "sessions" / ("a" * 32)).write_bytes(b"")
    os.utime(folder / "sessions" / ("a" * 32), (time.time() - 7200,) * 2)
    base = live_server(root, session_max_age=3600) + "/s/default"
    assert browser.get(base + "/count").text == "1"
    wait_until(lambda: not (folder / "sessions" / ("a" * 32)).exists(),
               message="the expired session was never removed")
    assert [p.name for p in (folder / "sessions").iterdir()] != []
