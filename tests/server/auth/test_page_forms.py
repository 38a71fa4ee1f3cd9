"""What every Auth page shares: the resolved ``_next`` and refusing foreign ones."""

from __future__ import annotations

import urllib.parse

import pytest
from auth_site import FormReader, Site, make_app


@pytest.mark.parametrize("target", ["//evil.example/x", "http://evil.example/",
                                    "https:/evil", "/\\evil.example", "javascript:alert(1)"])
def test_next_pointing_elsewhere_is_ignored(site, target):
    site.register_and_verify()
    answer = site.login(path="user/login?" + urllib.parse.urlencode({"_next": target}))
    assert answer.status == 303
    assert answer.headers["Location"] == "/app/default/index"


def test_auth_forms_carry_the_resolved_next_as_web2py_renders_it(root, live_server, browser):
    app = make_app(root, settings="auth.settings.login_next = 'profile'")
    visitor = Site(live_server(root), browser, app)
    page = visitor.get("user/login").text
    assert FormReader(page).values["_next"] == "/app/default/user/profile"
    page = visitor.get("user/login?_next=/app/default/secret").text
    assert FormReader(page).values["_next"] == "/app/default/secret"
    assert FormReader(visitor.get("user/register").text).values["_next"] == "/app/default/index"
    visitor.register_and_verify()
    answer = visitor.login()
    assert answer.status == 303 and answer.headers["Location"] == "/app/default/user/profile"
