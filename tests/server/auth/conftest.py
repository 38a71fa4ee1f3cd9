"""Fixtures of the Auth tests: the test app served in-process or by cheroot, and its visitor."""

from __future__ import annotations

import pytest
from auth_site import Site, make_app


@pytest.fixture
def make_site(root, wsgi_server, browser):
    """``make_site(settings)``: the test app with extra ``auth.settings`` lines, and a visitor
    (``usernames=True``: its accounts have a username)."""

    def build(settings: str = "", usernames: bool = False) -> Site:
        return Site(wsgi_server(root), browser, make_app(root, settings, usernames=usernames))

    return build


@pytest.fixture
def site(make_site):
    return make_site()


@pytest.fixture
def live_site(root, live_server, browser):
    """The test app behind a real cheroot server: the hostile-input checks (throttle, reset
    answers, password rules) go over a real socket, as an attacker's requests would."""
    return Site(live_server(root), browser, make_app(root, ""))


@pytest.fixture
def username_site(root, wsgi_server, browser):
    """The test app whose accounts have a username to log in with, and its visitor."""
    return Site(wsgi_server(root), browser, make_app(root, usernames=True))
