"""The welcome scaffold (every new app starts from it) in a real browser, phone width too."""

from __future__ import annotations

PASSWORD = "tulips2026"


def test_home_and_every_account_page_fit_and_work(site):
    site.go("default/index")
    assert "Hello World" in site.text()
    site.click("Sign Up")
    site.submit("Sign Up", First_name="Ada", Last_name="Tester", Email="ada@example",
                Password=PASSWORD, Verify_Password=PASSWORD)
    assert site.errors(), "a bad email is refused"
    site.submit("Sign Up", First_name="Ada", Last_name="Tester", Email="ada@example.com",
                Password=PASSWORD, Verify_Password=PASSWORD)
    site.go("default/user/request_reset_password")
    site.click("Log In")
    site.submit("Log In", Email="ada@example.com", Password=PASSWORD)
    assert "Welcome Ada" in site.text("header")
    for action in ("profile", "change_password"):
        site.go(f"default/user/{action}")
    site.click("Log Out")
    assert "Welcome Ada" not in site.text("header")
