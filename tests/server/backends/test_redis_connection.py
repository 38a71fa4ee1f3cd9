"""``RConn``'s job: one client (one connection pool) per app and settings."""

from server.backends.redis_connection import redis_connection
from server.current import current
from server.storage import Storage


def test_one_client_per_application_and_settings(redis_url):
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    first = redis_connection("a", host="127.0.0.1", port=port)
    assert redis_connection("a", host="127.0.0.1", port=port) is first
    assert redis_connection("b", host="127.0.0.1", port=port) is not first
    assert first.ping()


def test_the_current_requests_app_by_default(redis_url):
    port = int(redis_url.rsplit(":", 1)[1].split("/")[0])
    current.request = Storage(application="a")
    try:
        assert redis_connection(host="127.0.0.1", port=port) is redis_connection(
            "a", host="127.0.0.1", port=port)
    finally:
        del current.request
