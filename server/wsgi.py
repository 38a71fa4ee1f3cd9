"""The WSGI callable: one request from path to bytes, stage by stage.

``application`` serves the root folder named by ``$POCKETWEB_ROOT`` (default: Pocketweb's own
folder) so ``gunicorn server.wsgi:application`` works; the desktop and the command line build
their own with :func:`make_application`.
"""

from __future__ import annotations

import copy
import functools
import logging
import os
import sys
from dataclasses import replace
from http.client import responses
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from server import execution, settings, views
from server.context import Context
from server.environment_release import release_environment
from server.file_stamps import FileStamps
from server.headers import GuardedStartResponse, no_store_for_sessions, unguarded, usual_headers
from server.http import HTTP, client_error
from server.options import ServerOptions
from server.paths import default_root, subfolder
from server.request import Request
from server.request_caches import RequestCaches
from server.response import Response
from server.rewrite import Rewriter
from server.routing import NAME_RE
from server.session_stores import ExpiredSessionSweeper, FileSessionStore
from server.sessions import Session
from server.static import serve_static
from server.storage import List, Storage
from server.tickets import create_ticket, request_snapshot, ticket_page
from server.translation.i18n import Translator

if TYPE_CHECKING:
    from collections.abc import Iterable
    from http.cookies import SimpleCookie
    from types import TracebackType

    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from server.routing import Route

    Body = str | bytes | Iterable[bytes]
    ExcInfo = tuple[type[BaseException] | None, BaseException | None, TracebackType | None]

log = logging.getLogger("pocketweb.wsgi")
STATUS_LINES = {status: f"{status} {reason}" for status, reason in responses.items()}


class Application:
    """Serves every app under ``root/applications``."""

    def __init__(self, root: Path, options: ServerOptions | None = None):
        self.root = Path(root).resolve()
        self.applications = self.root / "applications"
        settings.use_root(self.root)
        self.options = options or ServerOptions()
        self.caches = RequestCaches(FileStamps(self.options.change_check_interval))
        self.session_sweeper = ExpiredSessionSweeper(self.applications,
                                                     self.options.session_max_age)
        self.rewriter = Rewriter(self.root, self.options.default_application, self.caches.stamps)
        self._app_folders: dict[str, Path] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse
                 ) -> Iterable[bytes]:
        start_response = GuardedStartResponse(start_response)
        self.caches.stamps.begin()
        return self.rewriter.answer(environ, start_response, self.serve)

    def files_changed(self) -> None:
        """Files were saved: the next request looks at every file again, whatever
        ``change_check_interval`` says (the window's saves and live reload call it)."""
        self.caches.stamps.forget()

    def serve(self, environ: WSGIEnvironment, start_response: StartResponse
              ) -> Iterable[bytes]:
        try:
            route = self.rewriter.incoming(environ)
            app_folder = self.app_folder(route.application)
            environ["pocketweb.application"] = route.application  # for live reload's script
            if route.static is not None:
                return serve_static(environ, start_response, subfolder(app_folder, "static"),
                                    route.static)
            return self.run(environ, start_response, route, app_folder)
        except HTTP as answer:
            return send(start_response, answer.status, plain_headers(answer), answer.body)

    def app_folder(self, name: str) -> Path:
        """The folder of the app ``name``; 404 unless it is a folder now (the name is checked
        once, and remembered only once its folder was found: as many as there are apps)."""
        folder = self._app_folders.get(name)
        if folder is None:
            if not NAME_RE.match(name):
                raise client_error(404, "invalid application")
            folder = subfolder(self.applications, name)
        if not self.caches.stamps.is_dir(folder):
            raise client_error(404, "invalid application")
        self._app_folders[name] = folder
        return folder

    # ----- one dynamic request ----------------------------------------------------------------
    def run(self, environ: WSGIEnvironment, start_response: StartResponse, route: Route,
            app_folder: Path) -> Iterable[bytes]:
        """Models, controller and view of one request, inside one :class:`Context`: everything
        from parsing the request to saving the session is ended by it, so a failure at any step
        (an unreadable session file included) still releases every lock it took."""
        self.session_sweeper.maybe_sweep()
        context = Context()
        env: dict | None = None
        answer: HTTP | None = None
        try:
            with context:
                env = self.start(context, environ, route, app_folder)
                execution.run_models(env, app_folder, self.caches)
                result = execution.run_action(env, app_folder, self.caches.code)
                body = self.output(env, app_folder, result)
        except HTTP as raised:  # redirect, raise HTTP(...): an answer
            answer = raised
        except Exception:
            return self.fail(start_response, environ, context.request, route, app_folder)
        response = context.response
        if answer is None:
            sent = send_response(start_response, response, body)
        else:
            sent = send(start_response, answer.status, plain_headers(answer, response),
                        answer.body)
        if env is not None and type(sent) is list:  # the whole body is made: no code to run
            if answer is not None:
                answer.__traceback__ = None  # its frames hold the globals
            response._renderer = None  # render is only available while serving a request
            context.values.clear()
            release_environment(env)
        return sent

    def start(self, context: Context, environ: WSGIEnvironment, route: Route,
              app_folder: Path) -> dict:
        """Request, response, session and the globals of the app's code, bound to ``current``
        (all at once, before the session is loaded, so the context releases what that takes)."""
        request = Request(environ, route, app_folder, self.options.max_body_size)
        response = Response(request)
        session = Session()
        env = execution.build_environment(
            self.caches, request, response, session,
            self.caches.app_cache(route.application, app_folder),
            Translator(subfolder(app_folder, "languages"), environ.get("HTTP_ACCEPT_LANGUAGE"),
                       self.caches.languages))
        response._renderer = functools.partial(self.render, env, app_folder)
        execution.bind_environment(context, env,
                                   component=functools.partial(self.run_component, env, app_folder))
        session._start(request, response, FileSessionStore(
            subfolder(app_folder, "sessions"), self.caches.session_locks,
            self.options.session_lock_timeout))
        return env

    def run_component(self, env: dict, app_folder: Path, controller: str, function: str,
                      args: list, variables: dict, extension: str, target: str) -> str:
        """The output of another action of this app, run now, in this request (a non-ajax
        ``LOAD``): it shares the models' globals, db and session, with its own request and
        response, as in web2py."""
        request = copy.copy(env["request"])
        request.controller, request.function, request.extension = controller, function, extension
        request.args, request.get_vars, request.cid = List(args), Storage(variables), target
        request.post_vars = Storage()
        response = Response(request)
        component_env = {**env, "request": request, "response": response}
        with Context(nested=True) as context:
            context.bind(request=request, response=response, globalenv=component_env)
            result = execution.run_action(component_env, app_folder, self.caches.code)
            body = self.output(component_env, app_folder, result)
        if isinstance(body, (str, bytes)):
            return body.decode("utf-8") if isinstance(body, bytes) else body
        return b"".join(body).decode("utf-8")

    def render(self, env: dict, app_folder: Path, view: str | None, context: dict) -> str:
        views_folder = subfolder(app_folder, "views")
        view = view or views.find_view(views_folder, env["request"], env["response"],
                                       self.caches.stamps)
        return views.render(env, views_folder, view, context, self.caches.templates)

    def output(self, env: dict, app_folder: Path, result: Any) -> Body:
        """Turn what the action returned into a body (str, bytes or an iterable of bytes)."""
        if isinstance(result, dict):
            return self.render(env, app_folder, None, result)
        if result is None:
            return env["response"].body.getvalue()
        if isinstance(result, (str, bytes)):
            return result
        if hasattr(result, "xml") and callable(result.xml):
            return result.xml()
        if hasattr(result, "__iter__"):
            return (chunk.encode("utf-8") if isinstance(chunk, str) else chunk for chunk in result)
        return str(result)

    def fail(self, start_response: StartResponse, environ: WSGIEnvironment,
             request: Request | None, route: Route, app_folder: Path) -> Iterable[bytes]:
        """Store a ticket and answer 500 naming it; never show the traceback. The context has
        already forgotten the session and rolled the databases back."""
        exc_info = app_traceback(sys.exc_info(), app_folder)
        try:
            values = dict(request.get_vars, **(request._post_vars or {})) if request else {}
            client = request.client if request else environ.get("REMOTE_ADDR", "")
            ticket_id = create_ticket(app_folder, route.application, client, exc_info,
                                      request_snapshot(environ, values),
                                      request.tickets_db if request else None)
            page = ticket_page(route.application, ticket_id)
        except Exception:
            log.exception("could not store a ticket")
            ticket_id, page = None, "<h1>Internal error</h1><p>Ticket could not be stored.</p>"
        log.error("ticket %s/%s", route.application, ticket_id)
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if ticket_id:
            headers.append(("web2py_error", f"ticket {route.application}/{ticket_id}"))
        return send(start_response, 500, headers, page)


def app_traceback(exc_info: ExcInfo, app_folder: Path) -> ExcInfo:
    """Drop the framework's own frames from the top of a traceback.

    The ticket then starts at the app's code, and never stores the pipeline's locals (the whole
    environ, with cookies and authorization headers).
    """
    kind, value, tb = exc_info
    folder = str(app_folder)
    first = tb
    while first is not None and not first.tb_frame.f_code.co_filename.startswith(folder):
        first = first.tb_next
    return kind, value, first or tb


# --------------------------------------------------------------------------------------------
# headers and sending
# --------------------------------------------------------------------------------------------
def response_headers(response: Response) -> list[tuple[str, str]]:
    headers = [(k, v if type(v) is str else str(v)) for k, v in response.headers.items()
               if v is not None]
    if response.session_id:
        headers += no_store_for_sessions(response)
    cookies = response._built("cookies")
    return headers + cookie_headers(cookies) if cookies else headers


def cookie_headers(cookies: SimpleCookie | None) -> list[tuple[str, str]]:
    return [("Set-Cookie", morsel.OutputString()) for morsel in cookies.values()] \
        if cookies else []


def plain_headers(answer: HTTP, response: Response | None = None) -> list[tuple[str, str]]:
    headers = dict(answer.headers)
    if not isinstance(answer.body, (str, bytes)) and response is not None:
        headers = {**response.headers, **headers}
    headers.setdefault("Content-Type", "text/html; charset=utf-8")
    result = [(k, str(v)) for k, v in headers.items()]
    if response is not None:
        result += no_store_for_sessions(response) + cookie_headers(response._built("cookies"))
    if answer.cookies is not None:
        result += cookie_headers(answer.cookies)
    return result


def send_response(start_response: StartResponse, response: Response, body: Body
                  ) -> Iterable[bytes]:
    """:func:`send` of an action's answer. The usual one (a text or bytes body, no header but
    the Content-Type, no session, no cookie) gets its finished headers here, at once."""
    if len(response.headers) == 1 and type(body) in (str, bytes) and \
            response.session_id is None and not response._built("cookies"):
        data = body.encode("utf-8") if isinstance(body, str) else cast(bytes, body)
        headers = usual_headers(response.headers.get("Content-Type"), len(data))
        if headers is not None:
            unguarded(start_response)(status_line(response.status), headers)
            return [data]
    return send(start_response, response.status, response_headers(response), body)


def status_line(status: int) -> str:
    return STATUS_LINES.get(status) or f"{status} {responses.get(status, 'Unknown')}"


def send(start_response: StartResponse, status: int, headers: list[tuple[str, str]],
         body: Any) -> Iterable[bytes]:
    """Start the response and return a WSGI iterable for ``body``."""
    status_line_text = status_line(status)
    if type(body) is str:  # most answers: no .xml() to look for
        body = body.encode("utf-8")
    elif hasattr(body, "xml") and callable(body.xml):  # HTTP(404, DIV(...)) or a lazy T
        body = body.xml()
    if isinstance(body, str):
        body = body.encode("utf-8")
    if isinstance(body, bytes):
        if any(h[0].lower() == "content-length" for h in headers):
            headers = [h for h in headers if h[0].lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        start_response(status_line_text, headers)
        return [body]
    start_response(status_line_text, headers)
    return body if body is not None else [b""]


def make_application(root: Path, options: ServerOptions | None = None,
                     **changes: Any) -> Application:
    """A WSGI application serving ``root/applications`` with ``options`` (``changes`` are fields
    replaced in them: ``make_application(root, max_body_size=1024)``)."""
    return Application(Path(root), replace(options or ServerOptions(), **changes))


application = make_application(Path(os.environ.get("POCKETWEB_ROOT") or default_root()))
