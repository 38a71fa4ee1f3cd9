"""A wiki app for the wiki tests: Auth, ``auth.wiki()`` at ``default/wiki``, a way to log in
as a member of a group, and the wiki's own edit form to save pages with."""

import re

import pytest
from form_support import formkey, multipart
from support import write_app

MODEL = """
db = DAL("sqlite://storage.sqlite", folder=request.folder + "databases")
auth = Auth(db)
auth.define_tables(username=False, signature=False)
auth.wiki(resolve=False, render=%(render)r, manage_permissions=%(perms)r%(options)s)
"""

CONTROLLER = r"""
def wiki():
    return auth.wiki()

def user():
    return dict(form=auth())

def become():
    name = request.args(0)
    user = db.auth_user(email=name + "@example.org")
    if not user:
        user = db.auth_user(db.auth_user.insert(first_name=name, last_name="X",
                                                email=name + "@example.org"))
    auth.login_user(user)
    if name in ("wiki_editor", "wiki_author"):
        auth.add_membership(auth.id_group(name) or auth.add_group(name))
    return "ok"

def embedded():
    return dict()

def part():
    return "the part for " + (request.args(0) or "nobody")

def showmenu():
    auth.wikimenu()
    def flat(items, depth=0):
        return "".join("%s%s|%s|%s\n" % ("  " * depth, item[0], item[2], item[1])
                       + flat(item[3] if len(item) > 3 else [], depth + 1) for item in items)
    return flat(response.menu or [])
"""

VIEWS = {
    "views/default/wiki.html": "{{=content}}<nav>{{=MENU(response.menu or [])}}</nav>",
    "views/default/embedded.html": "<main>{{=auth.wiki('hello')}}</main>",
    "views/default/become.html": "{{=response.body}}",
}


@pytest.fixture
def make_wiki(root, wsgi_server):
    """``make_wiki(render=..., perms=..., options=...)``: the app's base URL."""
    def build(render="markmin", perms=False, options=""):
        model = MODEL % dict(render=render, perms=perms, options=options)
        write_app(root, "kb", {"models/db.py": model, "controllers/default.py": CONTROLLER,
                               **VIEWS})
        return wsgi_server(root) + "/kb/default"
    return build


@pytest.fixture
def become():
    """``become(browser, base, who)``: log in as ``who`` (a member of group ``who`` when it is
    wiki_editor or wiki_author)."""
    def log_in(browser, base, who):
        assert browser.get(f"{base}/become/{who}").status == 200
    return log_in


@pytest.fixture
def save_page():
    """``save_page(browser, base, slug, title, body, tags)``: the answer to the edit form's post."""
    def save(browser, base, slug, title, body, tags=()):
        form = browser.get(f"{base}/wiki/_edit/{slug}").text
        name = re.search(r'name="_formname" type="hidden" value="([^"]+)"', form).group(1)
        fields = {"title": title, "body": body, "tags": list(tags) or [""], "changelog": "",
                  "_formname": name, "_formkey": formkey(form, name)}
        for hidden in ("id", "_record_hash"):  # an existing page's edit form carries them
            found = re.search(rf'name="{hidden}" type="hidden" value="([^"]+)"', form)
            if found:
                fields[hidden] = found.group(1)
        data, headers = multipart(fields)
        return browser.post(f"{base}/wiki/_edit/{slug}", data, headers=headers)
    return save
