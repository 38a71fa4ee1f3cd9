"""gluon.cache: Cache with ram and disk models, and lazy_cache for module functions."""

from gluon.cache import Cache, CacheInRam, CacheOnDisk, lazy_cache
from server.current import current


def test_ram_and_disk_models_keep_values(tmp_path):
    cache = Cache(tmp_path)
    assert isinstance(cache.ram, CacheInRam) and isinstance(cache.disk, CacheOnDisk)
    assert cache.ram("k", lambda: 1, time_expire=60) == 1
    assert cache.ram("k", lambda: 2, time_expire=60) == 1
    assert cache.disk("d", lambda: [1], time_expire=60) == [1]
    assert cache.disk("d", lambda: [2], time_expire=60) == [1]


def test_lazy_cache_uses_the_running_apps_cache(tmp_path):
    calls = []

    @lazy_cache("square", time_expire=60)
    def square(x):
        calls.append(x)
        return x * x

    assert square(3) == 9 and calls == [3]  # no app running: just called
    current.cache = Cache(tmp_path)
    try:
        assert square(4) == 16 and square(4) == 16 and calls == [3, 4]
        assert square(5) == 25 and calls == [3, 4, 5]
    finally:
        current.cache = None
