"""The scaffold's appadmin (so every new app's /APP/appadmin) in a real browser: the admin
password opens it, it lists the tables and edits rows; a remote client over plain HTTP is
refused."""

from __future__ import annotations

import urllib.parse

from server.hosting.admin_password import store_password

ADMIN_PASSWORD = "admin-tulips"


def log_in(site):
    port = urllib.parse.urlsplit(site.base).port
    store_password(site.root, port, ADMIN_PASSWORD)
    site.go("appadmin/index")
    assert "/appadmin/login" in site.page.url, "appadmin starts with the admin login"
    site.submit("Log in", Admin_password="wrong")
    assert "Wrong admin password" in site.flash()
    site.submit("Log in", Admin_password=ADMIN_PASSWORD)
    assert site.page.url.endswith("/appadmin/index")


def insert_and_rename(site, name: str, quantity: str, new_name: str) -> None:
    """From appadmin's index: the tables are listed; insert a thing, then rename it."""
    assert "db.thing" in site.text() and "db.auth_user" in site.text()
    site.click("insert new thing")
    site.submit("Submit", Name=name, Quantity=quantity)
    assert name in site.text() and "1 rows of thing" in site.text()
    site.click("1")
    site.submit("Submit", Name=new_name)
    assert new_name in site.text() and name not in site.text()


def test_appadmin_lists_tables_and_edits_rows(site, tmp_path):
    log_in(site)
    insert_and_rename(site, "teapot", "3", "kettle")
    exported = site.page.request.get(site.base + site.path("appadmin/csv/db/thing"))
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text().splitlines() == ["thing.id,thing.name,thing.quantity", "1,kettle,3"]
    upload = tmp_path / "more.csv"
    upload.write_text("thing.name,thing.quantity\ncup,2\nmug,4\n", encoding="utf-8")
    site.go("appadmin/import_csv/db/thing")
    site.page.get_by_label("CSV file").set_input_files(str(upload))
    site.submit("import")
    assert "3 rows of thing" in site.text() and "mug" in site.text()
    site.go("appadmin/ccache")
    assert "ram cache" in site.text()
    site.go("appadmin/state")
    assert "session" in site.text()
    site.click("log out")
    assert "/appadmin/login" in site.page.url


def test_appadmin_refuses_a_remote_client_without_https(app_server, http):
    base, root = app_server("welcome")
    store_password(root, urllib.parse.urlsplit(base).port, ADMIN_PASSWORD)
    remote = http(base + "/welcome/appadmin/index", headers={"X-Forwarded-For": "203.0.113.9"})
    assert remote.status == 403 and "insecure channel" in remote.text
    assert http(base + "/welcome/appadmin/login",
                headers={"X-Forwarded-For": "203.0.113.9"}).status == 403
    local = http(base + "/welcome/appadmin/index")
    assert local.status == 303 and "/welcome/appadmin/login" in local.headers["Location"]


def test_a_newly_created_app_has_an_appadmin_that_edits_its_tables(new_app_site):
    """Not only the scaffold: an app made from it has its own appadmin too."""
    site = new_app_site
    log_in(site)
    insert_and_rename(site, "notebook", "2", "pad")
