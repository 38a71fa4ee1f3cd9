"""``cache.redis = RedisCache(redis_conn=...)``: a cache every process and machine of an app
shares (web2py's ``gluon.contrib.redis_cache``); ``cache.ram`` stays per process.

Values are pickled with the time they were stored, so each call's ``time_expire`` decides
freshness as ``cache.ram`` does; Redis drops a key by itself ``time_expire`` seconds after it was
written. ``with_lock`` makes one process compute a missing value while the others wait for it.
"""

from __future__ import annotations

import pickle
import re
import time
import weakref
from collections.abc import Callable
from typing import Any

import redis

from server.current import current
from server.pickles import unpickled

DEFAULT_TIME_EXPIRE = 300
LOCK_LIFETIME_SECONDS = 60  # longest a dead process's lock keeps others from computing
LOCK_WAIT_SECONDS = 30
RETRY_AFTER_SECONDS = 10  # how long a failing-gracefully cache leaves a Redis that refused it

# when each Redis client last refused a failing-gracefully cache, plus RETRY_AFTER_SECONDS: the
# apps make a RedisCache each request, and redis-py's retries make a refusal take ~3-4 s, so
# without it every cached call of every request would wait that long while Redis is down
_REFUSED_UNTIL: weakref.WeakKeyDictionary[redis.Redis, float] = weakref.WeakKeyDictionary()
_clock = time.monotonic


class RedisCache:
    """``cache.redis(key, f, time_expire)``, ``increment``, ``clear(regex)``, ``stats()``."""

    def __init__(self, redis_conn: redis.Redis, debug: bool = False, with_lock: bool = False,
                 fail_gracefully: bool = False, application: str | None = None):
        self.conn = redis_conn
        self.debug = debug
        self.with_lock = with_lock
        self.fail_gracefully = fail_gracefully
        self.prefix = f"w2p:cache:{application or current.request.application}:"
        self._stats_key = self.prefix[:-1] + "~stats"

    def __call__(self, key: str, f: Callable[[], Any] | None = None,
                 time_expire: float | None = DEFAULT_TIME_EXPIRE,
                 with_lock: bool | None = None) -> Any:
        if self.fail_gracefully and _REFUSED_UNTIL.get(self.conn, 0.0) > _clock():
            return f() if f is not None else None  # refused a moment ago: no wait for it
        try:
            if f is None:
                self.conn.delete(self.prefix + key)
                return None
            found = self._fresh(key, time_expire)
            if found is not None:
                return found[0]
            if self.with_lock if with_lock is None else with_lock:
                return self._compute_locked(key, f, time_expire)
            return self._compute(key, f, time_expire)
        except redis.exceptions.ConnectionError:
            if not self.fail_gracefully:
                raise
            _REFUSED_UNTIL[self.conn] = _clock() + RETRY_AFTER_SECONDS
            return f() if f is not None else None

    def _fresh(self, key: str, time_expire: float | None) -> tuple | None:
        """``(value,)`` when a fresh one is stored (a 1-tuple, since None may be the value)."""
        stored = unpickled(self.conn.get(self.prefix + key) or b"")  # type: ignore[arg-type] # redis returns bytes
        fresh = (isinstance(stored, tuple) and len(stored) == 2
                 and (time_expire is None or time.time() - stored[0] < time_expire))
        self._count("hits" if fresh else "misses")
        return (stored[1],) if fresh else None

    def _compute(self, key: str, f, time_expire: float | None):
        value = f()
        ttl = int(time_expire) + 1 if time_expire else None
        self.conn.set(self.prefix + key, pickle.dumps((time.time(), value)), ex=ttl)
        return value

    def _compute_locked(self, key: str, f, time_expire: float | None):
        with self.conn.lock(self.prefix + key + ":lock", timeout=LOCK_LIFETIME_SECONDS,
                            blocking_timeout=LOCK_WAIT_SECONDS):
            found = self._fresh(key, time_expire)  # another process may have just written it
            if found is not None:
                return found[0]
            return self._compute(key, f, time_expire)

    def increment(self, key: str, value: float = 1) -> float:
        """Add ``value`` to a stored number atomically (a missing key counts as 0)."""
        with self.conn.lock(self.prefix + key + ":lock", timeout=LOCK_LIFETIME_SECONDS,
                            blocking_timeout=LOCK_WAIT_SECONDS):
            stored = unpickled(self.conn.get(self.prefix + key) or b"")  # type: ignore[arg-type] # redis returns bytes
            old = stored[1] if isinstance(stored, tuple) and len(stored) == 2 else None
            total = (old or 0) + value
            self.conn.set(self.prefix + key, pickle.dumps((time.time(), total)))
            return total

    def clear(self, regex: str | None = None) -> None:
        """Forget this app's keys, or those ``regex`` matches from their start."""
        pattern = re.compile(regex) if regex is not None else None
        for full in self.conn.scan_iter(match=self.prefix + "*"):
            key = full.decode("utf-8", "replace")[len(self.prefix):]
            if not key.endswith(":lock") and (pattern is None or pattern.match(key)):
                self.conn.delete(full)
        if pattern is None:
            self.conn.delete(self._stats_key)

    def stats(self) -> dict:
        """``entries`` of this app; ``hits`` and ``misses`` too when made with ``debug``."""
        entries = sum(1 for full in self.conn.scan_iter(match=self.prefix + "*")
                      if not full.endswith(b":lock"))
        counts = {k.decode(): int(v) for k, v in self.conn.hgetall(self._stats_key).items()}  # type: ignore[union-attr] # redis returns bytes
        return {"entries": entries, "hits": counts.get("hits", 0),
                "misses": counts.get("misses", 0)}

    def _count(self, which: str) -> None:
        if self.debug:
            self.conn.hincrby(self._stats_key, which, 1)
