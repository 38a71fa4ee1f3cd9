"""The Login system example in a real browser: register, verify by mail, log in, members-only
and group-only pages, change password, log out."""

from __future__ import annotations

import email
import re

PASSWORD = "tulips2026"


def verification_link(site, address: str) -> str:
    """The link in the verification mail kept in private/mail (no SMTP server is set)."""
    for path in sorted((site.root / "applications" / "login" / "private" / "mail").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        if address in message["To"]:
            body = message.get_payload(decode=True) if not message.is_multipart() else \
                message.get_payload(0).get_payload(decode=True)
            return re.search(r"https?://\S+/verify_email/\S+", body.decode()).group(0)
    raise AssertionError(f"no mail to {address}")


def register_and_verify(site, first_name: str, address: str) -> None:
    site.go("default/user/register")
    site.submit("Sign Up", First_name=first_name, Last_name="Tester", Email=address,
                Password=PASSWORD, Verify_Password=PASSWORD)
    site.go(verification_link(site, address).split(site.base, 1)[1])
    assert "verified" in site.flash().lower()


def log_in(site, address: str, password: str = PASSWORD) -> None:
    site.go("default/user/login")
    site.submit("Log In", Email=address, Password=password)


def test_register_verify_login_and_protected_pages(site):
    site.go("default/members")
    assert "/user/login" in site.page.url, "a visitor is sent to the login page"

    site.go("default/user/register")
    site.submit("Sign Up", First_name="Ada", Last_name="Tester", Email="ada@example.com",
                Password=PASSWORD, Verify_Password="something else")
    assert site.errors(), "passwords that differ are refused"
    site.submit("Sign Up", First_name="Ada", Last_name="Tester", Email="ada@example.com",
                Password=PASSWORD, Verify_Password=PASSWORD)
    log_in(site, "ada@example.com")
    assert "/user/login" in site.page.url and "needs verification" in site.text(), \
        "no login before the mail's link is clicked"

    site.go(verification_link(site, "ada@example.com").split(site.base, 1)[1])
    assert "verified" in site.flash().lower()
    log_in(site, "ada@example.com", "wrong-password1")
    assert "invalid" in site.text().lower() + site.flash().lower()
    site.go("default/members")
    site.submit("Log In", Email="ada@example.com", Password=PASSWORD)
    assert site.page.url.endswith("/login/default/members"), "back to the page asked for"
    assert "Hello Ada" in site.text()
    site.click("Managers")
    assert "ada@example.com" in site.text(), "the first user is a manager"

    site.go("default/user/change_password")
    site.submit("Change password", Old_password="not-my-password1", New_password="roses2027x",
                Verify_Password="roses2027x")
    assert site.errors(), "a wrong old password is refused"
    site.submit("Change password", Old_password=PASSWORD, New_password="roses2027x",
                Verify_Password="roses2027x")
    assert "changed" in site.flash().lower()
    site.go("default/user/logout")
    site.go("default/managers")
    assert "/user/login" in site.page.url, "logged out: managers' page sends to login too"


def test_a_member_outside_the_group_is_refused(site):
    register_and_verify(site, "Ada", "ada@example.com")
    register_and_verify(site, "Bob", "bob@example.com")
    log_in(site, "bob@example.com")
    site.go("default/members")
    assert "Hello Bob" in site.text()
    assert site.go("default/managers").status == 200  # web2py's not_authorized page
    assert site.page.url.endswith("/default/user/not_authorized")
    assert "Insufficient privileges" in site.text()
