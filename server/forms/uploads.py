"""Storing uploaded files (pydal's ``Field.store`` names) and serving them back (``download``).

Files live in the field's ``uploadfolder`` or the application's ``uploads/`` folder. A stored
name is ``<table>.<field>.<uuid>.<base64 of the original name>.<ext>``; ``download`` accepts only
names of that shape, for an existing upload field, joined with ``safe_join``.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote

from pydal.helpers.regex import REGEX_UPLOAD_PATTERN

from server.current import current
from server.http import HTTP
from server.paths import PathEscape, safe_join

if TYPE_CHECKING:
    from pydal import DAL
    from pydal.objects import Field

CHUNK_SIZE = 64 * 1024


def is_file_upload(value: object) -> bool:
    """True for a posted file (``cgi.FieldStorage``-like with a non-empty ``filename``)."""
    return bool(getattr(value, "filename", None)) and hasattr(value, "file")


def upload_folder(field: Field) -> str:
    """Where ``field``'s files go: its ``uploadfolder``, else the app's (or db's) uploads/."""
    if field.uploadfolder:
        return str(field.uploadfolder)
    request = getattr(current, "request", None)
    if request is not None and getattr(request, "folder", None):
        return str(safe_join(request.folder, "uploads"))
    db = getattr(field, "db", None)
    folder = getattr(getattr(db, "_adapter", None), "folder", None)
    if folder:
        return os.path.abspath(os.path.join(folder, "..", "uploads"))
    raise RuntimeError(f"no upload folder for field {field.name}: set uploadfolder=")


def upload_size(value: Any) -> int:
    handle = value.file
    position = handle.tell()
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(position)
    return size


def upload_limit(field: Field | None) -> int | None:
    """Bytes allowed for ``field``: ``field.upload_maxsize``, else ``response.upload_maxsize``."""
    limit = getattr(field, "upload_maxsize", None)
    if limit is None:
        response = getattr(current, "response", None)
        limit = getattr(response, "upload_maxsize", None) if response is not None else None
    return limit


def store(field: Field, value: Any) -> dict:
    """Save a posted file for ``field``; return the record values to write.

    That is the generated name, plus the file's bytes when the field keeps them in a blob
    column of the same table (``uploadfield='<blob field>'``).
    """
    value.file.seek(0)
    values = {field.name: field.store(value.file, value.filename, upload_folder(field))}
    if isinstance(field.uploadfield, str):
        value.file.seek(0)
        values[field.uploadfield] = value.file.read()
    return values


def remove(field: Field, name: str) -> None:
    """Delete the stored file ``name`` of ``field`` (never anything outside its folder)."""
    try:
        path = safe_join(upload_folder(field), name)
    except PathEscape:
        return
    if path.is_file():
        path.unlink()


def upload_field(db: DAL, name: str) -> Field:
    """The upload field that stored ``name`` (``<table>.<field>.<uuid>...``), or HTTP 404."""
    match = re.match(REGEX_UPLOAD_PATTERN, name or "")
    if not match or "/" in name or "\\" in name:
        raise HTTP(404, "not found")
    table = db.get(match.group("table")) if match.group("table") in db.tables else None
    field = table.get(match.group("field")) if table is not None else None
    if field is None or field.type != "upload":
        raise HTTP(404, "not found")
    if getattr(field, "authorize", None) and not _authorized(field, name):
        raise HTTP(403, "not authorized")
    return field


def open_stored(db: DAL, name: str, chunk_size: int = CHUNK_SIZE,
                ) -> tuple[str, int | None, Iterator[bytes]]:
    """``(original filename, size or None, byte chunks)`` of a stored upload, or HTTP 404."""
    field = upload_field(db, name)
    if field.uploadfield is True and not field.uploadfs:
        properties = field.retrieve_file_properties(name, upload_folder(field))
        try:
            path = safe_join(properties["path"], name)
        except PathEscape as exc:
            raise HTTP(404, "not found") from exc
        if not path.is_file():
            raise HTTP(404, "not found")
        return properties["filename"], path.stat().st_size, file_chunks(path, chunk_size)
    try:  # kept in the database (blob column or table) or a pyfilesystem
        filename, stream = field.retrieve(name)
    except Exception as exc:
        raise HTTP(404, "not found") from exc
    return filename, None, read_chunks(stream, chunk_size)


def _authorized(field, name: str) -> bool:
    row = field.db(field == name).select().first()
    return bool(row) and bool(field.authorize(row))


def download(request: Any, db: Any, attachment: bool = True, download_filename: str | None = None,
             chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Serve ``request.args[-1]`` (a stored upload name) as web2py's ``response.download``.

    Sets Content-Type / Content-Disposition / Content-Length on ``current.response.headers`` when
    a response is there, and returns an iterator of the file's bytes. Raises HTTP 404 for a name
    that is not a stored upload of ``db``.
    """
    args = list(getattr(request, "args", None) or [])
    if not args:
        raise HTTP(404, "not found")
    filename, size, chunks = open_stored(db, args[-1], chunk_size)
    headers = download_headers(filename, size, attachment, download_filename)
    response = getattr(current, "response", None)
    if response is not None and getattr(response, "headers", None) is not None:
        response.headers.update(headers)
    return chunks


def download_headers(filename: str, size: int | None = None, attachment: bool = True,
                     download_filename: str | None = None) -> dict:
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    shown = download_filename or filename
    disposition = "attachment" if attachment else "inline"
    ascii_name = shown.encode("ascii", "replace").decode().replace('"', "")
    headers = {
        "Content-Type": content_type,
        "Content-Disposition":
            f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(shown)}",
    }
    if size is not None:
        headers["Content-Length"] = str(size)
    return headers


def file_chunks(path: str | os.PathLike, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Open ``path`` only when the body is sent, so an unsent body leaves no open file."""
    yield from read_chunks(open(path, "rb"), chunk_size)  # read_chunks closes it


def read_chunks(handle: IO[bytes], chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield an open binary file in chunks, closing it at the end."""
    with handle:
        while chunk := handle.read(chunk_size):
            yield chunk
