"""Logging in through Janrain Engage, formerly RPX (web2py's ``RPXAccount`` and
``use_janrain``). The service is gone; an app that still configures it keeps working until a
login is tried, which then answers 502 naming the service instead of failing obscurely."""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from server.current import current
from server.helpers import IFRAME
from server.http import HTTP, redirect
from server.storage import Storage

TIMEOUT = 30


def _profile_fields(profile: dict, first_name_key: str | None = None) -> dict:
    name = profile.get("name") or {}
    return {"registration_id": profile.get("identifier", ""),
            "username": profile.get("preferredUsername", ""),
            "email": profile.get("email", ""),
            "first_name": profile.get(first_name_key, "") if first_name_key
            else name.get("givenName", ""),
            "last_name": "" if first_name_key else name.get("familyName", "")}


class RPXAccount:
    def __init__(self, request: Any, api_key: str = "", domain: str = "", url: str = "",
                 embed: bool = True, auth_url: str = "https://rpxnow.com/api/v2/auth_info",
                 language: str = "en", prompt: str = "rpx",
                 on_login_failure: str | None = None) -> None:
        self.request, self.api_key, self.domain = request, api_key, domain
        self.token_url, self.embed, self.auth_url = url, embed, auth_url
        self.language, self.prompt, self.on_login_failure = language, prompt, on_login_failure
        self.profile: dict | None = None
        self.mappings = Storage(Facebook=_profile_fields, Google=_profile_fields,
                                default=lambda p: _profile_fields(p, "preferredUsername"))

    def get_user(self) -> dict | None:
        token = self.request.post_vars.token or self.request.get_vars.token
        if not token:
            return None
        query = urllib.parse.urlencode({"apiKey": self.api_key, "token": token})
        try:
            with urllib.request.urlopen(f"{self.auth_url}?{query}", timeout=TIMEOUT) as answer:  # noqa: S310
                info = json.loads(answer.read().decode("utf-8"))
        except (OSError, urllib.error.URLError, ValueError) as exc:
            raise HTTP(502, f"the Janrain service at {self.auth_url} cannot be reached") from exc
        if info.get("stat") == "ok":
            self.profile = info["profile"]
            provider = re.sub(r"[^\w\-]", "", self.profile.get("providerName", ""))
            return self.mappings.get(provider, self.mappings.default)(self.profile)
        if self.on_login_failure:
            redirect(self.on_login_failure)
        return None

    def login_form(self) -> Any:
        query = urllib.parse.urlencode({"token_url": self.token_url,
                                        "language_preference": self.language})
        return IFRAME(_src=f"https://{self.domain}.rpxnow.com/openid/embed?{query}",
                      _scrolling="no", _frameborder="no", _style="width:400px;height:240px;")


def use_janrain(auth: Any, filename: str = "private/janrain.key", **kwargs: Any) -> bool:
    """Use Janrain for ``auth`` when the app has ``private/janrain.key`` (``domain:api_key``);
    registration and password changes are then off. True when it was switched on."""
    from server.routing import URL

    path = os.path.join(current.request.folder, filename)
    if not os.path.isfile(path):
        return False
    with open(path, encoding="utf-8") as handle:
        domain, _, key = handle.read().strip().partition(":")
    auth.settings.actions_disabled = ["register", "change_password", "request_reset_password"]
    auth.settings.login_form = RPXAccount(current.request, api_key=key, domain=domain,
                                          url=URL("default", "user", args="login", scheme=True),
                                          **kwargs)
    return True
