"""The admin login web2py apps' own appadmin.py sends to: the admin password grants every app
of the root (web2py's check_credentials), only for local or HTTPS clients."""

from __future__ import annotations

import urllib.parse

from support import write_app

from server.hosting.admin_password import store_password

ADMIN_PASSWORD = "admin-tulips"

# What web2py's appadmin.py does first, in a few lines of its own.
GUARDED = {"controllers/appadmin.py": """
from gluon.fileutils import check_credentials
if not check_credentials(request):
    redirect(URL('admin', 'default', 'index', vars=dict(send=URL(args=request.args))))

def index():
    return '<main>granted to ' + request.application + '</main>'
"""}


def test_the_admin_login_sends_back_to_the_apps_appadmin(site):
    store_password(site.root, urllib.parse.urlsplit(site.base).port, ADMIN_PASSWORD)
    write_app(site.root, "guarded", GUARDED)
    site.go("/guarded/appadmin/index")
    assert "/admin/default/index?send=" in site.page.url
    site.submit("Log in", Admin_password="wrong")
    assert "Wrong admin password" in site.flash()
    site.submit("Log in", Admin_password=ADMIN_PASSWORD)
    assert site.page.url.endswith("/guarded/appadmin/index")
    assert site.text() == "granted to guarded"
    site.go("default/index")
    assert "guarded" in site.text()
    site.click("Log out")
    site.go("/guarded/appadmin/index")
    assert "/admin/default/index" in site.page.url


def test_a_remote_client_over_plain_http_is_refused(app_server, http):
    base, root = app_server("admin")
    store_password(root, urllib.parse.urlsplit(base).port, ADMIN_PASSWORD)
    remote = http(base + "/admin/default/index", headers={"X-Forwarded-For": "203.0.113.9"})
    assert remote.status == 403 and "insecure channel" in remote.text
    assert http(base + "/admin/default/index").status == 200
