"""Auth's URL settings over real HTTP: made once per place, yet each request sees its own app,
its own controller and its own Auth's place, and what a model changes stays in its request."""

from __future__ import annotations

from support import write_app

URL_SETTINGS = ("login_url", "logged_url", "login_next", "logout_next", "register_next",
                "profile_next", "change_password_next", "verify_email_next",
                "request_reset_password_next", "reset_password_next", "retrieve_username_next",
                "retrieve_password_next", "download_url", "on_failed_authorization")

MODEL = '''
db = DAL("sqlite://storage.sqlite")
place = dict(controller=request.vars.c or "default", function=request.vars.f or "user")
if request.vars.index:
    place["url_index"] = request.vars.index
auth = Auth(db, **place)
before = {name: auth.settings[name] for name in URL_SETTINGS}
if request.vars.change:
    auth.settings.login_url = request.vars.change
auth.define_tables()
'''

SHOW = '''
def show():
    return " ".join(str(auth.settings[name]) for name in URL_SETTINGS)

def before_change():
    return " ".join(str(before[name]) for name in URL_SETTINGS)
'''


def shown(**urls: str) -> str:
    return " ".join(urls[name] for name in URL_SETTINGS)


def urls_of(app: str, controller: str = "default", function: str = "user",
            index: str | None = None, here: str = "default") -> str:
    """What web2py's Auth sets, written out for one place."""
    page = f"/{app}/{controller}/{function}"
    index = index or f"/{app}/{controller}/index"
    return shown(login_url=f"{page}/login", logged_url=f"{page}/profile",
                 login_next=index, logout_next=index, register_next=index, profile_next=index,
                 change_password_next=index, verify_email_next=f"{page}/login",
                 request_reset_password_next=f"{page}/login", reset_password_next=index,
                 retrieve_username_next=index, retrieve_password_next=index,
                 download_url=f"/{app}/{here}/download",
                 on_failed_authorization=f"{page}/not_authorized")


def write(root, name: str) -> None:
    model = f"URL_SETTINGS = {URL_SETTINGS!r}\n" + MODEL
    write_app(root, name, {"models/db.py": model, "controllers/default.py": SHOW,
                           "controllers/other.py": SHOW})


def test_each_app_and_controller_gets_its_own_urls(root, wsgi_server, http):
    write(root, "one")
    write(root, "two")
    base = wsgi_server(root)
    for _ in range(2):  # the second round is served from what the first made
        assert http(base + "/one/default/show").text == urls_of("one")
        assert http(base + "/two/default/show").text == urls_of("two")
        assert http(base + "/one/other/show").text == urls_of("one", here="other")


def test_each_auths_place_is_its_own(root, wsgi_server, http):
    write(root, "app")
    base = wsgi_server(root) + "/app/default/show"
    for _ in range(2):
        assert http(base + "?c=account&f=access").text == urls_of("app", "account", "access")
        assert http(base + "?index=/app/home/start").text == urls_of(
            "app", index="/app/home/start")
        assert http(base).text == urls_of("app")


def test_a_setting_changed_by_one_request_is_not_in_the_next(root, wsgi_server, http):
    write(root, "app")
    base = wsgi_server(root) + "/app/default"
    changed = http(base + "/show?change=/elsewhere").text.split()
    assert changed[0] == "/elsewhere" and changed[1:] == urls_of("app").split()[1:]
    assert http(base + "/before_change?change=/elsewhere").text == urls_of("app")
    assert http(base + "/show").text == urls_of("app")


def test_routes_rules_rewrite_the_urls_of_each_request(root, wsgi_server, http):
    write(root, "app")
    (root / "routes.py").write_text(
        'routes_out = [("/app/default/user/$anything", "/account/$anything")]\n')
    base = wsgi_server(root) + "/app/default/show"
    for _ in range(2):
        urls = http(base).text.split()
        assert urls[URL_SETTINGS.index("login_url")] == "/account/login"
        assert urls[URL_SETTINGS.index("on_failed_authorization")] == "/account/not_authorized"
        assert urls[URL_SETTINGS.index("download_url")] == "/app/default/download"
