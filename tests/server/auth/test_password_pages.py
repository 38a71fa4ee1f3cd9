"""Password reset by mailed link, change, and username retrieval over real HTTP."""

from __future__ import annotations

import email
import email.policy
import re
import time

from auth_site import FormReader
from support import assert_answer


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
    wrong = site.change_password("nope", "another-pw")
    assert wrong.status == 200 and "Invalid password" in wrong.text
    changed = site.change_password("s3cret-pass", "another-pw")
    assert_answer(changed, 303, Location="/app/default/index")
    profile = site.submit("user/profile", first_name="Annie")
    assert profile.status == 303, profile.text
    # the session sees the new name
    assert_answer(site.get("ann_only"), 303, Location="/app/default/user/not_authorized")
    site.get("user/logout")
    assert_answer(site.login(password="another-pw"), 303, Location="/app/default/index")


def test_usernames_log_in_and_can_be_retrieved_by_mail(username_site):
    visitor = username_site
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


def mailed(site):
    return email.message_from_bytes(site.mails()[-1].read_bytes(), policy=email.policy.default)


def test_the_reset_mail_and_its_event(site):
    site.register_and_verify()
    site.submit("user/request_reset_password", email="ANN@example.com")
    mail = mailed(site)
    assert (mail["To"], mail["Subject"]) == ("ann@example.com", "Password reset")
    assert mail.get_content().startswith("Click on the link http://")
    ((key,),) = site.rows("select reset_password_key from auth_user")
    stamp, _, rest = key.partition("-")
    assert abs(int(stamp) - time.time()) < 600 and len(rest) == 32
    assert site.last_link("reset_password").endswith("/app/default/user/reset_password?key=" + key)
    assert site.events()[-1] == "User 1 Password reset requested"


def test_an_expired_or_malformed_reset_key_is_refused(site):
    site.register_and_verify()
    day_and_more = int(time.time()) - 24 * 3600 - 600
    for key in (f"{day_and_more}-{'a' * 32}", "notanumber-abc", f"{int(time.time())}-"):
        site.rows("update auth_user set reset_password_key = ?", key)
        assert_answer(site.get("user/reset_password?key=" + key), 303,
                      Location="/app/default/user/reset_password")
        assert_answer(site.get("user/reset_password"), 303,
                      Location="/app/default/user/request_reset_password")
        assert "Invalid reset password" in site.get("user/request_reset_password").text


def test_a_fresh_key_of_the_right_age_opens_the_form(site):
    site.register_and_verify()
    key = f"{int(time.time()) - 24 * 3600 + 600}-{'b' * 32}"  # ten minutes left
    site.rows("update auth_user set reset_password_key = ?", key)
    site.get("user/reset_password?key=" + key)
    page = site.get("user/reset_password")
    assert page.status == 200 and 'name="new_password2"' in page.text


def test_resetting_verifies_the_address_but_leaves_an_account_pending(site):
    site.register()  # not verified yet
    site.submit("user/request_reset_password", email="ann@example.com")
    site.get(site.last_link("reset_password"))
    mismatched = site.submit("user/reset_password", new_password="brand-new-pw",
                             new_password2="other-pw-12")
    assert mismatched.status == 200 and "Password fields don" in mismatched.text
    changed = site.submit("user/reset_password", new_password="brand-new-pw",
                          new_password2="brand-new-pw")
    assert_answer(changed, 303, Location="/app/default/index")
    assert site.get("index").text == "home page. Password changed"
    assert site.rows("select registration_key, reset_password_key from auth_user") == [("", "")]
    assert site.events()[-1] == "User 1 Password reset"
    site.rows("update auth_user set registration_key = 'pending'")
    site.submit("user/request_reset_password", email="ann@example.com")
    assert len(site.mails()) == 2  # the verification and one reset: none for a pending account


def test_without_a_mailer_a_reset_cannot_be_requested(make_site):
    visitor = make_site("auth.settings.mailer = None")
    answer = visitor.submit("user/request_reset_password", email="ann@example.com")
    assert answer.status == 200
    assert '<div class="flash">Unable to send email</div>' in answer.text


def test_change_password_needs_a_login_and_follows_its_settings(make_site):
    visitor = make_site(
        "auth.settings.change_password_next = URL('default', 'secret')\n"
        "auth.settings.change_password_onvalidation.append(\n"
        "    lambda form: form.vars.old_password == 'veto-this-1' and\n"
        "    form.errors.update(old_password='vetoed'))\n"
        "auth.settings.change_password_onaccept.append(\n"
        "    lambda form: db.auth_group.insert(role='changed'))")
    assert_answer(visitor.get("user/change_password"), 303,
                  Location="/app/default/user/login?_next=%2Fapp%2Fdefault%2Fuser%2Fchange_password")
    visitor.register_and_verify()
    visitor.login()
    page = visitor.get("user/change_password").text
    assert 'autocomplete="current-password"' in page
    vetoed = visitor.change_password("veto-this-1", "another-pw")
    assert vetoed.status == 200 and "vetoed" in vetoed.text
    placeholder = visitor.change_password("s3cret-pass", "******")
    assert placeholder.status == 200 and "Cannot be empty" in placeholder.text
    changed = visitor.change_password("s3cret-pass", "another-pw")
    assert_answer(changed, 303, Location="/app/default/secret")
    assert visitor.events()[-1] == "User 1 Password changed"
    assert ("changed",) in visitor.rows("select role from auth_group")


def test_retrieve_username_is_a_404_without_usernames(site):
    assert_answer(site.get("user/retrieve_username"), 404, "not found")


def test_retrieve_username_refuses_unknown_and_pending_accounts(username_site):
    visitor = username_site
    visitor.register_and_verify(username="ann_lee")
    unknown = visitor.submit("user/retrieve_username", email="nobody@example.com")
    assert unknown.status == 200 and "Invalid email" in unknown.text
    visitor.rows("update auth_user set registration_key = 'pending'")
    pending = visitor.submit("user/retrieve_username", email="ann@example.com")
    assert pending.status == 200 and "Registration is pending approval" in pending.text
    visitor.rows("update auth_user set registration_key = ''")
    sent = visitor.submit("user/retrieve_username", email="ann@example.com")
    assert_answer(sent, 303, Location="/app/default/index")
    assert visitor.get("index").text == "home page. Your username was emailed to you"
    assert mailed(visitor)["Subject"] == "Username retrieve"
    assert visitor.events()[-1] == "User 1 Username retrieved"


def test_the_change_password_form_and_where_it_goes(make_site):
    visitor = make_site(
        "auth.settings.change_password_next = URL('default', 'secret')\n"
        "auth.settings.change_password_onaccept.append(\n"
        "    lambda form: db.auth_group.insert(role='changed ' + form.vars.old_password))")
    visitor.register_and_verify()
    visitor.login()
    html = visitor.get("user/change_password").text
    page = FormReader(html)
    assert ">Old password</label>" in html and 'value="Change password"' in html
    assert (page.values["_next"], page.values["_formname"]) == (
        "/app/default/secret", "change_password")
    changed = visitor.submit("user/change_password", old_password="s3cret-pass",
                             new_password="another-pw", new_password2="another-pw", _next="")
    assert_answer(changed, 303, Location="/app/default/secret")
    assert visitor.get("index").text == "home page. Password changed"
    assert ("changed s3cret-pass",) in visitor.rows("select role from auth_group")


def test_the_retrieve_username_form_and_where_it_goes(make_site):
    visitor = make_site("auth.settings.retrieve_username_next = URL('default', 'open_page')\n"
                        "auth.settings.retrieve_username_captcha = Recaptcha2(request, "
                        "public_key='OWN')")
    models = visitor.folder / "models" / "db.py"
    models.write_text("from gluon.tools import Recaptcha2\n"
                      + models.read_text().replace("username=False", "username=True"))
    html = visitor.get("user/retrieve_username").text
    page = FormReader(html)
    assert 'value="Submit"' in html and 'data-sitekey="OWN"' in html
    assert (page.values["_next"], page.values["_formname"]) == (
        "/app/default/open_page", "retrieve_username")
