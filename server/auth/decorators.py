"""``@auth.requires_login()`` and friends: anonymous visitors go to the login page with a
``_next`` back to where they were; logged-in users without the right get HTTP 403."""

from __future__ import annotations

import base64
import functools
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from server.current import current
from server.http import HTTP, redirect

# a same-site path: one leading slash, not "//host" nor "/\host" (browsers read both as hosts)
_SAFE_PATH = re.compile(r"^/(?![/\\])[^\s\x00-\x1f\\]*$")
# where a refused visitor goes instead: a URL to redirect to, or a callable that answers
Otherwise = str | Callable[[], Any] | None
ActionDecorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def safe_next(url: object) -> str | None:
    """``url`` when it is a relative path on this site, otherwise None (no open redirects)."""
    if isinstance(url, (list, tuple)):
        url = url[-1] if url else None
    if not isinstance(url, str) or not _SAFE_PATH.match(url):
        return None
    parts = urllib.parse.urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return url


class AccessDecorators:
    """Mixin for :class:`server.auth.Auth`."""

    settings: Any
    messages: Any
    login_bare: Any
    is_logged_in: Any
    has_membership: Any
    has_permission: Any

    def requires(self, condition: object, requires_login: bool = True,
                 otherwise: Otherwise = None) -> ActionDecorator:
        """Run the action only when ``condition`` (a value or a callable) holds."""

        def decorator(action: Callable[..., Any]) -> Callable[..., Any]:
            @functools.wraps(action)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                if requires_login and not self.is_logged_in() and not self.basic():
                    return self.deny_anonymous(otherwise)
                allowed = condition() if callable(condition) else condition
                if not allowed:
                    return self.deny_access()
                return action(*args, **kwargs)

            return guarded

        return decorator

    def requires_login(self, otherwise: Otherwise = None) -> ActionDecorator:
        return self.requires(True, otherwise=otherwise)

    def requires_membership(self, role: str | None = None, group_id: int | str | None = None,
                            otherwise: Otherwise = None) -> ActionDecorator:
        return self.requires(lambda: self.has_membership(group_id=group_id, role=role),
                             otherwise=otherwise)

    def requires_permission(self, name: str, table_name: object = "", record_id: int = 0,
                            otherwise: Otherwise = None) -> ActionDecorator:
        return self.requires(lambda: self.has_permission(name, table_name, record_id),
                             otherwise=otherwise)

    def requires_signature(self, otherwise: Otherwise = None, hash_vars: bool | list[str] = True,
                           hash_extension: bool = True) -> ActionDecorator:
        """Only requests whose URL was signed for this session (``URL(user_signature=True)``)."""
        from server.routing import verify_url

        def signed() -> bool:
            return verify_url(current.request, hash_vars=hash_vars, user_signature=True)

        return self.requires(signed, requires_login=False, otherwise=otherwise)

    def basic(self) -> bool:
        """With ``settings.allow_basic_login``, log in from an HTTP Basic Authorization header
        (throttled and logged like the login form)."""
        header = current.request.env.http_authorization or ""
        if not self.settings.allow_basic_login or not header.startswith("Basic "):
            return False
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return False
        name, _, password = decoded.partition(":")
        return bool(self.login_bare(name, password))

    def deny_anonymous(self, otherwise: Otherwise = None) -> Any:
        """Send a visitor who is not logged in to the login page (HTTP 401 for ajax and for
        rejected Basic credentials)."""
        if otherwise is not None:
            return otherwise() if callable(otherwise) else redirect(otherwise)
        request = current.request
        if self.settings.allow_basic_login and request.env.http_authorization:
            raise HTTP(401, str(self.messages.access_denied),
                       WWW_Authenticate=f'Basic realm="{request.application}"')
        if request.ajax:
            raise HTTP(401, str(self.messages.access_denied))
        here = self.here()
        separator = "&" if "?" in self.settings.login_url else "?"
        redirect(f"{self.settings.login_url}{separator}"
                 + urllib.parse.urlencode({"_next": here}))

    def deny_access(self) -> Any:
        """A user without the needed right goes to ``settings.on_failed_authorization`` (web2py's
        default: the ``user/not_authorized`` page); set to None, the answer is HTTP 403."""
        target = self.settings.on_failed_authorization
        if callable(target):
            return target()
        if target:
            redirect(target)
        raise HTTP(403, str(self.messages.access_denied))

    @staticmethod
    def here() -> str:
        """The current page's URL, with its query string, to come back to after login."""
        from server.routing import URL

        request = current.request
        return URL(args=request.args, vars=request.get_vars)
