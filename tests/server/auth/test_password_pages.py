"""Password reset by mailed link, change, and username retrieval over real HTTP."""

from __future__ import annotations

import email
import email.policy
import re

from auth_site import CONTROLLER, VIEW, Site, model
from support import assert_answer, write_app


def test_password_reset_with_the_mailed_link(site):
    site.register_and_verify()
    requested = site.submit("user/request_reset_password", email="ann@example.com")
    assert_answer(requested, 303, Location="/app/default/user/login")
    link = site.last_link("reset_password")
    moved = site.get(link)
    assert_answer(moved, 303, Location="/app/default/user/reset_password")
    assert "key=" not in moved.headers["Location"]
    changed = site.submit("user/reset_password", new_password="brand-new-pw",
                          new_password2="brand-new-pw")
    assert changed.status == 303, changed.text
    assert site.login().status == 200  # old password no longer works
    assert_answer(site.login(password="brand-new-pw"), 303, Location="/app/default/index")
    assert_answer(site.get(link), 303, Location="/app/default/user/reset_password")
    assert_answer(site.get("user/reset_password"), 303,
                  Location='/app/default/user/request_reset_password')  # the key was used up
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
    assert_answer(answer, 303, Location="/app/default/user/reset_password")
    follow = site.get(answer.headers["Location"])
    assert_answer(follow, 303, Location="/app/default/user/request_reset_password")
    assert "request_reset_password" in follow.headers["Location"]


def test_change_password_and_profile(site):
    site.register_and_verify()
    site.login()
    wrong = site.submit("user/change_password", old_password="nope",
                        new_password="another-pw", new_password2="another-pw")
    assert wrong.status == 200 and "Invalid password" in wrong.text
    changed = site.submit("user/change_password", old_password="s3cret-pass",
                          new_password="another-pw", new_password2="another-pw")
    assert_answer(changed, 303, Location="/app/default/index")
    profile = site.submit("user/profile", first_name="Annie")
    assert profile.status == 303, profile.text
    # the session sees the new name
    assert_answer(site.get("ann_only"), 303, Location="/app/default/user/not_authorized")
    site.get("user/logout")
    assert_answer(site.login(password="another-pw"), 303, Location="/app/default/index")


def test_usernames_log_in_and_can_be_retrieved_by_mail(root, wsgi_server, browser):
    app = write_app(root, "app", {
        "models/db.py": model().replace("username=False", "username=True"),
        "controllers/default.py": CONTROLLER, "views/default/user.html": VIEW})
    visitor = Site(wsgi_server(root), browser, app)
    bad = visitor.register(username="no spaces allowed")
    assert bad.status == 200 and "Invalid username" in bad.text
    visitor.register_and_verify(username="ann_lee")
    assert_answer(visitor.submit("user/login", username="ann_lee", password="s3cret-pass"), 303,
                  Location='/app/default/index')
    visitor.get("user/logout")
    assert_answer(visitor.submit("user/retrieve_username", email="ann@example.com"), 303,
                  Location='/app/default/index')
    mail = email.message_from_bytes(visitor.mails()[-1].read_bytes(), policy=email.policy.default)
    assert "Your username is: ann_lee" in mail.get_content()
