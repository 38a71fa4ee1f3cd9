"""Logging in through an OAuth 2.0 provider (web2py's ``OAuthAccount``), the authorization-code
flow: the login page sends the user to ``auth_url``; the provider sends them back with a
``code`` that is exchanged at ``token_url`` for a token kept in the session.

Subclass it and implement ``get_user()`` (read the provider's profile with
``self.accessToken()``), then ``auth.settings.login_form = MyAccount(...)``. A ``state``
value bound to the session guards against login CSRF (RFC 6749 section 10.12).
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from server.current import current
from server.http import HTTP, redirect
from server.toolkit.crypto import compare, web2py_uuid


class OAuthAccount:
    def __init__(self, g: Any = None, client_id: str | None = None,
                 client_secret: str | None = None, auth_url: str | None = None,
                 token_url: str | None = None, socket_timeout: int = 60, **args: Any) -> None:
        """``g`` is unused (web2py kept it for old callers); ``args`` go to ``auth_url``."""
        missing = [name for name, value in (("client_id", client_id),
                                            ("client_secret", client_secret),
                                            ("auth_url", auth_url), ("token_url", token_url))
                   if value is None]
        if missing:
            raise RuntimeError(f"OAuthAccount needs {', '.join(missing)}")
        self.client_id, self.client_secret = client_id, client_secret
        self.auth_url, self.token_url = str(auth_url), str(token_url)
        self.socket_timeout = socket_timeout
        self.args = args

    def redirect_uri(self, next: str | None = None) -> str:  # noqa: A002 - web2py's name
        request = current.request
        scheme = "https" if request.is_https else "http"
        uri = f"{scheme}://{request.env.http_host}{next or request.env.path_info}"
        if request.get_vars and not next:
            uri += "?" + urllib.parse.urlencode(
                {k: v for k, v in request.get_vars.items() if k not in ("code", "state")},
                doseq=True)
        return uri

    def accessToken(self) -> str | None:  # noqa: N802 - web2py's name
        """The session's live token, or one just obtained for the ``code`` the provider sent."""
        session, request = current.session, current.request
        token = session.token
        if token and (not token.get("expires") or token["expires"] > time.time()):
            return token.get("access_token")
        code = request.vars.code
        if not code:
            return None
        expected = session.oauth_state
        session.oauth_state = None
        if not expected or not compare(str(request.vars.state or ""), expected):
            raise HTTP(400, "invalid OAuth state: start the login again")
        session.token = self._exchange(code, session.redirect_uri)
        return session.token.get("access_token")

    def _exchange(self, code: str, redirect_uri: str) -> dict:
        data = urllib.parse.urlencode({"grant_type": "authorization_code", "code": code,
                                       "redirect_uri": redirect_uri,
                                       "client_id": self.client_id,
                                       "client_secret": self.client_secret}).encode()
        secret = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        request = urllib.request.Request(self.token_url, data=data, headers={
            "Authorization": f"Basic {secret}", "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.socket_timeout) as answer:  # noqa: S310
                body = answer.read().decode("utf-8", "replace")
        except (OSError, urllib.error.URLError) as exc:
            raise HTTP(502, f"the login service at {self.token_url} cannot be reached") from exc
        token = _token_from(body)
        if "access_token" not in token:
            raise HTTP(502, "the login service gave no access token")
        if token.get("expires_in"):
            token["expires"] = time.time() + int(token["expires_in"]) - 10
        return token

    def login_url(self, next: str = "/") -> str:  # noqa: A002
        if not self.accessToken():
            state = web2py_uuid()
            current.session.oauth_state = state
            current.session.redirect_uri = self.redirect_uri(next)
            query = dict(self.args, redirect_uri=current.session.redirect_uri,
                         response_type="code", client_id=self.client_id, state=state)
            redirect(f"{self.auth_url}?{urllib.parse.urlencode(query)}")
        return next

    def logout_url(self, next: str = "/") -> str:  # noqa: A002
        current.session.token = None
        return next

    def get_user(self) -> dict | None:
        """The user's fields (``username``, ``email`` ...) from the provider: subclasses say how."""
        if not self.accessToken():
            return None
        raise NotImplementedError("subclass OAuthAccount and implement get_user()")


def _token_from(body: str) -> dict:
    """Providers answer JSON or, like old Facebook, a form-encoded body."""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = dict(urllib.parse.parse_qsl(body))
    return parsed if isinstance(parsed, dict) else {}
