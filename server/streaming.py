"""web2py's ``gluon.streamer``: reading a stream in chunks, and answering with a file."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import IO, Any

from server.current import current
from server.http import HTTP
from server.static import CHUNK_SIZE

DEFAULT_CHUNK_SIZE = CHUNK_SIZE


def streamer(stream: IO[bytes], chunk_size: int = DEFAULT_CHUNK_SIZE,
             bytes: int | None = None,  # noqa: A002
             callback: Callable[[], Any] | None = None) -> Iterator[bytes]:
    """Yield ``stream`` in chunks (at most ``bytes`` in all), close it, then call ``callback``."""
    try:
        sent = 0
        while bytes is None or sent < bytes:
            size = chunk_size if bytes is None else min(chunk_size, bytes - sent)
            data = stream.read(size)
            if not data:
                break
            sent += len(data)
            yield data
    finally:
        stream.close()
        if callback:
            callback()


def stream_file_or_304_or_206(static_file: str, chunk_size: int = DEFAULT_CHUNK_SIZE,
                              request: Any = None, headers: dict | None = None,
                              status: int = 200, error_message: str | None = None) -> None:
    """Answer with the file (raises HTTP, as web2py's does); a missing file is a 404."""
    if not os.path.isfile(static_file):
        raise HTTP(404, error_message or "file not found")
    current.response.stream(static_file, chunk_size=chunk_size, request=request,
                            headers=dict(headers or {}))
