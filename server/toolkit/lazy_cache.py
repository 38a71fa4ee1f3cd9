"""web2py's ``lazy_cache``: cache a module-level function's result in the running app's cache,
found at call time (a module is imported before any request exists, so it cannot take
``cache`` as an argument)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from server.current import current


def lazy_cache(key: str | None = None, time_expire: float | None = None,
               cache_model: str = "ram") -> Callable[[Callable], Callable]:
    """``@lazy_cache('k', time_expire=60, cache_model='disk')``: the result of the decorated
    function for each distinct argument list, kept in ``current.cache.<cache_model>``."""

    def decorator(function):
        name = key or f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def cached(*args, **kwargs):
            cache = getattr(current, "cache", None)
            if cache is None:
                return function(*args, **kwargs)
            entry = f"{name}:{args!r}:{sorted(kwargs.items())!r}"
            return getattr(cache, cache_model)(entry, lambda: function(*args, **kwargs),
                                               time_expire)

        return cached

    return decorator
