"""Password reset by mailed link, change, and username retrieval over real HTTP."""

from __future__ import annotations

import email
import email.policy
import logging
import re
import time
import uuid

from auth_site import FAILING_MAIL, FormReader, form_row
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
    # ten minutes left; web2py's own keys (an app brought along) have a uuid with dashes
    key = f"{int(time.time()) - 24 * 3600 + 600}-{uuid.uuid4()}"
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
    answer = site.get("user/retrieve_username")
    assert_answer(answer, 404)
    assert answer.text == "not found"


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


def last_event(site):
    return site.rows("select description, user_id from auth_event order by id desc limit 1")[0]


def test_the_reset_request_form_and_where_it_goes(make_site):
    visitor = make_site("auth.settings.request_reset_password_next = URL('default', 'open_page')\n"
                        "auth.messages.reset_password = 'Hi %(first_name)s, key %(key)s: %(link)s'")
    visitor.register_and_verify()
    html = visitor.get("user/request_reset_password").text
    page = FormReader(html)
    assert 'value="Request reset password"' in html
    assert (page.values["_next"], page.values["_formname"]) == (
        "/app/default/open_page", "request_reset_password")
    asked = visitor.submit("user/request_reset_password", email="ann@example.com", _next="")
    assert_answer(asked, 303, Location="/app/default/open_page")
    assert visitor.get("index").text == "home page. Email sent"
    ((key,),) = visitor.rows("select reset_password_key from auth_user")
    assert mailed(visitor).get_content().startswith(f"Hi Ann, key {key}: http://")
    assert last_event(visitor) == ("User 1 Password reset requested", 1)


def test_the_reset_request_logs_the_message_it_is_given(site):
    site.register_and_verify()
    assert_answer(site.submit("reset_noted", email="ann@example.com"), 303,
                  Location="/app/default/user/login")
    assert last_event(site) == ("Reset asked for 1", 1)


def test_the_reset_request_shows_its_own_captcha(make_site):
    visitor = make_site("from gluon.tools import Recaptcha2\n"
                        "auth.settings.retrieve_password_captcha = Recaptcha2(request, "
                        "public_key='OWN')")
    assert 'data-sitekey="OWN"' in visitor.get("user/request_reset_password").text


def test_a_reset_mail_that_cannot_be_sent_is_logged_and_answered_as_any_other(make_site, caplog):
    visitor = make_site(FAILING_MAIL)
    assert_answer(visitor.register(), 303, Location="/app/default/index")
    with caplog.at_level(logging.ERROR, logger="pocketweb.auth"):
        answer = visitor.submit("user/request_reset_password", email="ann@example.com")
    assert_answer(answer, 303, Location="/app/default/user/login")
    assert visitor.get("index").text == "home page. Email sent"
    assert [r.getMessage() for r in caplog.records if r.name == "pocketweb.auth"] == [
        "the reset-password mail to user 1 could not be sent"]
    assert "User 1 Password reset requested" not in visitor.events()


def test_the_reset_form_and_where_it_goes(make_site):
    visitor = make_site("auth.settings.reset_password_next = URL('default', 'open_page')")
    visitor.register_and_verify()
    visitor.submit("user/request_reset_password", email="ann@example.com")
    visitor.get(visitor.last_link("reset_password"))
    html = visitor.get("user/reset_password").text
    page = FormReader(html)
    assert 'value="Change password"' in html
    assert (page.values["_next"], page.values["_formname"]) == (
        "/app/default/open_page", "reset_password")
    confirm = form_row(html, "new_password2")
    assert ">Verify Password</label>" in confirm and 'type="password"' in confirm
    assert ">please input your password again</td>" in confirm
    placeholder = visitor.submit("user/reset_password", new_password="******",
                                 new_password2="******")
    assert placeholder.status == 200 and "Cannot be empty" in placeholder.text
    changed = visitor.submit("user/reset_password", new_password="brand-new-pw",
                             new_password2="brand-new-pw", _next="")
    assert_answer(changed, 303, Location="/app/default/open_page")
    assert visitor.get("index").text == "home page. Password changed"
    assert last_event(visitor) == ("User 1 Password reset", 1)
    assert_answer(visitor.login(password="brand-new-pw"), 303, Location="/app/default/index")


def test_retrieve_username_goes_to_its_next_setting(make_site):
    visitor = make_site("auth.settings.retrieve_username_next = URL('default', 'open_page')",
                        usernames=True)
    visitor.register_and_verify(username="ann_lee")
    sent = visitor.submit("user/retrieve_username", email="ann@example.com", _next="")
    assert_answer(sent, 303, Location="/app/default/open_page")
    assert last_event(visitor) == ("User 1 Username retrieved", 1)


def test_a_username_mail_that_cannot_be_sent_says_so(make_site):
    visitor = make_site(FAILING_MAIL, usernames=True)
    visitor.register(username="ann_lee")
    answer = visitor.submit("user/retrieve_username", email="ann@example.com")
    assert answer.status == 200
    assert '<div class="flash">Unable to send email</div>' in answer.text
    assert "User 1 Username retrieved" not in visitor.events()
