"""Login, logout and ``login_bare`` over real HTTP: throttling, hashes, remember-me."""

from __future__ import annotations

import re

from auth_site import FormReader, Site
from support import assert_answer


def test_login_form_tells_password_managers_what_is_what(site):
    page = site.get("user/login").text
    assert 'autocomplete="current-password"' in page and 'autocomplete="username"' in page
    assert ">Email</label>" in page and ">Remember me (for 30 days)</label>" in page
    remember = re.search(r'<input[^>]*name="remember_me"[^>]*>', page).group(0)
    assert 'type="checkbox"' in remember and "checked" not in remember
    assert FormReader(page).values["_next"] == "/app/default/index"


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
    assert site.rows("select user_id from auth_event where description = ?",
                     "Failed login for ann@example.com") == [(1,)]
    site.login(email="nobody@example.com")
    assert site.rows("select user_id from auth_event where description = ?",
                     "Failed login for nobody@example.com") == [(None,)]


def test_one_address_failing_on_many_accounts_is_locked_only_after_ten_times_as_many(site):
    site.register_and_verify()
    for attempt in range(12):  # never five on one account
        assert "Invalid login" in site.login(email=f"guess{attempt % 3}@example.com").text
    assert_answer(site.login(), 303, Location="/app/default/index")


def test_email_case_sensitive_logins_need_the_stored_case(make_site):
    visitor = make_site("auth.settings.email_case_sensitive = True")
    visitor.register_and_verify()
    assert "Invalid login" in visitor.login(email="Ann@example.com").text
    assert_answer(visitor.login(), 303, Location="/app/default/index")


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


def test_login_flashes_and_logs_and_a_logged_in_visit_skips_the_form(site):
    site.register_and_verify()
    assert_answer(site.login(email="ANN@Example.com"), 303, Location="/app/default/index")
    assert site.get("index").text == "home page. Logged in"
    assert "User 1 Logged-in" in site.events()
    assert_answer(site.get("user/login"), 303, Location="/app/default/index")
    assert_answer(site.get("user/logout"), 303, Location="/app/default/index")
    assert site.get("index").text == "home page. Logged out"
    assert site.events()[-1] == "User 1 Logged-out"
    assert_answer(site.get("user/logout"), 303, Location="/app/default/index")
    assert site.events()[-1] == "User 1 Logged-out"  # nobody was logged in: nothing logged


def test_login_and_logout_settings_and_callbacks(make_site):
    visitor = make_site(
        "auth.settings.remember_me_form = False\n"
        "auth.settings.login_next = URL('default', 'secret')\n"
        "auth.settings.logout_next = URL('default', 'open_page')\n"
        "seen = lambda name: lambda form: db.auth_group.insert(role=name + form.vars.email)\n"
        "auth.settings.login_onvalidation.append(seen('validated '))\n"
        "auth.settings.login_onaccept.append(seen('accepted '))\n"
        "auth.settings.login_onfail.append(seen('failed '))\n"
        "auth.settings.logout_onlogout = lambda user: db.auth_group.insert(role='out ' + "
        "user.email)\n"
        "auth.messages.label_email = 'Your address'")
    visitor.register_and_verify()
    page = visitor.get("user/login").text
    assert "remember_me" not in page and 'value="Log In"' in page
    assert ">Your address</label>" in page
    assert FormReader(page).values["_next"] == "/app/default/secret"
    assert visitor.login(password="wrong").status == 200
    logged = visitor.submit("user/login", email="ann@example.com", password="s3cret-pass",
                            _next="")
    assert_answer(logged, 303, Location="/app/default/secret")
    assert_answer(visitor.get("user/logout"), 303, Location="/app/default/open_page")
    roles = [role for (role,) in visitor.rows("select role from auth_group order by id")]
    assert roles == ["user_1", "failed ann@example.com", "validated ann@example.com",
                     "accepted ann@example.com", "out ann@example.com"]


def test_a_malformed_address_is_a_form_error_that_counts_no_failure(site):
    site.register_and_verify()
    for _ in range(6):
        answer = site.login(email="not-an-address")
        assert answer.status == 200 and "Invalid email" in answer.text
    assert_answer(site.login(), 303, Location="/app/default/index")
    assert not any("Failed login" in event for event in site.events())


def test_an_empty_password_is_a_form_error(site):
    answer = site.login(password="")
    assert answer.status == 200 and "Cannot be empty" in answer.text


def test_four_failures_still_let_the_right_password_in_and_the_count_starts_again(site):
    site.register_and_verify()
    for _ in range(4):
        assert "Invalid login" in site.login(password="guess").text
    assert_answer(site.login(), 303, Location="/app/default/index")
    site.get("user/logout")
    for _ in range(4):
        assert "Invalid login" in site.login(password="guess").text
    assert_answer(site.login(), 303, Location="/app/default/index")


def test_the_lockout_says_how_long_to_wait(site):
    site.register_and_verify()
    for _ in range(5):
        site.login(password="guess")
    message = re.search(r"Too many failed logins, please try again in (\d+) seconds",
                        site.login().text)
    assert 590 < int(message.group(1)) <= 600  # the app's login_lockout, counting down


def test_accounts_that_may_not_log_in_say_why(site):
    site.register_and_verify()
    for key, reason in (("pending", "Registration is pending approval"),
                        ("disabled", "Login disabled by administrator"),
                        ("blocked", "Login disabled by administrator"),
                        ("a1b2c3", "Registration needs verification")):
        site.rows("update auth_user set registration_key = ?", key)
        answer = site.login()
        assert answer.status == 200 and reason in answer.text, key
    assert not any("Failed login" in event for event in site.events())


def test_a_hash_made_with_older_settings_is_remade_at_login(site):
    from pydal.validators import CRYPT

    site.register_and_verify()
    old = str(CRYPT(digest_alg="pbkdf2(500,20,sha512)", salt=True)("s3cret-pass")[0])
    site.rows("update auth_user set password = ?", old)
    assert_answer(site.login(), 303, Location="/app/default/index")
    ((stored,),) = site.rows("select password from auth_user")
    assert stored != old and stored.startswith("pbkdf2(1000,20,sha512)$")
    site.get("user/logout")
    assert_answer(site.login(), 303, Location="/app/default/index")
    assert site.rows("select password from auth_user") == [(stored,)]  # remade once only


def test_login_bare_logs_the_user_in_and_the_event(site):
    site.register_and_verify()
    assert site.get("api_login?email=ann@example.com&password=s3cret-pass").text == "yes Ann"
    assert site.events()[-1] == "User 1 Logged-in"
    assert site.get("secret").text == "secret of ann@example.com"
    assert site.get("api_login?email=bob@example.com&password=s3cret-pass").text == "no"


def test_accounts_with_usernames_log_in_by_username(username_site):
    visitor = username_site
    visitor.register_and_verify(username="Ann_Lee")
    page = visitor.get("user/login").text
    assert 'name="username"' in page and 'name="email"' not in page
    assert ">Username</label>" in page
    other_case = visitor.submit("user/login", username="ann_lee", password="s3cret-pass")
    assert other_case.status == 200 and "Invalid login" in other_case.text
    empty = visitor.submit("user/login", username="", password="s3cret-pass")
    assert empty.status == 200 and "Cannot be empty" in empty.text
    wrong = visitor.submit("user/login", username="Ann_Lee", password="nope")
    assert wrong.status == 200 and "Invalid login" in wrong.text
    assert "Failed login for Ann_Lee" in visitor.events()
    assert_answer(visitor.submit("user/login", username="Ann_Lee", password="s3cret-pass"), 303,
                  Location="/app/default/index")


def test_a_hash_made_with_an_hmac_key_is_kept_and_an_older_one_remade_with_the_key(make_site):
    from pydal.validators import CRYPT

    visitor = make_site()
    models = visitor.folder / "models" / "db.py"
    models.write_text(models.read_text().replace("Auth(db)", "Auth(db, hmac_key='sha512:k3y')"))
    visitor.register_and_verify()
    ((current_hash,),) = visitor.rows("select password from auth_user")
    assert_answer(visitor.login(), 303, Location="/app/default/index")
    assert visitor.rows("select password from auth_user") == [(current_hash,)]  # kept as it is
    visitor.get("user/logout")
    older = str(CRYPT(key="sha256:k3y", salt=True)("s3cret-pass")[0])
    visitor.rows("update auth_user set password = ?", older)
    assert_answer(visitor.login(), 303, Location="/app/default/index")
    ((remade,),) = visitor.rows("select password from auth_user")
    assert remade.startswith("sha512$") and remade != current_hash
    visitor.get("user/logout")
    assert_answer(visitor.login(), 303, Location="/app/default/index")  # the remade one works


def test_the_login_shows_its_own_captcha(make_site):
    visitor = make_site("from gluon.tools import Recaptcha2\n"
                        "auth.settings.login_captcha = Recaptcha2(request, public_key='OWN')")
    assert 'data-sitekey="OWN"' in visitor.get("user/login").text
