"""Sessions in Redis (web2py's ``RedisSession``), so every process and machine of an app reads
the same ones: ``session.connect(request, response, db=RedisSession(redis_conn=...))``.

Each session is one key holding its pickled values, expiring after ``session_expiry`` seconds
when set. With ``with_lock`` a request holds a Redis lock on its session from load to save, so
two concurrent requests of one user (in any processes) never lose each other's update; the lock
expires by itself if the process holding it dies.
"""

from __future__ import annotations

import pickle

import redis

from server.options import DEFAULT_SESSION_LOCK_TIMEOUT
from server.session_stores import SESSION_ID_RE, session_busy, session_values

LOCK_LIFETIME_SECONDS = 60  # by default, the longest a dead process's lock blocks its session


class RedisSessions:
    """What ``RedisSession(...)`` returns: the settings each request's store is made from."""

    def __init__(self, redis_conn: redis.Redis, session_expiry: int | bool = False,
                 with_lock: bool = False, lock_timeout: float = DEFAULT_SESSION_LOCK_TIMEOUT,
                 lock_lifetime: float = LOCK_LIFETIME_SECONDS):
        """``lock_lifetime``: how long a lock outlives a process that died holding it, which
        blocks that one session meanwhile; it must exceed the app's longest request, or a slow
        request's lock runs out and a concurrent request of the same user may take it."""
        self.conn = redis_conn
        self.session_expiry = int(session_expiry) if session_expiry else None
        self.with_lock = with_lock
        self.lock_timeout = lock_timeout
        self.lock_lifetime = lock_lifetime

    def session_store(self, application: str) -> RedisSessionStore:
        """A store for one request of ``application`` (it holds that request's lock)."""
        return RedisSessionStore(self, application)


class RedisSessionStore:
    """The store interface of :mod:`server.session_stores`, on one Redis key per session."""

    def __init__(self, settings: RedisSessions, application: str):
        self.settings = settings
        self.prefix = f"w2p:sess:{application}:"
        self._lock: redis.lock.Lock | None = None
        self._locked_id: str | None = None

    def valid_id(self, session_id: str | None) -> bool:
        return bool(session_id) and bool(SESSION_ID_RE.match(session_id))  # type: ignore[arg-type] # redis returns bytes

    def load(self, session_id: str) -> dict | None:
        """Lock (with ``with_lock``) and read a session; None when Redis has none."""
        if self.settings.with_lock:
            self._acquire(session_id)
        raw = self.settings.conn.get(self.prefix + session_id)
        if raw is None:
            self.release()
            return None
        values = session_values(raw)  # type: ignore[arg-type] # redis returns bytes
        return {} if values is None else values  # damaged values start empty

    def save(self, session_id: str, data: dict) -> None:
        if self.settings.with_lock and self._locked_id != session_id:
            self.release()
            self._acquire(session_id)
        self.settings.conn.set(self.prefix + session_id,
                               pickle.dumps(dict(data), pickle.HIGHEST_PROTOCOL),
                               ex=self.settings.session_expiry)

    def delete(self, session_id: str) -> None:
        self.settings.conn.delete(self.prefix + session_id)

    def release(self) -> None:
        """Give up this request's lock, if it holds one (safe to call twice)."""
        lock, self._lock, self._locked_id = self._lock, None, None
        if lock is not None:
            try:
                lock.release()
            except redis.exceptions.LockError:  # it expired and another request took over
                pass

    def _acquire(self, session_id: str) -> None:
        lock = self.settings.conn.lock(self.prefix + session_id + ":lock",
                                       timeout=self.settings.lock_lifetime,
                                       blocking_timeout=self.settings.lock_timeout)
        if not lock.acquire():
            raise session_busy()
        self._lock, self._locked_id = lock, session_id
