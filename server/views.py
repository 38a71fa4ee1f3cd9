"""Views: yatl templates in ``views/``, compiled once per version, and the generic views.

A template's compiled code is cached together with the modification stamps of every file it
pulled in (``extend``/``include``), so editing a layout refreshes every page that uses it.
"""

from __future__ import annotations

import csv
import fnmatch
import io
import sys
import threading
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape as xml_escape

from yatl.helpers import BEAUTIFY
from yatl.template import TemplateParser

from server import template_lines
from server.compiled_apps import compile_code, of_request
from server.file_stamps import UNCACHED, FileStamps
from server.http import client_error
from server.paths import PathEscape, safe_join
from server.response import to_json
from server.restricted import RestrictedError
from server.services import to_xml
from server.template_writes import direct_text_writes, writes_as_ours


def yatl_raises_our_errors() -> None:
    """yatl raises a view's parse errors (a missing "pass") as gluon.restricted's RestrictedError
    when it could import gluon at its own import, else as a bare RuntimeError without a message:
    which one depended on what was imported first. Views always get ours, with the message."""
    vars(sys.modules["yatl.template"])["RestrictedError"] = RestrictedError


yatl_raises_our_errors()

if TYPE_CHECKING:
    from server.request import Request
    from server.response import Response

GENERIC_EXTENSIONS = ("html", "load", "json", "xml", "csv", "rss")


class TemplateCache:
    """Compiled template code keyed by view path; invalid once any file it read changes."""

    def __init__(self, stamps: FileStamps = UNCACHED):
        self._entries: dict[tuple[str, str, bool], tuple[CodeType, dict[str, int]]] = {}
        self._lock = threading.Lock()
        self.stamps = stamps
        self.compilations = 0

    def get(self, views_folder: Path, view: str, context: dict,
            delimiters: tuple[str, str] | None, direct: bool = True) -> CodeType:
        """The view's code; with ``direct``, its text goes straight to ``response.body``
        (:mod:`server.template_writes`)."""
        key = (str(views_folder), view, direct)  # joining them as Paths cost more than the look-up
        entry = self._entries.get(key)
        if entry is not None and self._unchanged(entry[1]):
            return entry[0]
        code, stamps = compile_template(views_folder, view, context, delimiters, self.stamps,
                                        direct)
        with self._lock:
            self._entries[key] = (code, stamps)
            self.compilations += 1
        return code


    def _unchanged(self, stamps: dict[str, int]) -> bool:
        mtime = self.stamps.mtime
        return all(mtime(path) == stamp for path, stamp in stamps.items())


def compile_template(views_folder: Path, view: str, context: dict,
                     delimiters: tuple[str, str] | None, stamps: FileStamps = UNCACHED,
                     direct: bool = False) -> tuple[CodeType, dict[str, int]]:
    """Parse a view (and what it extends/includes) to Python code, its text written directly
    with ``direct``; also return file stamps (as ``stamps`` sees them, so the cache compares
    like with like)."""
    program, read_stamps = template_program(views_folder, view, context, delimiters, stamps)
    filename = str(views_folder / view)
    template_lines.remember_program(filename, program)
    source = direct_text_writes(program) if direct else program
    return compile_code(source, filename), read_stamps


def template_program(views_folder: Path, view: str, context: dict,
                     delimiters: tuple[str, str] | None, file_stamps: FileStamps = UNCACHED
                     ) -> tuple[str, dict[str, int]]:
    """The Python program of a view, with what it extends and includes, and the stamps of every
    file read; its code blocks are marked with the file and line they came from."""
    stamps: dict[str, int] = {}
    delimiters = delimiters or ("{{", "}}")

    def read(filename: str) -> str:
        # relative to views/, and like web2py anywhere in the app (``../static/x.html``)
        try:
            path = safe_join(views_folder.parent, views_folder.name, filename)
        except PathEscape as exc:  # the app's own mistake: a ticket names it
            raise ValueError(f"view {filename!r} is outside its application") from exc
        stamps[str(path)] = file_stamps.mtime(path)
        return template_lines.mark_blocks(path.read_text(encoding="utf-8"), str(path),
                                          delimiters)

    text = read(view)
    parser = TemplateParser(text, name=view, context=dict(context), path=read,
                            delimiters=delimiters)  # yatl's writer is response.write
    return str(parser), stamps


def find_view(views_folder: Path, request: Request, response: Response,
              stamps: FileStamps = UNCACHED) -> str:
    """The view to render: ``response.view`` if it exists (compiled or as a template), else an
    allowed generic view."""
    view = response.view
    compiled = of_request(request)
    try:
        if view and ((compiled is not None and compiled.has_view(view))
                     or stamps.is_file(resolved_view(views_folder, view))):
            return view
    except PathEscape as exc:
        raise client_error(404, "invalid view") from exc
    extension = request.extension
    if extension in GENERIC_EXTENSIONS and generic_allowed(request, response):
        generic = f"generic.{extension}"
        if (compiled is not None and compiled.has_view(generic)) or \
                stamps.is_file(views_folder / generic):
            return generic
        return f"<generic>.{extension}"
    raise client_error(404, f"invalid view ({view})")


@lru_cache(maxsize=1024)
def resolved_view(views_folder: Path, view: str) -> str:
    """Where ``view`` lives, checked to be inside ``views_folder`` (:class:`PathEscape` if not),
    resolved once per name: resolving follows every path component, a measurable share of a
    page. Whether the file is there is still asked (through the Application's FileStamps)."""
    return str(safe_join(views_folder, view))


def generic_allowed(request: Request, response: Response) -> bool:
    name = f"{request.controller}/{request.function}.{request.extension}"
    return any(fnmatch.fnmatch(name, pattern) for pattern in response.generic_patterns or [])


def render(env: dict, views_folder: Path, view: str, context: dict, cache: TemplateCache) -> str:
    """Render ``view`` with ``context`` on top of the request's globals."""
    request, response = env["request"], env["response"]
    if view.startswith("<generic>."):
        return render_builtin_generic(view.split(".", 1)[1], context, request, response)
    scope = dict(env)
    scope.update(context)
    compiled = of_request(request)
    if compiled is not None and compiled.has_view(view):
        code = compiled.view(view)
    else:
        code = cache.get(views_folder, view, scope, response.delimiters,
                         writes_as_ours(response))
    saved_body = response.body
    response.body = io.StringIO()
    try:
        exec(code, scope)  # noqa: S102 - running the compiled template is rendering it
        return response.body.getvalue()
    finally:
        response.body = saved_body


# --------------------------------------------------------------------------------------------
# built-in generic views, used when the app has no views/generic.<ext>
# --------------------------------------------------------------------------------------------
def render_builtin_generic(extension: str, context: dict, request: Request,
                           response: Response) -> str:
    """The action's values in the format the URL asked for; values that format cannot hold
    are 406 (the client asked for a representation there is none of), never a ticket."""
    data = {k: v for k, v in context.items() if not k.startswith("_")}
    try:
        return _generic_text(extension, data, request, response)
    except (TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise client_error(406, f"the values of this page cannot be rendered as .{extension}") from exc


def _generic_text(extension: str, data: dict, request, response) -> str:
    if extension == "json":
        response.headers["Content-Type"] = "application/json"
        return to_json(data)
    if extension == "xml":
        return '<?xml version="1.0" encoding="UTF-8"?>' + to_xml(data)
    if extension == "csv":
        return to_csv(data)
    if extension == "rss":
        return to_rss(data, request)
    title = f"{request.controller}/{request.function}"
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{xml_escape(title)}"
            f"</title></head><body><h1>{xml_escape(title)}</h1>{BEAUTIFY(data).xml()}"
            "</body></html>")


def to_csv(data: dict) -> str:
    """The first Rows (or list of dicts) in the action's result, as CSV."""
    for value in data.values():
        if callable(getattr(value, "export_to_csv_file", None)):
            out = io.StringIO()
            value.export_to_csv_file(out)
            return out.getvalue()
        if isinstance(value, list) and value and isinstance(value[0], dict):
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(value[0].keys()))
            writer.writeheader()
            writer.writerows(value)
            return out.getvalue()
    raise client_error(404, "nothing to render as CSV")


def to_rss(data: dict, request: Request) -> str:
    """RSS 2.0 from ``dict(title=, link=, description=, entries=[dict(title, link, description)])``."""
    def text(value):
        return xml_escape("" if value is None else str(value))

    items = "".join(
        f"<item><title>{text(e.get('title'))}</title><link>{text(e.get('link'))}</link>"
        f"<description>{text(e.get('description'))}</description></item>"
        for e in data.get("entries", [])
    )
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{text(data.get('title', request.application))}</title>"
            f"<link>{text(data.get('link', request.url))}</link>"
            f"<description>{text(data.get('description'))}</description>{items}"
            "</channel></rss>")
