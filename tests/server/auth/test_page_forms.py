"""What every Auth page shares: the resolved ``_next`` and refusing foreign ones."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from auth_site import FormReader, Site, make_app
from support import assert_answer


@pytest.mark.parametrize("target", ["//evil.example/x", "http://evil.example/",
                                    "https:/evil", "/\\evil.example", "javascript:alert(1)"])
def test_next_pointing_elsewhere_is_ignored(site, target):
    site.register_and_verify()
    answer = site.login(path="user/login?" + urllib.parse.urlencode({"_next": target}))
    assert_answer(answer, 303, Location="/app/default/index")


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
    assert_answer(answer, 303, Location="/app/default/user/profile")


CAPTCHA_SETTINGS = '''
from gluon.tools import Recaptcha2
auth.settings.captcha = Recaptcha2(request, public_key="PUB", private_key="SECRET",
                                   error_message="not a human")
auth.settings.captcha.VERIFY_SERVER = "{verify}"
{more}
'''


def google_stand_in(calls):
    """Google's siteverify as a real local HTTP server: success only for the right secret and
    the token a human would have got."""
    def answer(method, path, headers, body):
        fields = {key: values[0] for key, values in urllib.parse.parse_qs(body).items()}
        calls.append(fields)
        human = fields.get("secret") == "SECRET" and fields.get("response") == "human-token"
        return 200, "application/json", json.dumps({"success": human})
    return answer


def test_auth_settings_captcha_guards_login_and_register(make_site):
    from support import LocalHTTPService

    calls: list = []
    with LocalHTTPService(google_stand_in(calls)) as google:
        site = make_site(CAPTCHA_SETTINGS.format(verify=google.url + "/siteverify", more=""))
        for page in ("user/login", "user/register"):
            html = site.get(page).text
            assert 'id="captcha__row"' in html and 'data-sitekey="PUB"' in html, page
            assert html.index('id="captcha__row"') < html.index('type="submit"')
        refused = site.register(**{"g-recaptcha-response": "forged"})
        assert refused.status == 200 and "not a human" in refused.text and not site.mails()
        assert site.register(**{"g-recaptcha-response": ""}).status == 200
        site.register_and_verify(**{"g-recaptcha-response": "human-token"})
        answer = site.submit("user/login", email="ann@example.com", password="s3cret-pass",
                             **{"g-recaptcha-response": "forged"})
        assert answer.status == 200 and "not a human" in answer.text
        answer = site.submit("user/login", email="ann@example.com", password="s3cret-pass",
                             **{"g-recaptcha-response": "human-token"})
        assert answer.status == 303
    assert [c["response"] for c in calls] == ["forged", "human-token", "forged", "human-token"]
    assert all(c["secret"] == "SECRET" for c in calls)


def test_a_page_s_own_captcha_setting_comes_first(make_site):
    from support import closed_port_url

    settings = CAPTCHA_SETTINGS.format(verify=closed_port_url(), more=(
        "auth.settings.login_captcha = False\n"
        "auth.settings.register_captcha = False\n"
        "auth.settings.retrieve_username_captcha = Recaptcha2(request, public_key='OWN')"))
    site = make_site(settings)
    assert 'captcha__row' not in site.get("user/login").text
    assert 'data-sitekey="PUB"' in site.get("user/register").text  # register falls back
    assert 'data-sitekey="PUB"' in site.get("user/request_reset_password").text
