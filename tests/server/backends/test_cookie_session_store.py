"""Sessions in an encrypted, signed cookie: kept by the client, read by any process that knows
the key, refused (as a fresh empty session) when tampered with or cut short."""

import pytest
from support import SESSION_COUNTER_CONTROLLER, write_app

from server.backends.cookie_session_store import CookieSessionStore, SessionTooLarge

CONTROLLER = SESSION_COUNTER_CONTROLLER + '''

def big():
    session.blob = request.vars.n and "x" * int(request.vars.n)
    return "ok"
'''


def cookie_app(root, key="secret-key", compression=None):
    model = f"session.connect(request, response, cookie_key={key!r}, compression_level={compression})\n"
    return write_app(root, "c", {"models/db.py": model, "controllers/default.py": CONTROLLER})


@pytest.fixture
def base(root, wsgi_server):
    cookie_app(root)
    return wsgi_server(root) + "/c/default"


def test_the_counter_lives_in_the_cookie_and_nothing_on_the_server(root, base, browser):
    answer = browser.get(base + "/count")
    assert answer.headers["Set-Cookie"].startswith("session_data_c=")
    assert "HttpOnly" in answer.headers["Set-Cookie"]
    assert browser.get(base + "/count").text == "2"
    assert browser.get(base + "/look").text == "2"
    assert not any((root / "applications/c/sessions").glob("*"))


def test_another_application_object_with_the_key_reads_the_session(root, base, browser,
                                                                   wsgi_server, http):
    browser.get(base + "/count")
    (cookie,) = browser.cookies
    restarted = wsgi_server(root) + "/c/default"  # a new application object: nothing shared
    answer = http(restarted + "/count", headers={"Cookie": f"session_data_c={cookie.value}"})
    assert answer.text == "2"


def test_a_tampered_truncated_or_foreign_cookie_is_a_fresh_session(root, base, browser, http):
    browser.get(base + "/count")
    (cookie,) = browser.cookies
    value = cookie.value.strip('"')
    flipped = value[:-3] + ("A" if value[-3] != "A" else "B") + value[-2:]
    foreign = CookieSessionStore("another key").save(None, {"counter": 41})
    for forged in (flipped, value[: len(value) // 2], value.split(":")[1], foreign, "garbage",
                   "x" * 5000):
        answer = http(base + "/look", headers={"Cookie": f'session_data_c="{forged}"'})
        assert (answer.status, answer.text) == (200, "None"), forged


def test_compression_keeps_a_large_session_small(root, wsgi_server, browser):
    cookie_app(root, compression=9)
    base = wsgi_server(root) + "/c/default"
    browser.get(base + "/big?n=20000")
    (cookie,) = browser.cookies
    assert len(cookie.value) < 1000
    assert browser.get(base + "/count").text == "1"


def test_a_session_too_large_for_a_cookie_is_a_clear_error():
    with pytest.raises(SessionTooLarge, match="more than browsers keep"):
        CookieSessionStore("k").save(None, {"blob": "x" * 5000})


def test_the_store_reads_back_what_it_wrote_and_nothing_else():
    store = CookieSessionStore("k", compression_level=6)
    token = store.save(None, {"a": 1})
    assert store.load(token) == {"a": 1}
    assert CookieSessionStore("other", compression_level=6).load(token) is None
    assert store.valid_id(token) and not store.valid_id("") and not store.valid_id(None)
