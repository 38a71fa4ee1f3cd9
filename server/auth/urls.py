"""Where Auth's pages live: the URL settings (``login_url``, ``login_next``, ...) each ``Auth``
starts with.

Every request's models make an ``Auth``, and each sets fourteen URLs that depend only on the
app, the request's controller (``download_url`` is ``URL('download')``) and where Auth is served
(its controller and function, ``url_index``). They are made once for each such place and
copied into each Auth's settings as plain strings, which an app may replace in its own
request. A request rewritten by routes.py rules, or an Auth placed where ``URL()`` would read
more of the request, gets them made afresh.
"""

from __future__ import annotations

from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from server.auth.page_forms import index_url
from server.routing import URL
from server.storage import Storage

# distinct (app, controller, Auth's place) seen by one process: a few per app
PLACES_REMEMBERED = 256


def url_settings(settings: Storage, request: Any) -> None:
    """Set where each Auth page lives, and where to go after each action."""
    place = _place(settings, request)
    settings.update(_urls(settings, request) if place is None else _urls_at(*place))


def _place(settings: Storage, request: Any) -> tuple | None:
    """All the URL settings read of ``settings`` and ``request``, or None when they would read
    more (routes.py rules, a static or unnamed controller or function)."""
    controller, function, url_index = settings.controller, settings.function, settings.url_index
    application, request_controller = request.application, request.controller
    if getattr(request, "_rewrite", None) is not None or "static" in (
            controller, request_controller):
        return None
    if not all(isinstance(name, str) and name for name in (
            application, request_controller, controller, function)):
        return None
    if url_index is not None and not isinstance(url_index, str):
        return None
    return application, request_controller, controller, function, url_index


@lru_cache(maxsize=PLACES_REMEMBERED)
def _urls_at(application: str, request_controller: str, controller: str, function: str,
             url_index: str | None) -> dict[str, str]:
    """The URL settings of one place; shared, so only ever copied from."""
    request = SimpleNamespace(application=application, controller=request_controller,
                              _rewrite=None)
    return _urls(Storage(controller=controller, function=function, url_index=url_index), request)


def _urls(settings: Storage, request: Any) -> dict[str, str]:
    def page(action: str) -> str:
        return URL(settings.controller, settings.function, args=action, r=request)

    index = index_url(settings, request)
    return dict(
        login_url=page("login"), logged_url=page("profile"),
        login_next=index, logout_next=index, register_next=index, profile_next=index,
        change_password_next=index, verify_email_next=page("login"),
        request_reset_password_next=page("login"), reset_password_next=index,
        retrieve_username_next=index, retrieve_password_next=index,
        download_url=URL("download", r=request), on_failed_authorization=page("not_authorized"),
    )
