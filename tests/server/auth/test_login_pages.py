"""Login, logout and ``login_bare`` over real HTTP: throttling, hashes, remember-me."""

from __future__ import annotations

from auth_site import Site
from support import assert_answer


def test_login_form_tells_password_managers_what_is_what(site):
    page = site.get("user/login").text
    assert 'autocomplete="current-password"' in page and 'autocomplete="username"' in page


def test_post_without_formkey_is_refused(site):
    answer = site.browser.post(site.url("user/login"), {
        "email": "ann@example.com", "password": "x", "_formname": "login"})
    assert answer.status == 200
    assert "expired" in answer.text


def test_wrong_password_is_a_form_error_and_logged(site):
    site.register_and_verify()
    answer = site.login(password="wrong")
    assert answer.status == 200
    assert "Invalid login" in answer.text
    assert any("Failed login for ann@example.com" in event for event in site.events())


def test_repeated_failed_logins_are_throttled(live_site):
    live_site.register_and_verify()
    for _ in range(5):
        assert "Invalid login" in live_site.login(password="guess").text
    locked = live_site.login()  # even the right password waits
    assert locked.status == 200
    assert "Too many failed logins" in locked.text
    assert_answer(live_site.get("secret"), 303,
                  Location='/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret')


def test_login_bare_shares_the_throttle(live_site):
    live_site.register_and_verify()
    assert live_site.get("api_login?email=ann@example.com&password=s3cret-pass").text == "yes Ann"
    live_site.get("user/logout")
    for _ in range(5):
        assert live_site.get("api_login?email=ann@example.com&password=bad").text == "no"
    assert live_site.get("api_login?email=ann@example.com&password=s3cret-pass").text == "no"
    assert "Too many failed logins" in live_site.login().text


def test_remember_me_keeps_the_login_past_the_short_expiration(make_site):
    visitor = make_site("auth.settings.expiration = 60\n"
                        "auth.settings.long_expiration = 600\n"
                        "auth.settings.registration_requires_verification = False")
    visitor.register()
    assert visitor.submit("user/login", email="ann@example.com", password="s3cret-pass",
                          remember_me="on").status == 303
    assert visitor.get("age_login/500").text == "aged"
    answer = visitor.get("secret")
    assert answer.status == 200
    assert "Max-Age=600" in answer.headers["Set-Cookie"]
    assert visitor.get("age_login/601").text == "aged"
    assert_answer(visitor.get("secret"), 303,
                  Location='/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret')


def test_one_users_typos_do_not_lock_out_others_on_the_same_address(live_site, browser):
    from support import Browser

    live_site.register_and_verify()
    live_site.register_and_verify(email="bob@example.com")
    live_site.get("user/logout")
    for _ in range(5):
        assert "Invalid login" in live_site.login(password="typo").text
    assert "Too many failed logins" in live_site.login().text
    bob = Site(live_site.root, Browser(), live_site.folder)
    assert_answer(bob.login(email="bob@example.com"), 303, Location="/app/default/index")
