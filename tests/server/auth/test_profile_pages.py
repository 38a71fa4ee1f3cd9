"""Groups and impersonation pages over real HTTP."""

from __future__ import annotations

from auth_site import CONTROLLER, VIEW, FormReader, Site, model, session_cookie
from support import assert_answer, write_app


def test_user_groups_are_kept_in_the_session(site):
    site.register_and_verify()
    site.login()
    assert site.get("groups").text == "user_1"
    site.get("make_admin")
    assert site.get("groups").text == "admins,user_1"


def test_impersonate_needs_the_permission_and_can_be_undone(site):
    site.register_and_verify()
    site.register_and_verify(email="bob@example.com", first_name="Bob")
    site.login()
    assert_answer(site.get("user/impersonate/2"), 403, "Insufficient privileges")
    assert_answer(site.get("user/impersonate/abc"), 404, "invalid argument")
    site.get("grant_impersonate")
    assert site.get("user/impersonate/2").status == 200
    assert site.get("whoami").text == "Bob (impersonated)"
    assert_answer(site.get("user/impersonate/0"), 303, Location="/app/default/user/profile")
    assert site.get("whoami").text == "Ann"
    assert_answer(site.get("user/impersonate/0"), 403, "Insufficient privileges")
    assert any("User 1 is impersonating 2" in event for event in site.events())


def test_profile_needs_a_login_then_edits_the_user_and_their_session(site):
    assert_answer(site.get("user/profile"), 303,
                  Location="/app/default/user/login?_next=%2Fapp%2Fdefault%2Fuser%2Fprofile")
    site.register_and_verify()
    site.login()
    html = site.get("user/profile").text
    page = FormReader(html)
    assert set(page.input_ids) == {"auth_user_first_name", "auth_user_last_name",
                                   "auth_user_email"}  # no password
    assert "auth_user_id__row" not in html and 'value="Apply changes"' in html
    assert page.values["first_name"] == "Ann" and page.values["_next"] == "/app/default/index"
    assert page.values["_formname"] == "profile"
    fields = dict(page.values, first_name="Mallory")
    del fields["_formkey"]  # a cross-site post: everything but the key
    forged = site.browser.post(site.url("user/profile"), fields)
    assert forged.status == 200 and "Mallory" not in site.get("whoami").text
    saved = site.submit("user/profile", first_name="Annie")
    assert_answer(saved, 303, Location="/app/default/index")
    assert site.get("index").text == "home page. Profile updated"
    assert site.get("secret").text == "secret of ann@example.com"
    assert "User 1 Profile updated" in site.events()
    assert_answer(site.get("ann_only"), 303, Location="/app/default/user/not_authorized")
    assert FormReader(site.get("user/profile").text).values["first_name"] == "Annie"


def test_profile_fields_next_and_callbacks_come_from_the_settings(make_site):
    visitor = make_site(
        "auth.settings.profile_fields = ['last_name']\n"
        "auth.settings.profile_next = URL('default', 'secret')\n"
        "auth.settings.profile_onvalidation.append(\n"
        "    lambda form: form.vars.last_name == 'Bad' and form.errors.update(last_name='no Bad'))\n"
        "auth.settings.profile_onaccept.append(\n"
        "    lambda form: auth.add_membership(auth.add_group('edited ' + form.vars.last_name),\n"
        "                                     auth.user_id))")
    visitor.register_and_verify()
    visitor.login()
    page = FormReader(visitor.get("user/profile").text)
    assert set(page.input_ids) == {"auth_user_last_name"}
    refused = visitor.submit("user/profile", last_name="Bad")
    assert refused.status == 200 and "no Bad" in refused.text
    assert_answer(visitor.submit("user/profile", last_name="Good"), 303,
                  Location="/app/default/secret")
    assert visitor.get("groups").text == "edited Good,user_1"
    assert_answer(visitor.submit("user/profile", last_name="Best", _next=""), 303,
                  Location="/app/default/secret")  # no _next posted: the setting's


def test_profile_hides_the_id_and_the_password_even_when_an_app_shows_them(root, wsgi_server,
                                                                           browser):
    shown = model().replace(
        'db.define_table("doc"',
        'db.auth_user.password.readable = db.auth_user.id.writable = True\ndb.define_table("doc"')
    app = write_app(root, "app", {"models/db.py": shown, "controllers/default.py": CONTROLLER,
                                  "views/default/user.html": VIEW})
    visitor = Site(wsgi_server(root), browser, app)
    visitor.register_and_verify()
    visitor.login()
    page = FormReader(visitor.get("user/profile").text)
    assert set(page.input_ids) == {"auth_user_first_name", "auth_user_last_name",
                                   "auth_user_email"}


def test_without_csrf_prevention_a_profile_post_needs_no_formkey(root, wsgi_server, browser):
    app = write_app(root, "app", {
        "models/db.py": model().replace("Auth(db)", "Auth(db, csrf_prevention=False)"),
        "controllers/default.py": CONTROLLER, "views/default/user.html": VIEW})
    visitor = Site(wsgi_server(root), browser, app)
    visitor.register_and_verify()
    visitor.login()
    fields = FormReader(visitor.get("user/profile").text).values
    assert "_formkey" not in fields
    posted = visitor.browser.post(visitor.url("user/profile"), dict(fields, first_name="Annie"))
    assert_answer(posted, 303, Location="/app/default/index")
    assert visitor.rows("select first_name from auth_user") == [("Annie",)]


def test_the_groups_page_lists_the_users_roles_in_order(site):
    assert_answer(site.get("user/groups"), 303,
                  Location="/app/default/user/login?_next=%2Fapp%2Fdefault%2Fuser%2Fgroups")
    site.register_and_verify()
    site.login()
    site.get("make_admin")
    page = site.get("user/groups").text
    assert '<ul class="auth_groups"><li>admins</li><li>user_1</li></ul>' in page


def test_not_authorized_is_a_page_and_a_403_for_ajax(site):
    page = site.get("user/not_authorized")
    assert page.status == 200 and "Insufficient privileges" in page.text
    ajax = site.browser.get(site.url("user/not_authorized"),
                            headers={"X-Requested-With": "XMLHttpRequest"})
    assert_answer(ajax, 403)
    assert ajax.text == "ACCESS DENIED"


def test_impersonating_shows_the_other_user_read_only_and_going_back_renews_the_session(site):
    site.register_and_verify()
    site.register_and_verify(email="bob@example.com", first_name="Bob")
    site.register_and_verify(email="cy@example.com", first_name="Cy")
    site.login()
    site.get("grant_impersonate/2")
    assert_answer(site.get("user/impersonate/3"), 403, "Insufficient privileges")
    assert site.get("user/impersonate/2").status == 200  # the one user granted
    assert_answer(site.get("user/impersonate/0"), 303, Location="/app/default/user/profile")
    site.get("grant_impersonate")
    assert_answer(site.get("user/impersonate/7"), 303,
                  Location="/app/default/user/not_authorized")  # no such user
    shown = site.get("user/impersonate/2").text
    assert "Bob" in shown and "bob@example.com" in shown
    assert not FormReader(shown).input_ids  # read only: no control to type in
    assert "password" not in shown.lower()
    assert site.get("groups").text == "user_2"
    site.get("remember/kept")
    before = session_cookie(site.browser)
    assert_answer(site.get("user/impersonate/0"), 303, Location="/app/default/user/profile")
    assert session_cookie(site.browser) != before
    assert site.get("recall").text == "kept"  # renewed, not emptied
    assert site.get("groups").text == "user_1"
    assert "User 1 is impersonating 2" in site.events()


def test_the_profile_never_shows_the_id_even_when_profile_fields_names_it(make_site):
    visitor = make_site("auth.settings.profile_fields = ['id', 'first_name']")
    visitor.register_and_verify()
    visitor.login()
    html = visitor.get("user/profile").text
    assert 'id="auth_user_first_name"' in html and "auth_user_id" not in html
