"""Tokens, hashes and signed payloads (web2py's ``gluon.utils`` security helpers).

``secure_dumps`` pickles, optionally compresses, encrypts and signs; ``secure_loads`` checks
the signature before unpickling anything, so a tampered or foreign token reads as ``None``.
The cipher is SHA-256 in counter mode (a keystream from ``sha256(key, nonce, counter)``):
the standard library has no AES and a token only needs confidentiality plus the HMAC.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import pickle
import secrets
import uuid
import zlib
from collections.abc import Iterable
from typing import Any

NONCE_BYTES = 16


def web2py_uuid(ctokens: Any = None) -> str:
    """A random UUID4 string, ``xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`` (36 characters)."""
    return str(uuid.UUID(bytes=secrets.token_bytes(16), version=4))


def _as_bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


def md5_hash(text: str | bytes) -> str:
    return hashlib.md5(_as_bytes(text)).hexdigest()  # noqa: S324 - web2py's name and output


def simple_hash(text: str | bytes, key: str = "", salt: str = "",
                digest_alg: str = "md5") -> str:
    """Hex digest of ``text + salt`` (HMAC with ``key`` when given); ``digest_alg`` may also be
    ``sha1``, ``sha256`` ... or ``pbkdf2(iterations,keylen,alg)``."""
    if digest_alg.startswith("pbkdf2"):
        iterations, keylen, alg = digest_alg[7:-1].split(",")
        return hashlib.pbkdf2_hmac(alg.strip(), _as_bytes(text), _as_bytes(salt),
                                   int(iterations), int(keylen)).hex()
    data = _as_bytes(text) + _as_bytes(salt)
    if key:
        return hmac.new(_as_bytes(key), data, digest_alg).hexdigest()
    return hashlib.new(digest_alg, data).hexdigest()


def compare(a: str | bytes, b: str | bytes) -> bool:
    """Constant-time equality of two strings or byte strings."""
    return hmac.compare_digest(_as_bytes(a), _as_bytes(b))


def _keystream_xor(key: bytes, nonce: bytes, data: bytes) -> bytes:
    out = bytearray(len(data))
    for block in range(0, len(data), 32):
        pad = hashlib.sha256(key + nonce + block.to_bytes(8, "big")).digest()
        chunk = data[block:block + 32]
        out[block:block + len(chunk)] = bytes(x ^ y for x, y in zip(chunk, pad, strict=False))
    return bytes(out)


def _keys(encryption_key, hash_key) -> tuple[bytes, bytes]:
    cipher_key = hashlib.sha256(b"cipher:" + _as_bytes(encryption_key)).digest()
    signing_key = _as_bytes(hash_key) if hash_key else hashlib.sha256(
        b"sign:" + _as_bytes(encryption_key)).digest()
    return cipher_key, signing_key


def secure_dumps(data: Any, encryption_key: str | bytes, hash_key: str | bytes | None = None,
                 compression_level: int | None = None) -> bytes:
    """``data`` as a printable token only someone knowing ``encryption_key`` reads or forges."""
    cipher_key, signing_key = _keys(encryption_key, hash_key)
    payload = pickle.dumps(data, pickle.HIGHEST_PROTOCOL)
    if compression_level:
        payload = zlib.compress(payload, compression_level)
    nonce = secrets.token_bytes(NONCE_BYTES)
    body = base64.urlsafe_b64encode(nonce + _keystream_xor(cipher_key, nonce, payload))
    signature = hmac.new(signing_key, body, hashlib.sha256).hexdigest().encode()
    return signature + b":" + body


class _RestrictedUnpickler(pickle.Unpickler):
    """Unpickles plain data and the classes explicitly allowed, nothing else."""

    def __init__(self, stream, allowed_classes):
        super().__init__(stream)
        self.allowed = {(c.__module__, c.__qualname__): c for c in allowed_classes or ()}

    def find_class(self, module, name):
        if (module, name) in self.allowed:
            return self.allowed[(module, name)]
        if module == "builtins" and name in ("set", "frozenset", "complex", "bytearray"):
            return super().find_class(module, name)
        if module == "datetime" and name in ("date", "datetime", "time", "timedelta"):
            return super().find_class(module, name)
        if module == "decimal" and name == "Decimal":
            return super().find_class(module, name)
        if module == "server.storage" and name in ("Storage", "List"):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a secure token")


def secure_loads(data: str | bytes, encryption_key: str | bytes,
                 hash_key: str | bytes | None = None, compression_level: int | None = None,
                 safe_unpickle: bool = True, allowed_classes: Iterable[type] | None = None) -> Any:
    """The value ``secure_dumps`` wrapped, or None when the token is not authentic."""
    token = _as_bytes(data)
    if b":" not in token:
        return None
    signature, body = token.split(b":", 1)
    cipher_key, signing_key = _keys(encryption_key, hash_key)
    expected = hmac.new(signing_key, body, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        raw = base64.urlsafe_b64decode(body)
        payload = _keystream_xor(cipher_key, raw[:NONCE_BYTES], raw[NONCE_BYTES:])
        if compression_level:
            payload = zlib.decompress(payload)
        if safe_unpickle:
            return _RestrictedUnpickler(io.BytesIO(payload), allowed_classes).load()
        return pickle.loads(payload)  # noqa: S301 - authenticated above, caller opted out
    except (ValueError, zlib.error, pickle.UnpicklingError, EOFError):
        return None
