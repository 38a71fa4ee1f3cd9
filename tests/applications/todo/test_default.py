"""The To-do example in a real browser: add, complete, filter and delete tasks, per user."""

from __future__ import annotations

PASSWORD = "tulips2026"


def sign_up(site, first_name: str, address: str) -> None:
    site.go("default/user/register")
    site.submit("Sign Up", First_name=first_name, Last_name="Tester", Email=address,
                Password=PASSWORD, Verify_Password=PASSWORD)


def tasks(site) -> list[str]:
    return site.page.locator("ul.items li > span:first-child").all_inner_texts()


def test_tasks_are_added_completed_filtered_and_deleted(site):
    site.go("default/index")
    assert "/user/login" in site.page.url, "a visitor is sent to the login page"
    for action in ("complete", "delete"):
        answer = site.page.request.post(site.base + site.path(f"default/{action}/1"),
                                        max_redirects=0)
        assert answer.status == 303 and "/user/login" in answer.headers["location"]
    sign_up(site, "Ada", "ada@example.com")
    site.go("default/index")

    site.submit("Add", New_task="")
    assert site.errors(), "an empty task is refused"
    site.submit("Add", New_task="Buy milk")
    site.submit("Add", New_task="Water the plants")
    assert tasks(site) == ["Buy milk", "Water the plants"]

    with site.page.expect_navigation():
        site.page.locator("li", has_text="Buy milk").get_by_role("button", name="Done").click()
    assert site.flash() == "Task done"
    assert tasks(site) == ["Water the plants"], "done tasks leave the open list"
    site.click("Done")
    assert tasks(site) == ["Buy milk"]
    site.click("All")
    assert tasks(site) == ["Buy milk", "Water the plants"]

    site.page.once("dialog", lambda dialog: dialog.accept())  # "Delete this task?"
    with site.page.expect_navigation():
        site.page.locator("li", has_text="Water the plants").get_by_role(
            "button", name="Delete").click()
    assert site.flash() == "Task deleted"
    assert tasks(site) == ["Buy milk"]

    # Someone else sees none of Ada's tasks and cannot change them even with her buttons' URLs.
    signed = site.page.locator("li form").first.get_attribute("action")
    site.go("default/user/logout")
    sign_up(site, "Bob", "bob@example.com")
    site.go("default/index?show=all")
    assert tasks(site) == []
    for refused in (site.page.request.post(site.base + signed, max_redirects=0),
                    site.page.request.get(site.base + signed.replace("complete", "delete"),
                                          max_redirects=0)):
        assert refused.status == 303, "another user's signed URL is refused"
        assert refused.headers["location"].endswith("/default/user/not_authorized")
