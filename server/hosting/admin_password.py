"""The admin password, with web2py's ``-a PASSWORD`` semantics.

``parameters_PORT.py`` in the root folder holds one line, ``password="pbkdf2(...)$salt$hash"``:
the same salted pbkdf2 format pydal's ``CRYPT`` validator writes and checks, so files written by
web2py work here and the other way round. The plain password is never stored. The file is read
with :mod:`ast` (never executed). No file means no password, which turns admin features off.

``parameters.py`` (port ``None``) is the root folder's own password, the one the desktop window
keeps: it holds for every port, so moving the server to another port keeps it. A port's own file
(web2py's ``-a`` on the command line) takes precedence for that port.
"""

from __future__ import annotations

import ast
import hashlib
import hmac
import re
import secrets
from pathlib import Path

from server.files import write_atomically

ITERATIONS = 210_000  # OWASP's figure for PBKDF2-HMAC-SHA512
KEY_LENGTH = 32
DIGEST = "sha512"
RECYCLE = "<recycle>"
HASH_RE = re.compile(
    r"^pbkdf2\((?P<iterations>\d+),(?P<length>\d+),(?P<digest>sha(1|224|256|384|512))\)"
    r"\$(?P<salt>[^$]*)\$(?P<hash>[0-9a-f]+)$"
)


class PasswordFileError(ValueError):
    """``parameters_PORT.py`` exists but does not hold a usable password hash."""


def parameters_file(root: Path, port: int | None) -> Path:
    """``parameters_PORT.py``, or the root-wide ``parameters.py`` for port None."""
    name = "parameters.py" if port is None else f"parameters_{int(port)}.py"
    return Path(root) / name


def _effective_file(root: Path, port: int | None) -> Path:
    """The file that holds the password for ``port``: its own if any, else the root's."""
    own = parameters_file(root, port)
    return own if port is None or own.is_file() else parameters_file(root, None)


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """``pbkdf2(ITERATIONS,LENGTH,sha512)$salt$hexhash`` for ``password``."""
    if not password:
        raise ValueError("the admin password cannot be empty")
    salt = secrets.token_hex(16) if salt is None else salt
    digest = hashlib.pbkdf2_hmac(DIGEST, password.encode(), salt.encode(), iterations, KEY_LENGTH)
    return f"pbkdf2({iterations},{KEY_LENGTH},{DIGEST})${salt}${digest.hex()}"


def _matches(candidate: str, stored: str) -> bool:
    parsed = HASH_RE.match(stored)
    if not parsed:
        raise PasswordFileError("the stored admin password is not a pbkdf2 hash")
    digest = hashlib.pbkdf2_hmac(
        parsed["digest"], candidate.encode(), parsed["salt"].encode(),
        int(parsed["iterations"]), int(parsed["length"]),
    )
    return hmac.compare_digest(digest.hex(), parsed["hash"])


def store_password(root: Path, port: int | None, password: str) -> Path:
    """Write the hash of ``password`` to ``parameters_PORT.py`` (``parameters.py`` for port
    None), atomically; returns the file."""
    target = parameters_file(root, port)
    line = f'password="{hash_password(password)}"\n'
    write_atomically(target, line, mode=0o600)
    return target


def read_hash(root: Path, port: int | None) -> str | None:
    """The stored hash for ``port`` (its own file, else the root's), or None without a file.
    A file that is not ``password="..."`` raises."""
    path = _effective_file(root, port)
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(text, filename=str(path))
    except SyntaxError as exc:
        raise PasswordFileError(f"{path.name} is not valid Python: {exc.msg}") from exc
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "password"
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            return node.value.value
    raise PasswordFileError(f'{path.name} has no line password="..."')


def has_password(root: Path, port: int | None) -> bool:
    """True when a usable password hash exists for ``port`` (admin features on)."""
    try:
        stored = read_hash(root, port)
    except (PasswordFileError, OSError, UnicodeDecodeError):
        return False
    return bool(stored and HASH_RE.match(stored))


def recycle_password(root: Path, port: int) -> bool:
    """web2py's ``-a '<recycle>'``: keep the existing file. False when there is none to reuse."""
    return has_password(root, port)


def check_password(root: Path, port: int | None, candidate: str) -> bool:
    """Whether ``candidate`` is the admin password for ``port`` (constant-time comparison).

    A right password stored with fewer iterations than :data:`ITERATIONS` (web2py's, an older
    Pocketweb's) is stored again with them, in the file it was read from.
    """
    if not candidate or not has_password(root, port):
        return False
    stored = read_hash(root, port)
    parsed = HASH_RE.match(stored) if stored else None  # has_password checked both
    if stored is None or parsed is None or not _matches(candidate, stored):
        return False
    if int(parsed["iterations"]) < ITERATIONS:
        source = _effective_file(root, port)
        store_password(root, port if source == parameters_file(root, port) else None, candidate)
    return True
