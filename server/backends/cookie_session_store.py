"""Sessions kept in the client's cookie, encrypted and signed (``session.connect(cookie_key=)``).

Nothing is stored on the server, so every process (and every machine) that knows the key reads
the same sessions, and they survive a restart. The cookie is :func:`server.toolkit.crypto.secure_dumps`
of the values: a tampered, truncated or foreign cookie fails its signature check and the user
gets a fresh empty session, never an error.
"""

from __future__ import annotations

from server.toolkit.crypto import secure_dumps, secure_loads

# Browsers keep at most 4096 bytes per cookie, name and attributes included.
MAX_COOKIE_VALUE_BYTES = 3900


class SessionTooLarge(ValueError):
    """The session's values do not fit in a cookie: keep less in it, or use db= / Redis."""


class CookieSessionStore:
    """The store interface of :mod:`server.session_stores`; the "id" is the cookie itself."""

    chooses_ids = True

    def __init__(self, cookie_key: str, compression_level: int | None = None):
        self.cookie_key = cookie_key
        self.compression_level = compression_level

    def valid_id(self, token: str | None) -> bool:
        return token is not None and 0 < len(token) <= MAX_COOKIE_VALUE_BYTES and ":" in token

    def load(self, token: str) -> dict | None:
        """The values in an authentic cookie; None for any other."""
        try:
            values = secure_loads(token, self.cookie_key, compression_level=self.compression_level,
                                  safe_unpickle=False)
        except Exception:  # authentic but unreadable (a class that is gone): start afresh
            return None
        return dict(values) if isinstance(values, dict) else None

    def save(self, token: str | None, data: dict, client_ip: str = "") -> str:
        """The new cookie value for ``data`` (always a new one: each carries its own nonce)."""
        value = secure_dumps(dict(data), self.cookie_key,
                             compression_level=self.compression_level).decode("ascii")
        if len(value) > MAX_COOKIE_VALUE_BYTES:
            raise SessionTooLarge(
                f"the session is {len(value)} bytes as a cookie, more than browsers keep "
                f"({MAX_COOKIE_VALUE_BYTES}); store less in it or pass compression_level")
        return value

    def delete(self, token: str) -> None:
        """Nothing on the server to delete: the browser's cookie is replaced."""

    def release(self) -> None:
        """Nothing is locked."""
