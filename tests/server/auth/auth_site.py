"""The Auth test app (a model, a controller, the user view) and a visitor that fills its forms."""

from __future__ import annotations

import email
import email.policy
import re
import sqlite3
from html.parser import HTMLParser

from pydal import DAL
from support import write_app

MODEL = '''
db = DAL("sqlite://storage.sqlite")
auth = Auth(db)
{hashes}
auth.settings.registration_requires_verification = True
auth.settings.login_lockout = 600  # no lock-out ends within a test, however loaded
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

def reset_noted():
    """request_reset_password with a log message of its own."""
    response.view = "default/user.html"
    return dict(form=auth.request_reset_password(log="Reset asked for %(id)s"))

def api_login():
    user = auth.login_bare(request.vars.email, request.vars.password)
    return "yes %s" % user.first_name if user else "no"

def grant_impersonate():
    """args(0): the one user who may be impersonated (default: anyone)."""
    auth.add_permission(auth.user_group(), "impersonate", db.auth_user, int(request.args(0) or 0))
    return "granted"

def verify_noted():
    """verify_noted/x/<key>: verify_email with an onaccept of its own."""
    return auth.verify_email(onaccept=lambda user: db.auth_group.insert(role="noted " + user.email))

def remember():
    session.note = request.args(0)
    return "noted"

def recall():
    return str(session.note)

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


# web2py's own default (an app may set it so): a hash costs ~1 ms instead of Pocketweb's 0.24 s.
# Pocketweb's default is the subject of test_passwords.py alone, which passes hashes="".
FAST_HASHES = 'auth.settings.password_digest_alg = "pbkdf2(1000,20,sha512)"'


# the app's mailer cannot keep a mail: its folder is a file (a real failure of Mail.send)
FAILING_MAIL = ("auth.settings.registration_requires_verification = False\n"
                "auth.settings.mailer.settings.folder = request.folder + '/models/db.py'")


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


def form_row(html, name):
    """The row of the Auth form's input ``name`` as rendered: its label, input and comment."""
    return re.search(rf'<tr id="auth_{name}__row">.*?</tr>', html).group(0)


def model(settings="", hashes=FAST_HASHES, usernames=False):
    """The test app's model with extra ``auth.settings`` lines (``hashes=""``: the default;
    ``usernames``: accounts log in by username)."""
    text = MODEL.format(settings=settings, hashes=hashes)
    return text.replace("username=False", "username=True") if usernames else text


def make_app(root, settings="", hashes=FAST_HASHES, usernames=False):
    return write_app(root, "app", {
        "models/db.py": model(settings, hashes, usernames),
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

    def rows(self, sql, *parameters):
        """What the app's database holds (``sql`` against storage.sqlite)."""
        database = sqlite3.connect(self.folder / "databases" / "storage.sqlite")
        try:
            with database:
                return database.execute(sql, parameters).fetchall()
        finally:
            database.close()

    def change_password(self, old, new, again=None):
        return self.submit("user/change_password", old_password=old, new_password=new,
                           new_password2=new if again is None else again)

    def register_and_verify(self, **kwargs):
        assert self.register(**kwargs).status == 303
        assert self.get(self.last_link("verify_email")).status == 303


def session_cookie(browser):
    return {c.name: c.value for c in browser.cookies if c.name.startswith("session_id")}
