"""gluon.contrib.login_methods.basic_auth asks a real HTTP server over Basic auth."""

import base64

from support import LocalHTTPService, closed_port_url

from gluon.contrib.login_methods.basic_auth import basic_auth

GOOD = "Basic " + base64.b64encode(b"ann:secret").decode()


def _answer(method, path, headers, body):
    return (200, "text/plain", "ok") if headers.get("Authorization") == GOOD else \
        (401, "text/plain", "no")


def test_accepts_what_the_server_accepts():
    with LocalHTTPService(_answer) as service:
        check = basic_auth(service.url + "/protected")
        assert check("ann", "secret") is True
        assert check("ann", "wrong") is False


def test_an_unreachable_server_is_a_refusal():
    assert basic_auth(closed_port_url())("ann", "secret") is False
