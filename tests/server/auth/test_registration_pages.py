"""Registration and the mailed verification over real HTTP (real .eml mail files)."""

from __future__ import annotations

import email
import email.policy
import urllib.parse

import pytest
from auth_site import FormReader, Site, form_row, session_cookie
from pydal import DAL
from support import assert_answer, copy_welcome


def test_register_verify_login_protected_logout(site, browser):
    form_page = site.get("user/register")
    reader = FormReader(form_page.text)
    assert set(reader.values) == {"first_name", "last_name", "email", "password", "password_two",
                                  "_formkey", "_formname", "_next"}  # no registration key
    assert reader.input_ids and reader.input_ids <= reader.label_targets, "labelled inputs"

    answer = site.register()
    assert_answer(answer, 303, Location="/app/default/index")
    assert site.mails(), "a verification mail is kept in private/mail"
    assert site.login().status == 200  # not verified yet: refused with a message
    assert "Registration needs verification" in site.login().text

    verified = site.get(site.last_link("verify_email"))
    assert_answer(verified, 303, Location="/app/default/user/login")
    assert verified.headers["Location"].endswith("/user/login")

    denied = site.get("secret")
    assert_answer(denied, 303, Location="/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret")
    location = denied.headers["Location"]
    assert location.startswith("/app/default/user/login?")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(location).query)["_next"] == [
        "/app/default/secret"]

    before = session_cookie(browser)
    logged = site.login(path=location)
    assert logged.status == 303, logged.text
    assert logged.headers["Location"] == "/app/default/secret"
    assert session_cookie(browser) != before, "login must renew the session id"
    assert site.get("secret").text == "secret of ann@example.com"

    assert_answer(site.get("user/logout"), 303, Location="/app/default/index")
    assert_answer(site.get("secret"), 303,
                  Location='/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret')
    events = " | ".join(site.events())
    for expected in ("Registered", "Verification email sent", "Email verified", "Logged-in",
                     "Logged-out"):
        assert expected in events


def test_password_is_never_stored_in_clear(site):
    site.register(password="plain-text-pw-42")
    stored = (site.folder / "databases" / "storage.sqlite").read_bytes()
    assert b"plain-text-pw-42" not in stored
    assert b"pbkdf2(" in stored


def test_bad_registration_input_gives_form_errors(site):
    answer = site.register(email="not-an-email", password="abc", password_two="abd")
    assert answer.status == 200
    assert "Invalid email" in answer.text
    assert "match" in answer.text
    site.register_and_verify()
    again = site.register()
    assert again.status == 200 and "already has an account" in again.text


def test_registration_without_verification_can_log_in_at_once(make_site):
    visitor = make_site("auth.settings.registration_requires_verification = False\n"
                        "auth.settings.login_after_registration = True")
    assert_answer(visitor.register(), 303, Location="/app/default/index")
    assert visitor.get("secret").text == "secret of ann@example.com"
    assert not visitor.mails()


def test_register_onaccept_sees_the_new_users_id(make_site):
    visitor = make_site("auth.settings.register_onaccept.append(\n"
                        "    lambda form: auth.add_membership(auth.add_group('first'), form.vars.id))")
    visitor.register_and_verify()
    visitor.login()
    assert "first" in visitor.get("groups").text.split(",")


def test_registration_pending_approval(make_site):
    visitor = make_site("auth.settings.registration_requires_verification = False\n"
                        "auth.settings.registration_requires_approval = True\n"
                        "auth.settings.register_next = URL('default', 'open_page')")
    app = visitor.folder
    assert_answer(visitor.register(_next=""), 303, Location="/app/default/open_page")
    assert visitor.get("index").text == "home page. Registration is pending approval"
    refused = visitor.login()
    assert refused.status == 200 and "pending approval" in refused.text
    db = DAL("sqlite://storage.sqlite", folder=str(app / "databases"), auto_import=True)
    db(db.auth_user).update(registration_key="")
    db.commit()
    db.close()
    assert_answer(visitor.login(), 303, Location="/app/default/index")


def test_the_shipped_welcome_app_signs_up_and_logs_in(tmp_path, wsgi_server, browser):
    copy_welcome(tmp_path)
    visitor = Site(wsgi_server(tmp_path), browser, tmp_path / "applications" / "welcome")
    visitor.url = lambda path: visitor.root + "/welcome/default/" + path
    home = visitor.get("index")
    assert home.status == 200 and "/welcome/default/user/login" in home.text
    registered = visitor.register()
    assert registered.status == 303, registered.text
    visitor.get("user/logout")
    assert_answer(visitor.login(), 303, Location="/welcome/default/index")
    page = visitor.get("index").text
    assert "Welcome Ann" in page and "/welcome/default/user/logout" in page


def test_registration_makes_the_users_group_and_logs_it(site):
    site.register_and_verify()
    assert site.rows("select role, description from auth_group") == [
        ("user_1", "Group uniquely assigned to user 1")]
    assert site.rows("select group_id, user_id from auth_membership") == [(1, 1)]
    assert site.events() == ["User 1 Verification email sent", "Group 1 created",
                             "User 1 Registered", "User 1 Email verified"]
    assert site.rows("select registration_key, reset_password_key, registration_id "
                     "from auth_user") == [("", "", "")]
    assert site.rows("select description, user_id from auth_event where user_id is not null "
                     "order by id") == [("User 1 Verification email sent", 1),
                                        ("User 1 Registered", 1), ("User 1 Email verified", 1)]


def test_the_verification_mail_links_the_key_and_the_key_works_once(site):
    assert_answer(site.register(), 303, Location="/app/default/index")
    assert site.get("index").text == "home page. Registration needs verification"
    ((key,),) = site.rows("select registration_key from auth_user")
    link = site.last_link("verify_email")
    assert link.endswith("/app/default/user/verify_email/" + key) and len(key) == 32
    mail = email.message_from_bytes(site.mails()[-1].read_bytes(), policy=email.policy.default)
    assert mail["To"] == "ann@example.com" and mail["Subject"] == "Email verification"
    assert mail.get_content().startswith("Welcome ann@example.com! Click on the link")
    assert_answer(site.get(link), 303, Location="/app/default/user/login")
    assert site.get("index").text == "home page. Email verified"
    assert_answer(site.get(link), 303, Location="/app/default/user/login")
    assert site.get("index").text == "home page. Invalid user"


@pytest.mark.parametrize("stored, key", [("pending", "pending"), ("disabled", "disabled"),
                                         ("blocked", "blocked"), (None, "0" * 32), (None, "")])
def test_verify_email_refuses_keys_that_are_no_mailed_key(site, stored, key):
    site.register()
    if stored:
        site.rows("update auth_user set registration_key = ?", stored)
    before = site.rows("select registration_key from auth_user")
    assert_answer(site.get("user/verify_email/" + key), 303, Location="/app/default/user/login")
    assert site.get("index").text == "home page. Invalid user"
    assert site.rows("select registration_key from auth_user") == before


def test_a_logged_in_user_is_sent_from_register_to_the_profile(site):
    site.register_and_verify()
    site.login()
    assert_answer(site.get("user/register"), 303, Location="/app/default/user/profile")


def test_registration_fields_groups_and_logins_follow_the_settings(make_site):
    visitor = make_site("auth.settings.registration_requires_verification = False\n"
                        "auth.settings.register_fields = ['password', 'email']\n"
                        "auth.settings.create_user_groups = None\n"
                        "auth.settings.everybody_group_id = 1\n"
                        "auth.settings.register_next = URL('default', 'open_page')")
    page = FormReader(visitor.get("user/register").text)
    # the password comes last, right above its confirmation, wherever the setting names it
    assert list(page.values) == ["email", "password", "password_two", "_next", "_formname",
                                 "_formkey"]
    visitor.rows("insert into auth_group (role) values ('everybody')")
    assert_answer(visitor.register(_next=""), 303, Location="/app/default/open_page")
    assert visitor.get("index").text == "home page. Registration successful"
    assert_answer(visitor.get("secret"), 303,
                  Location="/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret")
    assert visitor.rows("select role from auth_group") == [("everybody",)]  # no user_1
    assert visitor.rows("select group_id, user_id from auth_membership") == [(1, 1)]


def test_without_a_mailer_a_registration_needing_verification_is_undone(make_site):
    visitor = make_site("auth.settings.mailer = None")
    answer = visitor.register()
    assert answer.status == 200
    assert '<div class="flash">Unable to send email</div>' in answer.text
    assert visitor.rows("select count(*) from auth_user") == [(0,)]
    assert visitor.rows("select count(*) from auth_group") == [(0,)]


def test_a_verified_address_waits_for_approval_when_that_is_required(make_site):
    visitor = make_site("auth.settings.registration_requires_approval = True")
    visitor.register()
    assert_answer(visitor.get(visitor.last_link("verify_email")), 303,
                  Location="/app/default/user/login")
    assert visitor.get("index").text == "home page. Registration is pending approval"
    assert visitor.rows("select registration_key from auth_user") == [("pending",)]


def test_verifying_logs_in_when_login_after_registration_is_set(make_site):
    visitor = make_site("auth.settings.login_after_registration = True\n"
                        "auth.settings.verify_email_next = URL('default', 'secret')")
    visitor.register()
    assert_answer(visitor.get(visitor.last_link("verify_email")), 303,
                  Location="/app/default/secret")
    assert visitor.get("secret").text == "secret of ann@example.com"


def test_a_password_left_as_the_placeholder_is_no_password(site):
    answer = site.register(password="******", password_two="******")
    assert answer.status == 200 and "Cannot be empty" in answer.text
    assert site.rows("select count(*) from auth_user") == [(0,)]


def test_the_verification_mail_greets_by_username_and_may_show_the_key(make_site):
    site = make_site("auth.messages.verify_email = 'Hi %(username)s, key %(key)s: %(link)s'")
    site.folder.joinpath("models", "db.py").write_text(
        site.folder.joinpath("models", "db.py").read_text().replace("username=False",
                                                                    "username=True"))
    site.register(username="ann_lee")
    ((key,),) = site.rows("select registration_key from auth_user")
    text = email.message_from_bytes(site.mails()[-1].read_bytes(),
                                    policy=email.policy.default).get_content()
    assert text.startswith(f"Hi ann_lee, key {key}: http://")


def test_verify_email_without_a_key_verifies_nobody(site):
    site.register()
    site.rows("update auth_user set registration_key = NULL")
    assert_answer(site.get("user/verify_email"), 303, Location="/app/default/user/login")
    assert site.get("index").text == "home page. Invalid user"
    assert site.rows("select registration_key from auth_user") == [(None,)]


def test_verify_email_calls_its_onaccept_with_the_user(site):
    site.register()
    ((key,),) = site.rows("select registration_key from auth_user")
    assert_answer(site.get(f"verify_noted/x/{key}"), 303, Location="/app/default/user/login")
    assert ("noted ann@example.com",) in site.rows("select role from auth_group")


def test_the_register_form_asks_for_the_password_once_then_for_its_confirmation(site):
    html = site.get("user/register").text
    assert html.count('name="password"') == 1 and 'value="Sign Up"' in html
    assert FormReader(html).values["_formname"] == "register"
    confirm = form_row(html, "password_two")
    assert ">Verify Password</label>" in confirm and 'type="password"' in confirm
    assert ">please input your password again</td>" in confirm
    mismatched = site.register(password_two="other-pass-1")
    assert mismatched.status == 200 and "Password fields don&#x27;t match" in mismatched.text
    assert site.rows("select count(*) from auth_user") == [(0,)]


def test_a_field_the_user_may_not_write_is_no_part_of_registration(make_site):
    visitor = make_site('auth.settings.extra_fields["auth_user"] = [\n'
                        '    Field("credit", "integer", default=5, writable=False)]')
    html = visitor.get("user/register").text
    assert "auth_credit" not in html and "Credit" not in html
    assert_answer(visitor.register(credit="500", id="77"), 303, Location="/app/default/index")
    assert visitor.rows("select id, credit from auth_user") == [(1, 5)]


def test_register_next_is_the_form_s_next_and_where_a_new_account_goes(make_site):
    visitor = make_site("auth.settings.register_next = URL('default', 'open_page')")
    assert FormReader(visitor.get("user/register").text).values["_next"] == \
        "/app/default/open_page"
    assert_answer(visitor.register(_next=""), 303, Location="/app/default/open_page")
    assert visitor.get("index").text == "home page. Registration needs verification"


def test_registration_shows_its_own_captcha(make_site):
    visitor = make_site("from gluon.tools import Recaptcha2\n"
                        "auth.settings.register_captcha = Recaptcha2(request, public_key='OWN')")
    assert 'data-sitekey="OWN"' in visitor.get("user/register").text


def test_register_onvalidation_may_refuse_a_registration(make_site):
    visitor = make_site(
        "auth.settings.register_onvalidation.append(\n"
        "    lambda form: form.vars.first_name == 'Veto' and form.errors.update(first_name='vetoed'))")
    refused = visitor.register(first_name="Veto")
    assert refused.status == 200 and "vetoed" in refused.text
    assert visitor.rows("select count(*) from auth_user") == [(0,)]
    assert_answer(visitor.register(), 303, Location="/app/default/index")
    assert visitor.rows("select first_name from auth_user") == [("Ann",)]
