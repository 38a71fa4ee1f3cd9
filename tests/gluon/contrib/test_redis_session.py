"""gluon.contrib.redis_session is web2py's name for server.backends.redis_session_store
(one implementation)."""

from gluon.contrib.redis_session import RedisSession
from server.backends.redis_session_store import RedisSessions


def test_web2pys_name_is_the_servers_implementation():
    assert RedisSession is RedisSessions
