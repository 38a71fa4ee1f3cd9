"""gluon.contrib.login_methods.oauth20_account: the authorization-code flow against a real local
token endpoint, inside a served app."""

import json
import urllib.parse

import pytest
from support import LocalHTTPService, assert_answer, closed_port_url, write_app

from gluon.contrib.login_methods.oauth20_account import OAuthAccount

CONTROLLER = """
from gluon.contrib.login_methods.oauth20_account import OAuthAccount

class Account(OAuthAccount):
    def get_user(self):
        token = self.accessToken()
        return token and dict(username='u-' + token)

account = Account(client_id='cid', client_secret='sec', auth_url='https://provider/auth',
                  token_url=TOKEN_URL, scope='email')

def login():
    return account.login_url(next='/oauth/default/callback')

def callback():
    user = account.get_user()
    return user['username'] if user else 'none'
"""


def _token_endpoint(method, path, headers, body):
    form = dict(urllib.parse.parse_qsl(body))
    if method == "POST" and form.get("code") == "good-code" and form.get("client_id") == "cid":
        return 200, "application/json", json.dumps({"access_token": "T1", "expires_in": 3600})
    return 400, "application/json", json.dumps({"error": "invalid_grant"})


def _app(root, token_url):
    write_app(root, "oauth", {"controllers/default.py":
                              CONTROLLER.replace("TOKEN_URL", repr(token_url))})


def test_login_redirects_with_state_then_the_code_becomes_a_token(root, wsgi_server, browser):
    with LocalHTTPService(_token_endpoint) as provider:
        _app(root, provider.url + "/token")
        base = wsgi_server(root)
        start = browser.get(base + "/oauth/default/login")
        assert_answer(start, 303)
        location = urllib.parse.urlsplit(start.headers["Location"])
        query = dict(urllib.parse.parse_qsl(location.query))
        assert location.netloc == "provider" and query["client_id"] == "cid"
        assert query["scope"] == "email" and query["response_type"] == "code"
        assert query["redirect_uri"].endswith("/oauth/default/callback")
        forged = browser.get(base + "/oauth/default/callback?code=good-code&state=forged")
        assert_answer(forged, 400, "invalid OAuth state: start the login again")
        browser.get(base + "/oauth/default/login")  # a fresh state: the forged try used it up
        state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
            browser.get(base + "/oauth/default/login").headers["Location"]).query))["state"]
        done = browser.get(f"{base}/oauth/default/callback?code=good-code&state={state}")
        assert done.text == "u-T1"
        assert browser.get(base + "/oauth/default/callback").text == "u-T1"  # kept in session


def test_an_unreachable_token_endpoint_is_a_502(root, wsgi_server, browser):
    _app(root, closed_port_url() + "/token")
    base = wsgi_server(root)
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
        browser.get(base + "/oauth/default/login").headers["Location"]).query))["state"]
    failed = browser.get(f"{base}/oauth/default/callback?code=c&state={state}")
    assert_answer(failed, 502, "cannot be reached")


def test_mandatory_arguments():
    with pytest.raises(RuntimeError, match="token_url"):
        OAuthAccount(client_id="a", client_secret="b", auth_url="c")
