"""Auth over real HTTP: a real app on a live server, real SQLite file, real .eml mail files."""

from __future__ import annotations

import email
import email.policy
import re
import urllib.parse
from html.parser import HTMLParser

import pytest
from pydal import DAL
from support import assert_client_mistake, copy_welcome, raw_exchange, write_app

MODEL = '''
db = DAL("sqlite://storage.sqlite")
auth = Auth(db)
auth.settings.registration_requires_verification = True
auth.settings.login_lockout = 2
{settings}
auth.define_tables(username=False, signature=False)
db.define_table("doc", Field("title"))
'''

CONTROLLER = '''
def index():
    return "home page. " + str(response.flash or "")

def user():
    return dict(form=auth())

@auth.requires_login()
def secret():
    return "secret of %s" % auth.user.email

@auth.requires_membership("admins")
def admin():
    return "admin area"

@auth.requires_permission("read", "doc", 1)
def doc():
    return "doc one"

@auth.requires(lambda: auth.user.first_name == "Ann")
def ann_only():
    return "hello Ann"

@auth.requires(True, requires_login=False)
def open_page():
    return "open to all"

def api_login():
    user = auth.login_bare(request.vars.email, request.vars.password)
    return "yes %s" % user.first_name if user else "no"

def grant_impersonate():
    auth.add_permission(auth.user_group(), "impersonate", db.auth_user, 0)
    return "granted"

def whoami():
    return "%s%s" % (auth.user.first_name, " (impersonated)" if auth.is_impersonating() else "")

def signed_link():
    return URL("signed_only", vars=dict(a=1), user_signature=True)

@auth.requires_signature()
def signed_only():
    return "signed ok"

def groups():
    return ",".join(sorted(auth.user_groups.values()))

def bar():
    return DIV(auth.navbar(), UL(*[LI(A(t, _href=u)) for t, _, u, _ in auth.navbar(mode="asmenu")]))

def age_login():
    """Move the login's last visit back by args(0) seconds: expiry without waiting for it."""
    import datetime
    session.auth.last_visit -= datetime.timedelta(seconds=int(request.args(0)))
    return "aged"

def make_admin():
    auth.add_membership(auth.add_group("admins"), auth.user_id)
    auth.add_permission(auth.id_group("admins"), "read", "doc", 1)
    return "done"
'''

VIEW = '''<div class="flash">{{=response.flash or ""}}</div>{{=form}}'''


class FormReader(HTMLParser):
    """Collects the name/value of every input of the page, the ids of the visible ones,
    and the ids the labels are bound to."""

    def __init__(self, html):
        super().__init__()
        self.values, self.label_targets, self.input_ids = {}, set(), set()
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        if tag in ("input", "select", "textarea") and attrs.get("name"):
            if attrs.get("type") in ("submit", "checkbox"):
                return
            self.values[attrs["name"]] = attrs.get("value") or ""
            if attrs.get("type") != "hidden":
                self.input_ids.add(attrs.get("id"))


def make_app(root, settings=""):
    return write_app(root, "app", {
        "models/db.py": MODEL.format(settings=settings),
        "controllers/default.py": CONTROLLER,
        "views/default/user.html": VIEW,
    })


class Site:
    """One visitor of the test app: fills and posts the Auth forms like a browser."""

    def __init__(self, base_url, browser, app_folder):
        self.root, self.browser, self.folder = base_url, browser, app_folder

    def url(self, path):
        if path.startswith("http"):
            return path
        return self.root + (path if path.startswith("/") else "/app/default/" + path)

    def get(self, path):
        return self.browser.get(self.url(path))

    def submit(self, path, **values):
        page = self.get(path)
        assert page.status == 200, page.text
        fields = FormReader(page.text).values
        fields.update(values)
        return self.browser.post(self.url(path), fields)

    def register(self, email="ann@example.com", password="s3cret-pass", **extra):
        values = dict(first_name="Ann", last_name="Lee", email=email, password=password,
                      password_two=password)
        values.update(extra)
        return self.submit("user/register", **values)

    def login(self, email="ann@example.com", password="s3cret-pass", path="user/login"):
        return self.submit(path, email=email, password=password)

    def mails(self):
        return sorted((self.folder / "private" / "mail").glob("*.eml"))

    def last_link(self, action):
        message = email.message_from_bytes(self.mails()[-1].read_bytes(),
                                           policy=email.policy.default)
        text = message.get_content()
        return re.search(r"http://\S+/user/" + action + r"[^\s<>\"]*", text).group(0)

    def events(self):
        db = DAL("sqlite://storage.sqlite", folder=str(self.folder / "databases"),
                 auto_import=True)
        try:
            return [row.description for row in db(db.auth_event).select(orderby=db.auth_event.id)]
        finally:
            db.close()

    def register_and_verify(self, **kwargs):
        assert self.register(**kwargs).status == 303
        assert self.get(self.last_link("verify_email")).status == 303


def session_cookie(browser):
    return {c.name: c.value for c in browser.cookies if c.name.startswith("session_id")}


@pytest.fixture
def make_site(root, wsgi_server, browser):
    """``make_site(settings)``: the test app with extra ``auth.settings`` lines, and a visitor."""

    def build(settings: str = "") -> Site:
        return Site(wsgi_server(root), browser, make_app(root, settings))

    return build


@pytest.fixture
def site(make_site):
    return make_site()


@pytest.fixture
def live_site(root, live_server, browser):
    """The test app behind a real cheroot server: the hostile-input checks (throttle, reset
    answers, password rules) go over a real socket, as an attacker's requests would."""
    return Site(live_server(root), browser, make_app(root, ""))


def test_register_verify_login_protected_logout(site, browser):
    form_page = site.get("user/register")
    reader = FormReader(form_page.text)
    assert {"first_name", "email", "password", "password_two", "_formkey"} <= set(reader.values)
    assert reader.input_ids and reader.input_ids <= reader.label_targets, "labelled inputs"

    answer = site.register()
    assert answer.status == 303
    assert site.mails(), "a verification mail is kept in private/mail"
    assert site.login().status == 200  # not verified yet: refused with a message
    assert "Registration needs verification" in site.login().text

    verified = site.get(site.last_link("verify_email"))
    assert verified.status == 303 and verified.headers["Location"].endswith("/user/login")

    denied = site.get("secret")
    assert denied.status == 303
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

    assert site.get("user/logout").status == 303
    assert site.get("secret").status == 303
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
    assert live_site.get("secret").status == 303


def test_password_reset_with_the_mailed_link(site):
    site.register_and_verify()
    requested = site.submit("user/request_reset_password", email="ann@example.com")
    assert requested.status == 303
    link = site.last_link("reset_password")
    moved = site.get(link)
    assert moved.status == 303 and "key=" not in moved.headers["Location"]
    changed = site.submit("user/reset_password", new_password="brand-new-pw",
                          new_password2="brand-new-pw")
    assert changed.status == 303, changed.text
    assert site.login().status == 200  # old password no longer works
    assert site.login(password="brand-new-pw").status == 303
    assert site.get(link).status == 303
    assert site.get("user/reset_password").status == 303  # the key was used up
    assert any("Password reset" in event for event in site.events())


def test_reset_request_says_the_same_for_known_and_unknown_addresses(live_site):
    live_site.register_and_verify()
    mails = len(live_site.mails())
    seen = []
    for address in ("ann@example.com", "nobody@example.com"):
        answer = live_site.submit("user/request_reset_password", email=address)
        page = live_site.get(answer.headers["Location"]).text
        seen.append((answer.status, answer.headers["Location"],
                     re.search(r'<div class="flash">(.*?)</div>', page).group(1)))
    assert seen[0] == seen[1] and seen[0][0] == 303 and seen[0][2] == "Email sent"
    assert len(live_site.mails()) == mails + 1  # only the account's owner gets one


def test_a_malformed_address_is_still_a_form_error(site):
    answer = site.submit("user/request_reset_password", email="not-an-address")
    assert answer.status == 200 and "Invalid email" in answer.text


def test_forged_reset_key_is_refused(site):
    site.register_and_verify()
    answer = site.get("user/reset_password?key=123-forged")
    assert answer.status == 303
    follow = site.get(answer.headers["Location"])
    assert follow.status == 303
    assert "request_reset_password" in follow.headers["Location"]


def test_roles_and_permissions_403_when_logged_in(site):
    assert site.get("admin").status == 303
    site.register_and_verify()
    site.login()
    assert site.get("admin").status == 403
    assert site.get("doc").status == 403
    assert site.get("ann_only").text == "hello Ann"
    assert site.get("make_admin").text == "done"
    assert site.get("admin").text == "admin area"
    assert site.get("doc").text == "doc one"
    assert site.get("open_page").text == "open to all"


@pytest.mark.parametrize("target", ["//evil.example/x", "http://evil.example/",
                                    "https:/evil", "/\\evil.example", "javascript:alert(1)"])
def test_next_pointing_elsewhere_is_ignored(site, target):
    site.register_and_verify()
    answer = site.login(path="user/login?" + urllib.parse.urlencode({"_next": target}))
    assert answer.status == 303
    assert answer.headers["Location"] == "/app/default/index"


def test_change_password_and_profile(site):
    site.register_and_verify()
    site.login()
    wrong = site.submit("user/change_password", old_password="nope",
                        new_password="another-pw", new_password2="another-pw")
    assert wrong.status == 200 and "Invalid password" in wrong.text
    changed = site.submit("user/change_password", old_password="s3cret-pass",
                          new_password="another-pw", new_password2="another-pw")
    assert changed.status == 303
    profile = site.submit("user/profile", first_name="Annie")
    assert profile.status == 303, profile.text
    assert site.get("ann_only").status == 403  # the session sees the new name
    site.get("user/logout")
    assert site.login(password="another-pw").status == 303


def test_unknown_action_is_404_and_pages_need_login(site):
    assert site.get("user/nonsense").status == 404
    assert site.get("user/profile").status == 303
    refused = site.get("user/not_authorized")
    assert refused.status == 200 and "Insufficient privileges" in refused.text  # as web2py
    ajax = site.browser.get(site.url("user/not_authorized"),
                            headers={"X-Requested-With": "XMLHttpRequest"})
    assert ajax.status == 403
    assert site.get("user/retrieve_username").status == 404  # no username field


def test_disabled_actions_are_404(make_site):
    visitor = make_site('auth.settings.actions_disabled = ["register"]')
    assert visitor.get("user/register").status == 404


def test_registration_without_verification_can_log_in_at_once(make_site):
    visitor = make_site("auth.settings.registration_requires_verification = False\n"
                        "auth.settings.login_after_registration = True")
    assert visitor.register().status == 303
    assert visitor.get("secret").text == "secret of ann@example.com"
    assert not visitor.mails()


def test_register_onaccept_sees_the_new_users_id(make_site):
    visitor = make_site("auth.settings.register_onaccept.append(\n"
                        "    lambda form: auth.add_membership(auth.add_group('first'), form.vars.id))")
    visitor.register_and_verify()
    visitor.login()
    assert "first" in visitor.get("groups").text.split(",")


def test_navbar_offers_login_or_logout(site):
    anonymous = site.get("bar").text
    assert "/app/default/user/login?_next=%2Fapp%2Fdefault%2Fbar" in anonymous
    assert "Sign Up" in anonymous and "Log Out" not in anonymous
    site.register_and_verify()
    site.login()
    known = site.get("bar").text
    assert "Welcome Ann" in known
    assert known.count("/app/default/user/logout") == 2 and "Sign Up" not in known


def test_the_shipped_welcome_app_signs_up_and_logs_in(tmp_path, wsgi_server, browser):
    copy_welcome(tmp_path)
    visitor = Site(wsgi_server(tmp_path), browser, tmp_path / "applications" / "welcome")
    visitor.url = lambda path: visitor.root + "/welcome/default/" + path
    home = visitor.get("index")
    assert home.status == 200 and "/welcome/default/user/login" in home.text
    registered = visitor.register()
    assert registered.status == 303, registered.text
    visitor.get("user/logout")
    assert visitor.login().status == 303
    page = visitor.get("index").text
    assert "Welcome Ann" in page and "/welcome/default/user/logout" in page


def test_signed_urls_only(site):
    link = site.get("signed_link").text
    assert site.get(link).text == "signed ok"
    assert site.get(link.replace("a=1", "a=2")).status == 403
    assert site.get("signed_only").status == 403


def test_ajax_request_without_login_gets_401(site):
    answer = site.browser.get(site.url("secret"), headers={"X-Requested-With": "XMLHttpRequest"})
    assert answer.status == 401


def test_user_groups_are_kept_in_the_session(site):
    site.register_and_verify()
    site.login()
    assert site.get("groups").text == "user_1"
    site.get("make_admin")
    assert site.get("groups").text == "admins,user_1"


def test_registration_pending_approval(make_site):
    visitor = make_site("auth.settings.registration_requires_verification = False\n"
                        "auth.settings.registration_requires_approval = True")
    app = visitor.folder
    assert visitor.register().status == 303
    refused = visitor.login()
    assert refused.status == 200 and "pending approval" in refused.text
    db = DAL("sqlite://storage.sqlite", folder=str(app / "databases"), auto_import=True)
    db(db.auth_user).update(registration_key="")
    db.commit()
    db.close()
    assert visitor.login().status == 303


def test_login_expires_after_inactivity(make_site):
    visitor = make_site("auth.settings.expiration = 60\n"
                        "auth.settings.registration_requires_verification = False")
    visitor.register()
    assert visitor.login().status == 303
    # ages well inside and outside the 60 s, so a slow machine's seconds between two requests
    # cannot move a visit across the limit
    assert visitor.get("age_login/40").text == "aged"
    assert visitor.get("secret").status == 200  # 40 s idle: still in, and the visit refreshed
    assert visitor.get("age_login/50").text == "aged"
    assert visitor.get("secret").status == 200
    assert visitor.get("age_login/75").text == "aged"
    expired = visitor.get("secret")
    assert expired.status == 303
    assert expired.headers["Location"] == "/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret"


def test_login_bare_shares_the_throttle(live_site):
    live_site.register_and_verify()
    assert live_site.get("api_login?email=ann@example.com&password=s3cret-pass").text == "yes Ann"
    live_site.get("user/logout")
    for _ in range(5):
        assert live_site.get("api_login?email=ann@example.com&password=bad").text == "no"
    assert live_site.get("api_login?email=ann@example.com&password=s3cret-pass").text == "no"
    assert "Too many failed logins" in live_site.login().text


def test_impersonate_needs_the_permission_and_can_be_undone(site):
    site.register_and_verify()
    site.register_and_verify(email="bob@example.com", first_name="Bob")
    site.login()
    assert site.get("user/impersonate/2").status == 403
    assert site.get("user/impersonate/abc").status == 404
    site.get("grant_impersonate")
    assert site.get("user/impersonate/2").status == 200
    assert site.get("whoami").text == "Bob (impersonated)"
    assert site.get("user/impersonate/0").status == 303
    assert site.get("whoami").text == "Ann"
    assert site.get("user/impersonate/0").status == 403
    assert any("User 1 is impersonating 2" in event for event in site.events())


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
    assert visitor.get("secret").status == 303


def test_user_without_action_goes_to_login(site):
    answer = site.get("user?_next=/app/default/secret")
    assert answer.status == 303
    assert answer.headers["Location"] == "/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret"


def test_secure_auth_refuses_remote_plain_http(root, wsgi_server, browser):
    app = write_app(root, "app", {
        "models/db.py": MODEL.format(settings="").replace("Auth(db)", "Auth(db, secure=True)"),
        "controllers/default.py": CONTROLLER, "views/default/user.html": VIEW})
    visitor = Site(wsgi_server(root), browser, app)
    assert visitor.get("user/login").status == 200  # loopback client
    remote = browser.get(visitor.url("user/login"), headers={"X-Forwarded-For": "203.0.113.9"})
    assert remote.status == 403 and "HTTPS" in remote.text


def test_usernames_log_in_and_can_be_retrieved_by_mail(root, wsgi_server, browser):
    app = write_app(root, "app", {
        "models/db.py": MODEL.format(settings="").replace("username=False", "username=True"),
        "controllers/default.py": CONTROLLER, "views/default/user.html": VIEW})
    visitor = Site(wsgi_server(root), browser, app)
    bad = visitor.register(username="no spaces allowed")
    assert bad.status == 200 and "Invalid username" in bad.text
    visitor.register_and_verify(username="ann_lee")
    assert visitor.submit("user/login", username="ann_lee", password="s3cret-pass").status == 303
    visitor.get("user/logout")
    assert visitor.submit("user/retrieve_username", email="ann@example.com").status == 303
    mail = email.message_from_bytes(visitor.mails()[-1].read_bytes(), policy=email.policy.default)
    assert "Your username is: ann_lee" in mail.get_content()


def test_basic_login_when_allowed(http, make_site):
    import base64

    visitor = make_site("auth.settings.allow_basic_login = True\n"
                        "auth.settings.registration_requires_verification = False")
    visitor.register()

    def basic(secret):
        token = base64.b64encode(f"ann@example.com:{secret}".encode()).decode()
        return http(visitor.url("secret"), headers={"Authorization": "Basic " + token})

    assert basic("s3cret-pass").text == "secret of ann@example.com"
    refused = basic("wrong")
    assert refused.status == 401 and "Basic" in refused.headers["WWW-Authenticate"]
    assert http(visitor.url("secret"), headers={"Authorization": "Basic !!"}).status == 401
    assert http(visitor.url("secret")).status == 303


def test_retrieve_password_mails_a_new_password_that_logs_in(site):
    site.register_and_verify()
    assert site.submit("user/retrieve_password", email="nobody@example.com").status == 200
    answer = site.submit("user/retrieve_password", email="ann@example.com")
    assert answer.status == 303 and answer.headers["Location"] == "/app/default/index"
    mail = email.message_from_bytes(site.mails()[-1].read_bytes(), policy=email.policy.default)
    password = re.search(r"Your password is: (\S+)", mail.get_content()).group(1)
    assert site.login(password="s3cret-pass").status == 200  # the old one no longer works
    assert site.login(password=password).status == 303
    assert "User 1 Password retrieved" in site.events()


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
    assert answer.status == 303 and answer.headers["Location"] == "/app/default/user/profile"


def test_get_or_create_key_is_made_once_per_app(root, live_server, http):
    write_app(root, "keys", {"controllers/default.py":
                             "def index():\n    return Auth.get_or_create_key()\n"})
    first = http(live_server(root) + "/keys/default/index").text
    assert re.fullmatch(r"sha512:[0-9a-f-]{36}", first)
    assert (root / "applications" / "keys" / "private" / "auth.key").read_text() == first
    assert http(live_server(root) + "/keys/default/index").text == first


def test_new_passwords_need_eight_characters_and_is_strong_is_there(live_site):
    from server.execution import BASE_GLOBALS

    answer = live_site.register(password="seven77")
    assert answer.status == 200 and "Minimum length is 8" in answer.text
    assert live_site.register(password="eight888").status == 303
    assert "IS_STRONG" in BASE_GLOBALS


def test_hashes_are_pbkdf2_sha512_210000_and_old_ones_are_upgraded_at_login(live_site):
    from pydal.validators import CRYPT

    live_site.register_and_verify()
    db = DAL("sqlite://storage.sqlite", folder=str(live_site.folder / "databases"), auto_import=True)
    try:
        assert db(db.auth_user).select().first().password.startswith("pbkdf2(210000,20,sha512)$")
        old = str(CRYPT(digest_alg="pbkdf2(1000,20,sha512)", salt=True)("s3cret-pass")[0])
        db(db.auth_user).update(password=old)
        db.commit()
    finally:
        db.close()
    assert live_site.login().status == 303  # the old hash still verifies
    db = DAL("sqlite://storage.sqlite", folder=str(live_site.folder / "databases"), auto_import=True)
    try:
        upgraded = db(db.auth_user).select().first().password
    finally:
        db.close()
    assert upgraded != old and upgraded.startswith("pbkdf2(210000,20,sha512)$")
    live_site.get("user/logout")
    assert live_site.login().status == 303


def test_an_unknown_account_costs_a_hash_like_a_known_one():
    from server.auth import passwords

    passwords._dummy_hash.cache_clear()
    assert not passwords.password_matches(None, "guess")
    assert passwords._dummy_hash.cache_info().misses == 1  # a real pbkdf2 hash was compared
    assert passwords._dummy_hash("pbkdf2(210000,20,sha512)").startswith("pbkdf2(210000,20,sha512)$")
    assert not passwords.password_matches("", "")


def test_one_users_typos_do_not_lock_out_others_on_the_same_address(live_site, browser):
    from support import Browser

    live_site.register_and_verify()
    live_site.register_and_verify(email="bob@example.com")
    live_site.get("user/logout")
    for _ in range(5):
        assert "Invalid login" in live_site.login(password="typo").text
    assert "Too many failed logins" in live_site.login().text
    bob = Site(live_site.root, Browser(), live_site.folder)
    assert bob.login(email="bob@example.com").status == 303


# ----- the Host header, over raw sockets ----------------------------------------------------
HOSTED_MODEL = """
db = DAL("sqlite://storage.sqlite")
auth = Auth(db{options})
auth.define_tables(username=False, signature=False)
"""
HOSTED_CONTROLLER = """
def index():
    return "ok"

def user():
    return dict(form=auth())

def reset_link():
    return auth.url("reset_password", vars=dict(key="k"), scheme=True)
"""


def serve_hosted(root, live_server, options=""):
    app = write_app(root, "hosted", {"models/db.py": HOSTED_MODEL.format(options=options),
                                     "controllers/default.py": HOSTED_CONTROLLER})
    return live_server(root), app


def get_with_host(url: str, path: str, host: str):
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    return raw_exchange(url, request.encode())[0]


def test_by_default_only_the_hosts_the_server_was_started_on_are_believed(root, live_server):
    url, app = serve_hosted(root, live_server)
    port = url.rsplit(":", 1)[1]
    refused = get_with_host(url, "/hosted/default/index", "evil.example")
    assert_client_mistake(refused, 403, app, url + "/hosted/default/index", b"ok")
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        assert get_with_host(url, "/hosted/default/index", host).body == b"ok"
    link = get_with_host(url, "/hosted/default/reset_link", f"localhost:{port}").text
    assert link == f"http://localhost:{port}/hosted/default/user/reset_password?key=k"


def test_host_names_given_to_auth_replace_the_default(root, live_server):
    url, app = serve_hosted(root, live_server, options=", host_names=['shop.example', '*.shop.example']")
    assert get_with_host(url, "/hosted/default/index", "www.shop.example").body == b"ok"
    refused = get_with_host(url, "/hosted/default/index", "127.0.0.1")
    assert (refused.status, refused.body) == (403, b"Invalid Hostname")
    link = get_with_host(url, "/hosted/default/reset_link", "www.shop.example").text
    assert link.startswith("http://www.shop.example/hosted/default/user/reset_password")


def test_a_forged_host_never_reaches_a_reset_mail(root, live_server):
    url, app = serve_hosted(root, live_server)
    form = get_with_host(url, "/hosted/default/user/request_reset_password", "attacker.example")
    assert form.status == 403
    assert list((app / "private").glob("**/*.eml")) == []


LAZY_MODEL = """
db = DAL("sqlite://storage.sqlite", lazy_tables=True)
auth = Auth(db)
auth.define_tables()
"""
LAZY_CONTROLLER = """
def index():
    return " ".join(sorted(db._LAZY_TABLES))
def login_page():
    return str(len(auth.table_user().fields)) + " " + " ".join(sorted(db._LAZY_TABLES))
"""


def test_lazy_tables_stay_undefined_until_an_action_uses_one(root, wsgi_server, http):
    write_app(root, "lazy", {"models/db.py": LAZY_MODEL,
                             "controllers/default.py": LAZY_CONTROLLER})
    base = wsgi_server(root) + "/lazy/default"
    assert http(base + "/index").text == (
        "auth_cas auth_event auth_group auth_membership auth_permission auth_user")
    fields, *still_lazy = http(base + "/login_page").text.split()
    assert int(fields) > 5 and "auth_user" not in still_lazy and "auth_group" in still_lazy
