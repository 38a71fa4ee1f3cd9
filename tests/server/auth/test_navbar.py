"""``auth.navbar()``: login and sign-up links for a visitor, logout for a user."""

from __future__ import annotations


def test_navbar_offers_login_or_logout(site):
    anonymous = site.get("bar").text
    assert "/app/default/user/login?_next=%2Fapp%2Fdefault%2Fbar" in anonymous
    assert "Sign Up" in anonymous and "Log Out" not in anonymous
    site.register_and_verify()
    site.login()
    known = site.get("bar").text
    assert "Welcome Ann" in known
    assert known.count("/app/default/user/logout") == 2 and "Sign Up" not in known
