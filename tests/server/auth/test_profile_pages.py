"""Groups and impersonation pages over real HTTP."""

from __future__ import annotations

from support import assert_answer


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
