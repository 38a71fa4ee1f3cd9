"""Reading and writing the files the editor shows: UTF-8 text only, line endings untouched."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

MAX_EDITABLE_BYTES = 32 * 1024 * 1024


class UnreadableFileError(Exception):
    """The file cannot be shown as text; ``str(error)`` is a message for the user."""


@dataclass(frozen=True)
class TextFile:
    """A decoded file: its text exactly as on disk (line endings kept) and whether it had a BOM."""

    text: str
    has_bom: bool
    digest: str

    @property
    def uses_crlf(self) -> bool:
        return "\r\n" in self.text


def digest_of(data: bytes) -> str:
    """A fingerprint of a file's bytes, to tell our own saves and no-op touches from real
    changes made by other programs; timestamps are too coarse for that."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def content_digest(path: Path) -> str | None:
    """The fingerprint of the file now on disk, or None if it cannot be read."""
    try:
        return digest_of(path.read_bytes())
    except OSError:
        return None


def read_text_file(path: Path) -> TextFile:
    """Read ``path`` as UTF-8 text, refusing binary, huge or undecodable files."""
    data = _read_bytes(path)
    if b"\0" in data:  # anywhere: the editor's text would end at the first NUL
        raise UnreadableFileError(f"{path.name} looks like a binary file; it was not opened.")
    has_bom = data.startswith(codecs.BOM_UTF8)
    try:
        text = data[len(codecs.BOM_UTF8) if has_bom else 0:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"{path.name} is not UTF-8 text (byte {error.start} cannot be decoded); "
            "it was not opened."
        ) from None
    return TextFile(text, has_bom, digest_of(data))


def write_text_file(path: Path, data: bytes, has_bom: bool) -> str:
    """Write UTF-8 ``data`` (already encoded, line endings as in the buffer) to ``path``;
    returns the fingerprint of what was written."""
    content = (codecs.BOM_UTF8 if has_bom else b"") + data
    with open(path, "wb") as stream:
        stream.write(content)
    return digest_of(content)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_EDITABLE_BYTES:
            raise UnreadableFileError(f"{path.name} is too large to edit here.")
        return path.read_bytes()
    except PermissionError:
        raise UnreadableFileError(f"Permission denied: cannot read {path}.") from None
    except IsADirectoryError:
        raise UnreadableFileError(f"{path} is a folder, not a file.") from None
    except FileNotFoundError:
        raise UnreadableFileError(f"{path} does not exist.") from None
    except OSError as error:
        raise UnreadableFileError(f"Cannot read {path}: {error.strerror or error}.") from None
