"""What every Auth page shares: the resolved ``_next`` and refusing foreign ones."""

from __future__ import annotations

import email
import email.policy
import json
import re
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
            assert re.search(r'id="captcha__row"><td class="w2p_fl"><label[^>]*>Verify:</label>',
                             html), page
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


def test_next_settings_may_be_a_list_a_callable_or_an_auth_action(make_site):
    visitor = make_site("auth.settings.login_next = ['profile', 'index']\n"
                        "auth.settings.logout_next = lambda: URL('default', 'open_page')")
    visitor.register_and_verify()
    assert_answer(visitor.login(), 303, Location="/app/default/user/profile")
    assert_answer(visitor.get("user/logout"), 303, Location="/app/default/open_page")


@pytest.mark.parametrize("empty", ["None", "[]", "lambda: None"])
def test_a_next_setting_left_empty_goes_to_the_apps_index(make_site, empty):
    visitor = make_site(f"auth.settings.login_next = {empty}")
    visitor.register_and_verify()
    assert_answer(visitor.login(), 303, Location="/app/default/index")


def test_an_empty_next_setting_goes_to_the_index_of_auths_own_controller(make_site):
    """Auth's pages served from another controller still go to Auth's controller's index."""
    visitor = make_site("auth.settings.login_next = None")
    (visitor.folder / "controllers" / "site.py").write_text("def user():\n    return auth()\n")
    visitor.register_and_verify()
    assert_answer(visitor.login(path="/app/site/user/login"), 303, Location="/app/default/index")


def test_the_forms_follow_the_formstyle_separator_and_hideerror_settings(make_site):
    visitor = make_site("auth.settings.formstyle = 'divs'\n"
                        "auth.settings.label_separator = ' >'\n"
                        "auth.settings.hideerror = True")
    page = visitor.get("user/login").text
    assert "<table" not in page and 'class="w2p_fl"' in page and "Email &gt;</label>" in page
    assert 'id="auth_email"' in page  # the form's fields are named after the "auth" table
    refused = visitor.login(email="not-an-address")
    assert refused.status == 200 and "Invalid email" not in refused.text  # errors hidden


def test_default_forms_are_tables_with_labels_and_inline_errors(site):
    page = site.get("user/login").text
    assert "<table" in page and ">Email</label>" in page and "Email &gt;" not in page
    refused = site.login(email="not-an-address")
    assert re.search(r'<div class="error" id="\w*email__error" role="alert">Invalid email</div>',
                     refused.text)


@pytest.mark.parametrize("key, reason", [
    ("pending", "Registration is pending approval"),
    ("disabled", "Login disabled by administrator"),
    ("blocked", "Login disabled by administrator"),
    ("a1b2c3", "Registration needs verification")])
def test_an_account_s_registration_key_says_why_it_may_not_log_in(site, key, reason):
    site.register_and_verify()
    site.rows("update auth_user set registration_key = ?", key)
    answer = site.login()
    assert answer.status == 200 and reason in answer.text


def test_the_email_of_an_account_is_found_whatever_its_case_unless_told_otherwise(make_site):
    site = make_site()
    site.register_and_verify()
    site.submit("user/request_reset_password", email="ANN@Example.COM")
    assert len(site.mails()) == 2  # the verification, then the reset link
    strict = make_site("auth.settings.email_case_sensitive = True")
    strict.submit("user/request_reset_password", email="ANN@Example.COM")
    assert len(strict.mails()) == 2  # the same app folder: no new mail for another case


def test_pages_for_users_send_visitors_to_the_login_first(site):
    for page in ("profile", "change_password", "groups"):
        assert_answer(site.get("user/" + page), 303,
                      Location=f"/app/default/user/login?_next=%2Fapp%2Fdefault%2Fuser%2F{page}")


def test_a_password_is_checked_against_its_salted_hash(site):
    site.register_and_verify()
    assert "Invalid login" in site.login(password="S3cret-pass").text
    assert "Invalid login" in site.login(password="s3cret-pass ").text
    assert_answer(site.login(), 303, Location="/app/default/index")


def test_empty_and_placeholder_passwords_are_form_errors(site):
    assert "Cannot be empty" in site.login(password="").text
    site.register_and_verify()
    site.login()
    changed = site.change_password("s3cret-pass", "******")
    assert changed.status == 200 and "Cannot be empty" in changed.text


def test_a_redirect_without_a_message_sets_no_flash(site):
    site.register_and_verify()
    site.register_and_verify(email="bob@example.com", first_name="Bob")
    site.login()
    site.get("grant_impersonate")
    site.get("user/impersonate/2")
    assert_answer(site.get("user/impersonate/0"), 303, Location="/app/default/user/profile")
    assert site.get("index").text == "home page. "


def test_email_pages_refuse_a_malformed_or_unknown_address(username_site):
    visitor = username_site
    visitor.register_and_verify(username="ann_lee")
    for address in ("not-an-address", "nobody@example.com"):
        answer = visitor.submit("user/retrieve_username", email=address)
        assert answer.status == 200 and "Invalid email" in answer.text
    for key, reason in (("disabled", "Login disabled by administrator"),
                        ("pending", "Registration is pending approval")):
        visitor.rows("update auth_user set registration_key = ?", key)
        answer = visitor.submit("user/retrieve_username", email="ANN@example.com")
        assert answer.status == 200 and reason in answer.text


def test_the_reset_request_form_checks_its_address_itself(site):
    page = site.get("user/request_reset_password").text
    assert ">Email</label>" in page and 'value="Request reset password"' in page
    assert FormReader(page).values["_next"] == "/app/default/user/login"
    answer = site.submit("user/request_reset_password", email="not-an-address")
    assert answer.status == 200 and "Invalid email" in answer.text and not site.mails()


def test_an_unknown_account_is_an_invalid_login_not_an_error(site):
    answer = site.login(email="nobody@example.com")
    assert answer.status == 200 and "Invalid login" in answer.text


def test_passwords_hashed_with_an_hmac_key_verify_with_it(root, wsgi_server, browser):
    app = make_app(root)
    models = app / "models" / "db.py"
    models.write_text(models.read_text().replace("Auth(db)", "Auth(db, hmac_key='sha512:k3y')"))
    visitor = Site(wsgi_server(root), browser, app)
    visitor.register_and_verify()
    ((stored,),) = visitor.rows("select password from auth_user")
    assert stored.startswith("sha512$")
    assert "Invalid login" in visitor.login(password="wrong-pass").text
    assert_answer(visitor.login(), 303, Location="/app/default/index")


def test_password_inputs_are_labelled_hidden_and_tell_password_managers(site):
    page = site.get("user/login").text
    password = re.search(r'<input[^>]*name="password"[^>]*>', page).group(0)
    assert 'type="password"' in password and 'autocomplete="current-password"' in password
    assert ">Password</label>" in page
    assert 'autocomplete="username"' in re.search(r'<input[^>]*name="email"[^>]*>', page).group(0)
    site.register_and_verify()
    site.login()
    page = site.get("user/change_password").text
    old = re.search(r'<input[^>]*name="old_password"[^>]*>', page).group(0)
    assert 'type="password"' in old and 'autocomplete="current-password"' in old
    assert ">Old password</label>" in page


def test_a_callback_setting_may_be_one_function_or_a_list(make_site):
    visitor = make_site(
        "auth.settings.logout_onlogout = lambda user: db.auth_group.insert(role='out ' + user.email)\n"
        "auth.settings.login_onaccept = [lambda form: db.auth_group.insert(role='in'),\n"
        "                                lambda form: db.auth_group.insert(role='in again')]")
    visitor.register_and_verify()
    visitor.login()
    visitor.get("user/logout")
    assert visitor.rows("select role from auth_group order by id") == [
        ("user_1",), ("in",), ("in again",), ("out ann@example.com",)]


def test_a_page_s_message_is_flashed_across_its_redirect_and_its_mail_has_a_subject(site):
    site.register_and_verify()
    assert site.get("index").text == "home page. Email verified"
    site.submit("user/request_reset_password", email="ann@example.com")
    mail = email.message_from_bytes(site.mails()[-1].read_bytes(), policy=email.policy.default)
    assert (mail["To"], mail["Subject"]) == ("ann@example.com", "Password reset")
    assert site.get("index").text == "home page. Email sent"


@pytest.mark.parametrize("page", ["login", "register", "request_reset_password"])
def test_each_page_s_form_has_its_own_name_and_refuses_a_post_without_its_key(site, page):
    fields = FormReader(site.get(f"user/{page}").text).values
    assert fields["_formname"] == page and fields["_formkey"]
    del fields["_formkey"]  # a cross-site post: every field but the key
    answer = site.browser.post(site.url(f"user/{page}"), fields)
    assert answer.status == 200 and "expired" in answer.text


def test_the_captcha_row_follows_the_formstyle_and_the_email_its_label(make_site):
    visitor = make_site("from gluon.tools import Recaptcha2\n"
                        "auth.settings.formstyle = 'divs'\n"
                        "auth.settings.captcha = Recaptcha2(request, public_key='PUB', "
                        "comment='prove it')\n"
                        "auth.messages.label_email = 'Your address'")
    html = visitor.get("user/request_reset_password").text
    assert re.search(r'<div id="captcha__row">.*?<div class="w2p_fc">prove it</div>', html)
    assert ">Your address</label>" in html


def test_without_csrf_prevention_a_post_needs_no_form_key(make_site):
    visitor = make_site("auth.csrf_prevention = False")
    visitor.register_and_verify()
    fields = FormReader(visitor.get("user/login").text).values
    assert "_formkey" not in fields  # nothing to check a post against
    fields.update(email="ann@example.com", password="s3cret-pass")
    assert_answer(visitor.browser.post(visitor.url("user/login"), fields), 303,
                  Location="/app/default/index")



@pytest.mark.parametrize("target", ["http://example.com/after", "https://example.com/after"])
def test_a_next_setting_may_be_an_absolute_url(make_site, target):
    visitor = make_site(f"auth.settings.login_next = {target!r}")
    assert FormReader(visitor.get("user/login").text).values["_next"] == target
