"""Serving files under an application's ``static/`` folder, before any application code runs.

Conditional requests (ETag / Last-Modified), single byte ranges and web2py's static versioning
(``/app/static/_1.2.3/css/x.css``) are handled here. Files are streamed in chunks from one open
file handle, whose ``fstat`` gives the size, so a file that changes while being sent can never
make the body disagree with Content-Length.

``wsgi.file_wrapper`` is deliberately not used: it sends a file to its end, which cannot express a
``bytes=a-b`` range, and cheroot does not provide one anyway.
"""

from __future__ import annotations

import mimetypes
import os
import re
import stat
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from http.client import responses as STATUS_TEXT
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from server.paths import PathEscape, safe_join

if TYPE_CHECKING:
    from collections.abc import Iterable

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

CHUNK_SIZE = 64 * 1024
ALLOWED_METHODS = ("GET", "HEAD")
VERSION_SEGMENT = re.compile(r"^_\d+\.\d+\.\d+$")  # web2py: _major.minor.patch
FAR_FUTURE_SECONDS = 10 * 365 * 24 * 3600
RANGE_SPEC = re.compile(r"^bytes=(\d*)-(\d*)$")
TEXT_LIKE_TYPES = {
    "application/javascript", "application/json", "application/xml", "image/svg+xml",
    "application/xhtml+xml", "application/ld+json", "application/manifest+json",
}
COMPRESSED_TYPES = {
    "gzip": "application/gzip", "bzip2": "application/x-bzip2", "xz": "application/x-xz",
    "br": "application/x-brotli", "compress": "application/x-compress",
}


@dataclass(frozen=True)
class FileFacts:
    """What the validators and headers are computed from, taken from the open file."""

    size: int
    mtime: float
    mtime_ns: int

    @property
    def etag(self) -> str:
        return f'"{self.size:x}-{self.mtime_ns:x}"'

    @property
    def last_modified(self) -> str:
        return formatdate(self.mtime, usegmt=True)


class FileChunks:
    """A closeable WSGI body: ``length`` bytes of ``handle`` from ``start``, in chunks."""

    def __init__(self, handle: BinaryIO, start: int | None = None, length: float = float("inf"),
                 chunk_size: int = CHUNK_SIZE):
        """``start=None`` reads from where the handle is (it may not be seekable); the default
        ``length`` reads to the end."""
        self.handle = handle
        self.remaining: float = length
        self.chunk_size = chunk_size
        if start is not None:
            handle.seek(start)

    def __iter__(self):
        return self

    def __next__(self) -> bytes:
        if self.remaining <= 0:
            self.close()
            raise StopIteration
        data = self.handle.read(int(min(self.chunk_size, self.remaining)))
        if not data:  # the file shrank under us: stop rather than hang
            self.close()
            raise StopIteration
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


def serve_static(environ: WSGIEnvironment, start_response: StartResponse, static_folder: Path,
                 relative: str) -> Iterable[bytes]:
    """Answer a request for ``static_folder/relative`` as a WSGI application would."""
    method = environ["REQUEST_METHOD"].upper()
    if method not in ALLOWED_METHODS:
        return _error(start_response, 405, method, [("Allow", ", ".join(ALLOWED_METHODS))])
    parts, versioned = split_version(relative)
    try:
        path = safe_join(static_folder, *parts)
    except PathEscape:
        return _error(start_response, 403, method)
    handle = _open_regular_file(path)
    if handle is None:
        return _error(start_response, 404, method)
    try:
        return _answer(environ, start_response, method, handle, path, versioned)
    except BaseException:
        handle.close()
        raise


def split_version(relative: str) -> tuple[list[str], bool]:
    """Split into path segments and drop a leading ``_1.2.3`` version segment, if any.

    Backslashes count as separators on every platform, so ``..\\x`` is refused everywhere.
    """
    parts = [part for part in relative.replace("\\", "/").split("/") if part not in ("", ".")]
    if relative.startswith(("/", "\\")):
        parts.insert(0, "/")  # keep absolute paths absolute so safe_join refuses them
    if parts and VERSION_SEGMENT.match(parts[0]):
        return parts[1:], True
    return parts, False


def content_type(path: Path) -> str:
    """The Content-Type for a file name; text types get ``; charset=utf-8``."""
    guessed, encoding = mimetypes.guess_type(path.name)
    if encoding:
        return COMPRESSED_TYPES.get(encoding, "application/octet-stream")
    if not guessed:
        return "application/octet-stream"
    if guessed.startswith("text/") or guessed in TEXT_LIKE_TYPES:
        return f"{guessed}; charset=utf-8"
    return guessed


def parse_range(header: str | None, size: int) -> tuple[int, int] | None | str:
    """Read a ``Range`` header against a file of ``size`` bytes.

    Returns ``(first, last)`` inclusive for one satisfiable range, ``None`` when the header is
    absent, malformed or asks for several ranges (the whole file is sent), or ``"unsatisfiable"``.
    """
    if not header:
        return None
    match = RANGE_SPEC.match(header.strip().replace(" ", ""))
    if not match:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:  # suffix range: the last n bytes
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return max(size - suffix, 0), size - 1
    first = int(first_text)
    if last_text and int(last_text) < first:
        return None
    if first >= size:
        return "unsatisfiable"
    last = int(last_text) if last_text else size - 1
    return first, min(last, size - 1)


def is_not_modified(environ: WSGIEnvironment, facts: FileFacts) -> bool:
    """True when the client's cached copy is current (If-None-Match wins over the date)."""
    if_none_match = environ.get("HTTP_IF_NONE_MATCH")
    if if_none_match is not None:
        tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
        return "*" in tags or facts.etag in tags
    since = _parse_http_date(environ.get("HTTP_IF_MODIFIED_SINCE"))
    return since is not None and int(facts.mtime) <= since


def _answer(environ, start_response, method, handle, path: Path, versioned: bool):
    info = os.fstat(handle.fileno())
    facts = FileFacts(info.st_size, info.st_mtime, info.st_mtime_ns)
    headers = _validator_headers(facts, versioned)
    if is_not_modified(environ, facts):
        handle.close()
        start_response("304 Not Modified", headers)
        return []
    headers.append(("Content-Type", content_type(path)))
    headers.append(("X-Content-Type-Options", "nosniff"))
    wanted = _range_if_applicable(environ, facts)
    if wanted == "unsatisfiable":
        handle.close()
        return _error(start_response, 416, method, [("Content-Range", f"bytes */{facts.size}")])
    status, first, length = _status_and_span(wanted, facts, headers)
    headers.append(("Content-Length", str(length)))
    start_response(status, headers)
    if method == "HEAD":
        handle.close()
        return []
    return FileChunks(handle, first, length)


def _status_and_span(wanted, facts: FileFacts, headers: list) -> tuple[str, int, int]:
    if wanted is None:
        return "200 OK", 0, facts.size
    first, last = wanted
    headers.append(("Content-Range", f"bytes {first}-{last}/{facts.size}"))
    return "206 Partial Content", first, last - first + 1


def _range_if_applicable(environ, facts: FileFacts):
    """The requested range, unless an ``If-Range`` validator no longer matches the file."""
    if_range = environ.get("HTTP_IF_RANGE")
    if if_range and if_range.strip() not in (facts.etag, facts.last_modified):
        return None
    return parse_range(environ.get("HTTP_RANGE"), facts.size)


def _validator_headers(facts: FileFacts, versioned: bool) -> list[tuple[str, str]]:
    headers = [
        ("ETag", facts.etag),
        ("Last-Modified", facts.last_modified),
        ("Accept-Ranges", "bytes"),
    ]
    if versioned:
        headers.append(("Cache-Control", f"max-age={FAR_FUTURE_SECONDS}, public, immutable"))
        headers.append(("Expires", "Thu, 31 Dec 2037 23:59:59 GMT"))
    else:
        # Files are edited while the app runs (the desktop editor): always revalidate, cheaply.
        headers.append(("Cache-Control", "no-cache"))
    return headers


def _open_regular_file(path: Path):
    """An open binary handle, or None for anything that is not a readable regular file."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed by FileChunks or the caller
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        return None
    return handle


def _parse_http_date(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return int(parsedate_to_datetime(text).timestamp())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _error(start_response, status: int, method: str, extra_headers=()):
    reason = STATUS_TEXT[status]
    body = f"{status} {reason}\n".encode()
    headers = [
        ("Content-Type", "text/plain; charset=utf-8"),
        ("Content-Length", str(len(body))),
        *extra_headers,
    ]
    start_response(f"{status} {reason}", headers)
    return [] if method == "HEAD" else [body]
