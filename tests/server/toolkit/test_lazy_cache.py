"""server.toolkit.lazy_cache: the disk model when asked for."""

from server.cache import Cache
from server.current import current
from server.toolkit.lazy_cache import lazy_cache


def test_disk_model(tmp_path):
    calls = []

    @lazy_cache(time_expire=60, cache_model="disk")
    def value():
        calls.append(1)
        return [1]

    current.cache = Cache(tmp_path)
    try:
        assert value() == [1] and value() == [1] and calls == [1]
        assert any((tmp_path / "cache").iterdir())
    finally:
        vars(current).pop("cache", None)
