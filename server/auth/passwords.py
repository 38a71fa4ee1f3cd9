"""Checking a typed password against a stored hash, in the same time whether or not there is
an account, and the hash brought up to the current settings once the password is known.

Hashes are pydal ``CRYPT``'s ``alg$salt$hash``: each names its own algorithm and iterations, so
web2py's older ``pbkdf2(1000,20,sha512)`` hashes still verify.
"""

from __future__ import annotations

import functools

from pydal.validators import CRYPT

# OWASP's 2023 figure for PBKDF2-HMAC-SHA512
DIGEST_ALG = "pbkdf2(210000,20,sha512)"
MIN_LENGTH = 8


@functools.lru_cache(maxsize=8)
def _dummy_hash(digest_alg: str) -> str:
    return str(CRYPT(digest_alg=digest_alg, salt=True)("no account has this password")[0])


def _wanted_alg(key, digest_alg: str) -> str:
    """The algorithm a new hash gets: ``key='alg:secret'`` names its own, as in pydal."""
    return key.split(":", 1)[0] if key and ":" in key else digest_alg


def password_matches(stored: str | None, password: str | None, key: str | None = None,
                     digest_alg: str = DIGEST_ALG) -> bool:
    """Whether ``password`` hashes to ``stored``. Without a stored hash a dummy one made with
    ``digest_alg`` is checked instead, so the answer takes as long as for a real account."""
    hashed, error = CRYPT(key=key, salt=True)(str(password or ""))
    matches = hashed == (stored or _dummy_hash(_wanted_alg(key, digest_alg)))
    return bool(stored) and not error and matches


def needs_rehash(stored: str, key: str | None = None, digest_alg: str = DIGEST_ALG) -> bool:
    """Whether ``stored`` was made with other settings than a new hash would be."""
    return str(stored).split("$", 1)[0] != _wanted_alg(key, digest_alg)


def new_hash(password: str, key: str | None = None, digest_alg: str = DIGEST_ALG) -> str:
    return str(CRYPT(key=key, digest_alg=digest_alg, salt=True)(password)[0])
