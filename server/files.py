"""Files written whole or not at all: readers (another request, the desktop, a restarted server)
never see half of one, and a failed write leaves the old file as it was."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def atomic_file(target: Path, mode: int | None = None) -> Iterator[IO[bytes]]:
    """``with atomic_file(path) as out: out.write(...)``: a temporary file beside ``target``
    (whose folder must exist), renamed over it when the block ends, removed if the block
    raises. ``mode`` (e.g. 0o600) is set before the rename, so the file is never readable by
    others even for a moment."""
    target = Path(target)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}-", suffix=".partial",
                                         dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            yield out
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_atomically(target: Path, data: bytes | str, mode: int | None = None) -> None:
    """Write ``data`` (text as UTF-8) to ``target`` through :func:`atomic_file`."""
    with atomic_file(target, mode) as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
