"""``response``: what the action sends back, with web2py's attributes and helpers."""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NoReturn

from pydal.helpers.serializers import serializers
from yatl.helpers import xmlescape

from server.headers import CheckedCookie, HeaderDict
from server.http import HTTP
from server.static import CHUNK_SIZE, FileChunks
from server.storage import AttributeMapping, Storage, lazy_attribute

if TYPE_CHECKING:
    from server.request import Request

CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "load": "text/html; charset=utf-8",
    "json": "application/json",
    "xml": "text/xml; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "js": "application/javascript; charset=utf-8",
    "css": "text/css; charset=utf-8",
}


_ESCAPED = re.compile("[&<>\"']")  # what xmlescape replaces (with quote=True)


def content_type_for(extension: str) -> str:
    if extension in CONTENT_TYPES:
        return CONTENT_TYPES[extension]
    guessed = mimetypes.guess_type("x." + extension)[0]
    return guessed or "text/html; charset=utf-8"


def to_json(value: Any, indent: int | None = None) -> str:
    """JSON with pydal's handling of Rows, dates and decimals; helpers render as their XML."""
    if indent is None:
        return serializers.json(value)
    import json

    return json.dumps(value, default=serializers._json_parse, indent=indent)


class Response(AttributeMapping):
    """One response; attributes follow web2py's ``response`` (a Storage there: see the base).

    A request builds one, and most actions touch few of its parts: the cookies, body, menu,
    meta, files and postprocessing are each made on first read (listing the response's keys
    makes them all), so a hello action pays for none of them.
    """

    status: int
    view: str | None
    flash: Any
    session_cookie_expires: Any
    models_to_run: list[str] | None
    session_id: str | None
    session_id_name: str | None
    _renderer: Callable[[str | None, dict], str] | None

    def __init__(self, request: Request | None = None):
        # one attribute at a time: CPython keeps them in the object itself (a __dict__ update
        # would make it a dict), which every request makes and reads
        self.status = 200
        self.view = self.title = self.subtitle = self.author = self.keywords = None
        self.description = None
        self.flash = ""
        self.js = self.delimiters = self.static_version = None
        self.static_version_urls = False
        self.models_to_run = self.session_id = self.session_id_name = None
        self.session_cookie_expires = self._vars = self._renderer = None
        self._request = request
        headers = self.headers = HeaderDict.empty()
        if request is not None:
            # a value of our own table or mimetypes': no CR/LF to look for
            dict.__setitem__(headers, "Content-Type", content_type_for(request.extension))
            self.view = f"{request.controller}/{request.function}.{request.extension}"

    @lazy_attribute
    def cookies(self) -> CheckedCookie:
        return CheckedCookie()

    @lazy_attribute
    def body(self) -> StringIO:
        return StringIO()

    @lazy_attribute
    def menu(self) -> list:
        return []

    @lazy_attribute
    def meta(self) -> Storage:
        return Storage()

    @lazy_attribute
    def files(self) -> list[str]:
        return []

    @lazy_attribute
    def postprocessing(self) -> list[Callable]:
        return []

    @lazy_attribute
    def generic_patterns(self) -> list[str]:
        request = self._request
        return ["*"] if request is not None and request.is_local else []

    def _built(self, name: str) -> Any:
        """A lazily built part if something read or set it, else None (nothing is built)."""
        return self.__dict__.get(name)

    @staticmethod
    def _caller(action: Callable[[], Any]) -> Any:
        """How the action is called (web2py's hook: an app may wrap every action here)."""
        return action()

    # ----- writing and rendering -----------------------------------------------------------
    def write(self, data: Any, escape: bool = True) -> None:
        """Append to the body; escaped unless ``escape=False`` or the value has ``.xml()``.
        A view calls this for every piece of text and every ``{{=value}}``, so the common
        kinds go first: an int's digits need no escaping, a str has no ``.xml()``."""
        kind = type(data)
        if kind is str:  # escaping changes only a text holding one of & < > " '
            self.body.write(data if not escape or not _ESCAPED.search(data) else xmlescape(data))
        elif not escape or kind is int:
            self.body.write(str(data))
        elif hasattr(data, "xml") and callable(data.xml):
            self.body.write(str(data.xml()))
        else:
            self.body.write(str(xmlescape(data)))

    def render(self, *args: Any, **context: Any) -> str:
        """``render(dict)``, ``render('view.html', dict)`` or ``render(**vars)``: a rendered view."""
        view = None
        if args and isinstance(args[0], str):
            view, args = args[0], args[1:]
        if args and isinstance(args[0], dict):
            context = {**args[0], **context}
        if self._renderer is None:
            raise RuntimeError("response.render is only available while serving a request")
        return self._renderer(view, context)

    def json(self, data: Any, default: Callable | None = None, indent: int | None = None) -> str:
        self.headers["Content-Type"] = "application/json"
        return to_json(data, indent=indent)

    def include_meta(self) -> None:
        """``<meta name=... content=...>`` per ``response.meta`` item; a dict value gives the tag's
        own attributes (``response.meta.og = {'property': 'og:title', 'content': ...}``)."""
        for name, content in self.meta.items():
            if isinstance(content, dict):
                attributes = "".join(f' {xmlescape(key)}="{xmlescape(value)}"'
                                     for key, value in content.items())
                self.write(f"<meta{attributes} />\n", escape=False)
            elif content:
                self.write(
                    f'<meta name="{xmlescape(name)}" content="{xmlescape(content)}" />\n',
                    escape=False,
                )

    def toolbar(self) -> Any:
        """web2py's debugging toolbar: buttons that show request, response, session and the
        queries of each database of this request."""
        from server.toolkit.toolbar import toolbar

        return toolbar(self)

    def include_files(self) -> None:
        """Write ``<link>``/``<script>`` tags for ``response.files`` (css and js, in order, once)."""
        seen = set()
        for item in self.files:
            if item in seen:
                continue
            seen.add(item)
            path = str(item).split("?")[0]
            if path.endswith(".css"):
                self.write(f'<link href="{xmlescape(item)}" rel="stylesheet" />\n', escape=False)
            elif path.endswith(".js"):
                self.write(f'<script src="{xmlescape(item)}"></script>\n', escape=False)

    # ----- streaming --------------------------------------------------------------------------
    def stream(self, stream: str | Path | BinaryIO, chunk_size: int = CHUNK_SIZE,
               request: Request | None = None, attachment: bool = False,
               filename: str | None = None, headers: dict | None = None) -> NoReturn:
        """Send a file (a path or an open binary file) in chunks; never returns."""
        headers = dict(headers or {})
        if isinstance(stream, (str, os.PathLike)):
            path = Path(stream)
            if not path.is_file():
                raise HTTP(404, "file not found")
            filename = filename or path.name
            headers.setdefault("Content-Length", str(path.stat().st_size))
            stream = open(path, "rb")  # noqa: SIM115 - closed by the iterator
        if filename:
            headers.setdefault("Content-Type", mimetypes.guess_type(filename)[0]
                               or "application/octet-stream")
            if attachment:
                headers["Content-Disposition"] = content_disposition(filename)
        headers.setdefault("Content-Type", "application/octet-stream")
        raise HTTP(200, FileChunks(stream, chunk_size=chunk_size), **{**self.headers, **headers})

    def download(self, request: Request, db: Any, chunk_size: int = CHUNK_SIZE,
                 attachment: bool = True, download_filename: str | None = None
                 ) -> Iterator[bytes]:
        """Serve a file stored by an upload field: ``/app/default/download/<stored name>``."""
        from server.forms.uploads import download

        return download(request, db, chunk_size=chunk_size, attachment=attachment,
                        download_filename=download_filename)


def content_disposition(filename: str) -> str:
    """An attachment header safe for any file name (RFC 6266 ``filename*``)."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "replace").decode().replace('"', "")
    ascii_name = re.sub(r"[\x00-\x1f\x7f\\]", "_", ascii_name)  # one header line, one string
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
