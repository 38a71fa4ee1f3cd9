"""web2py's ``gluon.contrib.redis_session``: ``session.connect(request, response,
db=RedisSession(redis_conn=RConn(), with_lock=True))``."""

from server.backends.redis_session_store import RedisSessions as RedisSession

__all__ = ["RedisSession"]
