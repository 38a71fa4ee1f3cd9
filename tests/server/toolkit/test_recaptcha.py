"""Recaptcha2 in a served form, checked against a real local verification server."""

import json
from urllib.parse import parse_qs

import pytest
from support import LocalHTTPService, closed_port_url, write_app

CONTROLLER = """
from gluon.tools import Recaptcha2

def index():
    captcha = Recaptcha2(public_key='PUBLIC"KEY', private_key='SECRET', error_message='not a human',
                         options=dict(theme='dark', hl='it'))
    captcha.VERIFY_SERVER = %r
    form = FORM(INPUT(_name='name'), captcha, INPUT(_type='submit'))
    if form.process(session=None, formname='f').accepted:
        return 'accepted %%s' %% form.vars.name
    return form.xml() + '<p id="errors">%%s</p>' %% form.errors.get('captcha')
"""


def google(calls, answers):
    """A siteverify stand-in: records each post, answers from ``answers`` by response token."""
    def answer(method, path, headers, body):
        fields = {key: values[0] for key, values in parse_qs(body).items()}
        calls.append((method, path, fields))
        return 200, "application/json", answers(fields)
    return answer


def verdict(fields):
    ok = fields.get("secret") == "SECRET" and fields.get("response") == "human-token"
    return json.dumps({"success": ok})


@pytest.fixture
def app_with(root, wsgi_server):
    def build(verify_url):
        write_app(root, "signup", {"controllers/default.py": CONTROLLER % verify_url})
        return wsgi_server(root) + "/signup/default/index"
    return build


def post(http, url, **fields):
    body = "&".join(f"{key}={value}" for key, value in {"_formname": "f", **fields}.items())
    return http(url, data=body.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"}).text


def test_renders_google_s_box_with_options_and_escaped_key(app_with, http):
    page = http(app_with(closed_port_url())).text
    assert '<script async="async" defer="defer" src="https://www.google.com/recaptcha/api.js?hl=it">' \
        in page
    assert '<div class="g-recaptcha" data-sitekey="PUBLIC&quot;KEY" data-theme="dark"></div>' in page
    assert '<noscript>' in page and 'name="g-recaptcha-response"' in page
    assert 'fallback?k=PUBLIC%22KEY' in page


def test_accepts_only_what_the_verification_server_confirms(app_with, http):
    calls = []
    with LocalHTTPService(google(calls, verdict)) as service:
        url = app_with(service.url + "/siteverify")
        assert post(http, url, name="ann", **{"g-recaptcha-response": "human-token"}) == \
            "accepted ann"
        refused = post(http, url, name="bot", **{"g-recaptcha-response": "forged"})
    assert '<p id="errors">not a human</p>' in refused
    assert '<div class="error" role="alert">not a human</div>' in refused
    method, path, fields = calls[0]
    assert (method, path) == ("POST", "/siteverify")
    assert fields == {"secret": "SECRET", "response": "human-token", "remoteip": "127.0.0.1"}
    assert len(calls) == 2


def test_no_answer_is_refused_without_asking_google(app_with, http):
    calls = []
    with LocalHTTPService(google(calls, verdict)) as service:
        page = post(http, app_with(service.url + "/siteverify"), name="x")
    assert '<p id="errors">not a human</p>' in page and calls == []


def test_fails_closed_when_the_service_is_unreachable_or_talks_nonsense(app_with, http):
    offline = post(http, app_with(closed_port_url()), name="x",
                   **{"g-recaptcha-response": "human-token"})
    assert "The captcha could not be checked" in offline and "accepted" not in offline
    with LocalHTTPService(google([], lambda fields: "<html>oops</html>")) as service:
        garbled = post(http, app_with(service.url + "/siteverify"), name="x",
                       **{"g-recaptcha-response": "human-token"})
    assert "The captcha could not be checked" in garbled and "accepted" not in garbled
    with LocalHTTPService(google([], lambda fields: '{"success": "yes"}')) as service:
        loose = post(http, app_with(service.url + "/siteverify"), name="x",
                     **{"g-recaptcha-response": "human-token"})
    assert '<p id="errors">not a human</p>' in loose
