"""Registration and the mailed verification over real HTTP (real .eml mail files)."""

from __future__ import annotations

import urllib.parse

from auth_site import FormReader, Site, session_cookie
from pydal import DAL
from support import assert_answer, copy_welcome


def test_register_verify_login_protected_logout(site, browser):
    form_page = site.get("user/register")
    reader = FormReader(form_page.text)
    assert {"first_name", "email", "password", "password_two", "_formkey"} <= set(reader.values)
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
                        "auth.settings.registration_requires_approval = True")
    app = visitor.folder
    assert_answer(visitor.register(), 303, Location="/app/default/index")
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
