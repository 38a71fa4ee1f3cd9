"""Auth over real HTTP: a real app on a live server, real SQLite file, real .eml mail files."""

from __future__ import annotations

from auth_site import CONTROLLER, VIEW, Site, model
from support import assert_answer, assert_client_mistake, raw_exchange, write_app


def test_a_logged_in_user_without_the_right_goes_to_not_authorized(site):
    assert_answer(site.get("admin"), 303,
                  Location='/app/default/user/login?_next=%2Fapp%2Fdefault%2Fadmin')
    site.register_and_verify()
    site.login()
    assert_answer(site.get("admin"), 303, Location="/app/default/user/not_authorized")  # web2py's default
    assert_answer(site.get("doc"), 303, Location="/app/default/user/not_authorized")
    assert site.get("ann_only").text == "hello Ann"
    assert site.get("make_admin").text == "done"
    assert site.get("admin").text == "admin area"
    assert site.get("doc").text == "doc one"
    assert site.get("open_page").text == "open to all"


def test_unknown_action_is_404_and_pages_need_login(site):
    assert_answer(site.get("user/nonsense"), 404, "not found")
    assert_answer(site.get("user/profile"), 303,
                  Location='/app/default/user/login?_next=%2Fapp%2Fdefault%2Fuser%2Fprofile')
    refused = site.get("user/not_authorized")
    assert refused.status == 200 and "Insufficient privileges" in refused.text  # as web2py
    ajax = site.browser.get(site.url("user/not_authorized"),
                            headers={"X-Requested-With": "XMLHttpRequest"})
    assert_answer(ajax, 403, "ACCESS DENIED")
    assert_answer(site.get("user/retrieve_username"), 404, "not found")  # no username field


def test_without_on_failed_authorization_a_refusal_is_403(make_site):
    visitor = make_site("auth.settings.on_failed_authorization = None")
    visitor.register_and_verify()
    visitor.login()
    assert_answer(visitor.get("admin"), 403, "Insufficient privileges")


def test_a_callable_on_failed_authorization_answers_instead(make_site):
    visitor = make_site('auth.settings.on_failed_authorization = lambda: "go away"')
    visitor.register_and_verify()
    visitor.login()
    assert visitor.get("admin").text == "go away"


def test_disabled_actions_are_404(make_site):
    visitor = make_site('auth.settings.actions_disabled = ["register"]')
    assert_answer(visitor.get("user/register"), 404, "not found")


def test_signed_urls_only(site):
    link = site.get("signed_link").text
    assert site.get(link).text == "signed ok"
    assert_answer(site.get(link.replace("a=1", "a=2")), 303, Location="/app/default/user/not_authorized")
    assert_answer(site.get("signed_only"), 303, Location="/app/default/user/not_authorized")


def test_ajax_request_without_login_gets_401(site):
    answer = site.browser.get(site.url("secret"), headers={"X-Requested-With": "XMLHttpRequest"})
    assert_answer(answer, 401, "Insufficient privileges")


def test_login_expires_after_inactivity(make_site):
    visitor = make_site("auth.settings.expiration = 60\n"
                        "auth.settings.registration_requires_verification = False")
    visitor.register()
    assert_answer(visitor.login(), 303, Location="/app/default/index")
    # ages well inside and outside the 60 s, so a slow machine's seconds between two requests
    # cannot move a visit across the limit
    assert visitor.get("age_login/40").text == "aged"
    assert visitor.get("secret").status == 200  # 40 s idle: still in, and the visit refreshed
    assert visitor.get("age_login/50").text == "aged"
    assert visitor.get("secret").status == 200
    assert visitor.get("age_login/75").text == "aged"
    expired = visitor.get("secret")
    assert_answer(expired, 303, Location="/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret")


def test_user_without_action_goes_to_login(site):
    answer = site.get("user?_next=/app/default/secret")
    assert_answer(answer, 303, Location="/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret")


def test_secure_auth_refuses_remote_plain_http(root, wsgi_server, browser):
    app = write_app(root, "app", {
        "models/db.py": model().replace("Auth(db)", "Auth(db, secure=True)"),
        "controllers/default.py": CONTROLLER, "views/default/user.html": VIEW})
    visitor = Site(wsgi_server(root), browser, app)
    assert visitor.get("user/login").status == 200  # loopback client
    remote = browser.get(visitor.url("user/login"), headers={"X-Forwarded-For": "203.0.113.9"})
    assert_answer(remote, 403, "This page requires HTTPS")


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
    assert_answer(refused, 401, "Insufficient privileges", WWW_Authenticate='Basic realm="app"')
    assert_answer(http(visitor.url("secret"), headers={"Authorization": "Basic !!"}), 401,
                  "Insufficient privileges", WWW_Authenticate='Basic realm="app"')
    assert_answer(http(visitor.url("secret")), 303,
                  Location='/app/default/user/login?_next=%2Fapp%2Fdefault%2Fsecret')


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
    assert_answer(form, 403, "Invalid Hostname")
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


def test_each_auths_settings_are_its_own(tmp_path):
    """The defaults are made once and copied: what one request's models change (a callback
    appended, a setting replaced) is not in the next request's Auth."""
    from server.auth.auth import Auth
    from server.dal import DAL

    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    first = Auth(db, controller="account", function="access", hmac_key="k")
    first.settings.login_onaccept.append(print)
    first.settings.cas_actions["login"] = "elsewhere"
    first.settings.extra_fields["auth_user"] = ["x"]
    first.settings.expiration = 1
    second = Auth(db)
    assert second.settings.login_onaccept == [] and second.settings.extra_fields == {}
    assert second.settings.cas_actions["login"] == "login"
    assert second.settings.expiration == 3600 and second.settings.hmac_key is None
    assert (first.settings.controller, first.settings.function) == ("account", "access")
    assert (second.settings.controller, second.settings.function) == ("default", "user")
    assert list(second.settings)[:3] == list(first.settings)[:3]
    db.close()
