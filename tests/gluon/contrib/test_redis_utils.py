"""gluon.contrib.redis_utils is web2py's name for server.backends.redis_connection (one implementation)."""

from gluon.contrib.redis_utils import RConn
from server.backends.redis_connection import redis_connection


def test_web2pys_name_is_the_servers_implementation():
    assert RConn is redis_connection
