"""web2py's ``gluon.contrib.redis_cache``: ``cache.redis = RedisCache(redis_conn=RConn())``."""

from server.backends.redis_cache import RedisCache

__all__ = ["RedisCache"]
