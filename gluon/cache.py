"""web2py's ``gluon.cache``: ``cache.ram``/``cache.disk`` models, ``@cache.action`` and
``lazy_cache``."""

from server.cache import DEFAULT_TIME_EXPIRE, Cache, CacheInRam, CacheModel, CacheOnDisk
from server.toolkit.lazy_cache import lazy_cache

CacheAbstract = CacheModel

__all__ = ["DEFAULT_TIME_EXPIRE", "Cache", "CacheAbstract", "CacheInRam", "CacheOnDisk",
           "lazy_cache"]
