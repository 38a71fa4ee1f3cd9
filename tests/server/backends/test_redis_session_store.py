"""Sessions in a real Redis (the ``redis_url`` fixture): shared by application objects, locked
across concurrent requests of one user, expiring, and hostile cookies read as fresh sessions."""


import pytest
import redis
from support import SESSION_COUNTER_CONTROLLER, counts_after_overlapping_requests, write_app

CONTROLLER = SESSION_COUNTER_CONTROLLER


def redis_app(root, redis_url, name, expiry=False, lock_options=""):
    port = redis.Redis.from_url(redis_url).connection_pool.connection_kwargs["port"]
    model = (f"from gluon.contrib.redis_utils import RConn\n"
             f"from gluon.contrib.redis_session import RedisSession\n"
             f"rconn = RConn(host='127.0.0.1', port={port})\n"
             f"session.connect(request, response, db=RedisSession(redis_conn=rconn, "
             f"session_expiry={expiry}, with_lock=True{lock_options}))\n")
    return write_app(root, name, {"models/db.py": model, "controllers/default.py": CONTROLLER
                                  + LOCK_TTL_ACTION})


LOCK_TTL_ACTION = """
def lock_ttl():
    return str(rconn.pttl("w2p:sess:%s:%s:lock" % (request.application, response.session_id)))
"""


@pytest.fixture
def client(redis_url):
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


def test_two_application_objects_share_the_sessions(root, redis_url, wsgi_server, browser, http):
    folder = redis_app(root, redis_url, "r1")
    first = wsgi_server(root) + "/r1/default"
    assert browser.get(first + "/count").text == "1"
    (cookie,) = browser.cookies
    second = wsgi_server(root) + "/r1/default"  # another process's view: only Redis is shared
    answer = http(second + "/count", headers={"Cookie": f"session_id_r1={cookie.value}"})
    assert answer.text == "2"
    assert not any((folder / "sessions").glob("*"))


def test_concurrent_requests_of_one_user_lose_no_update(root, redis_url, wsgi_server, browser):
    redis_app(root, redis_url, "r2")
    base = wsgi_server(root) + "/r2/default"
    assert counts_after_overlapping_requests(browser, base, 8) == "9"


def test_session_expiry_is_the_key_lifetime(root, redis_url, wsgi_server, browser, client):
    redis_app(root, redis_url, "r3", expiry=120)
    browser.get(wsgi_server(root) + "/r3/default/count")
    (cookie,) = browser.cookies
    assert 0 < client.ttl(f"w2p:sess:r3:{cookie.value}") <= 120
    assert not client.exists(f"w2p:sess:r3:{cookie.value}:lock")  # released after the request


def test_hostile_or_unknown_cookies_are_fresh_sessions(root, redis_url, wsgi_server, http, client):
    redis_app(root, redis_url, "r4")
    base = wsgi_server(root) + "/r4/default"
    client.set("w2p:sess:r4:" + "1" * 32, b"not a pickle")
    for value in ("0" * 32, "1" * 32, "*", "../x", "x" * 500):
        answer = http(base + "/look", headers={"Cookie": f"session_id_r4={value}"})
        assert (answer.status, answer.text) == (200, "None"), value


@pytest.mark.parametrize(("lock_options", "longest_ms", "shortest_ms"),
                         [("", 60_000, 7_001), (", lock_lifetime=7", 7_000, 1)])
def test_a_requests_lock_lives_the_lock_lifetime_sixty_seconds_unless_set(
        root, redis_url, wsgi_server, browser, lock_options, longest_ms, shortest_ms):
    """The lifetime is how long a process that dies mid-request blocks its user's session."""
    name = "r5" if lock_options else "r6"
    redis_app(root, redis_url, name, lock_options=lock_options)
    base = wsgi_server(root) + f"/{name}/default"
    browser.get(base + "/count")  # makes the session; the next request loads it, locked
    assert shortest_ms <= int(browser.get(base + "/lock_ttl").text) <= longest_ms
