"""``RedisCache`` against a real Redis: shared values, freshness per call, the lock that lets one
thread or process compute a missing value, increments, clear and stats."""

import socket
import threading

import pytest
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from server.backends import redis_cache
from server.backends.redis_cache import RedisCache


@pytest.fixture
def conn(redis_url):
    connection = redis.Redis.from_url(redis_url)
    yield connection
    connection.close()


def test_a_value_is_computed_once_and_shared_by_another_cache_object(conn):
    calls = []
    first = RedisCache(conn, application="c1")
    assert first("k", lambda: calls.append(1) or "v", 60) == "v"
    assert RedisCache(conn, application="c1")("k", lambda: calls.append(1) or "w", 60) == "v"
    assert calls == [1]
    assert RedisCache(conn, application="other")("k", lambda: "w", 60) == "w"


def test_freshness_is_each_calls_time_expire_and_none_is_a_value(conn):
    cache = RedisCache(conn, application="c2")
    assert cache("none", lambda: None, 60) is None
    assert cache("none", lambda: "recomputed", 60) is None
    cache("k", lambda: 1, 60)
    assert cache("k", lambda: 2, 0) == 2  # time_expire 0: never fresh
    assert 0 < conn.ttl("w2p:cache:c2:none") <= 61
    cache("k", None)
    assert cache("k", lambda: 3, 60) == 3


def test_with_lock_many_threads_compute_a_missing_value_once(conn):
    cache = RedisCache(conn, application="c3", with_lock=True)
    calls, gate = [], threading.Barrier(8)

    def slow():
        calls.append(1)
        return "value"

    def reader():
        gate.wait()
        assert cache("shared", slow, 60) == "value"

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]


def test_increments_from_many_threads_add_up(conn):
    cache = RedisCache(conn, application="c4")
    threads = [threading.Thread(target=lambda: [cache.increment("n") for _ in range(10)])
               for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert cache.increment("n", 0) == 50


def test_clear_by_regex_and_stats(conn):
    cache = RedisCache(conn, application="c5", debug=True)
    for key in ("user:1", "user:2", "page"):
        cache(key, lambda: 1, 60)
    cache("page", lambda: 1, 60)
    assert cache.stats() == {"entries": 3, "hits": 1, "misses": 3}
    cache.clear("user:")
    assert cache.stats()["entries"] == 1
    cache.clear()
    assert cache.stats() == {"entries": 0, "hits": 0, "misses": 0}


def test_fail_gracefully_computes_when_redis_is_down():
    # no retries: redis-py's default three, with backoff, only make each refusal take ~4 s
    down = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.5,
                       retry=Retry(NoBackoff(), 0))
    assert RedisCache(down, application="c6", fail_gracefully=True)("k", lambda: 7) == 7
    with pytest.raises(redis.exceptions.ConnectionError):
        RedisCache(down, application="c6")("k", lambda: 7)


class ClosingServer:
    """A port that accepts connections and closes them at once (a Redis going down), counting
    the connections it was asked for."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted += 1
            connection.close()


def test_fail_gracefully_leaves_a_refusing_redis_alone_for_a_while_then_tries_again(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(redis_cache, "_clock", lambda: now[0])
    down = ClosingServer()
    conn = redis.Redis(host="127.0.0.1", port=down.port, retry=Retry(NoBackoff(), 0))
    try:
        first = RedisCache(conn, application="c7", fail_gracefully=True)  # one request's
        assert first("k", lambda: 1) == 1
        assert down.accepted >= 1
        asked = down.accepted
        now[0] += redis_cache.RETRY_AFTER_SECONDS - 1
        later = RedisCache(conn, application="c7", fail_gracefully=True)  # the next request's
        assert later("k", lambda: 2) == 2 and later("k") is None
        assert down.accepted == asked  # computed without asking the refusing server again
        with pytest.raises(redis.exceptions.ConnectionError):  # not failing gracefully: raises
            RedisCache(conn, application="c7")("k", lambda: 3)
        asked = down.accepted
        now[0] += 2
        assert RedisCache(conn, application="c7", fail_gracefully=True)("k", lambda: 4) == 4
        assert down.accepted > asked  # the while is over: asked again
    finally:
        down.listener.close()
        conn.close()
