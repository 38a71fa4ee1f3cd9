"""Auth's host allow-list over raw sockets: 403 outside it, mail links on the allowed host."""

from __future__ import annotations

import pytest
from support import assert_client_mistake, raw_exchange, write_app

from server.auth.hosts import select_host
from server.http import HTTP

MODEL = """
db = DAL("sqlite://storage.sqlite")
auth = Auth(db{options})
auth.define_tables(username=False, signature=False)
"""
CONTROLLER = """
def index():
    return "ok"

def user():
    return dict(form=auth())

def reset_link():
    return auth.url("reset_password", vars=dict(key="k"), scheme=True)
"""


def serve(root, live_server, options=""):
    app = write_app(root, "hosted", {"models/db.py": MODEL.format(options=options),
                                     "controllers/default.py": CONTROLLER})
    return live_server(root), app


def get(url: str, path: str, host: str):
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    return raw_exchange(url, request.encode())[0]


def test_select_host_matches_globs_and_refuses_others():
    assert select_host("shop.example:8000", ["*.example:*"]) == "shop.example:8000"
    assert select_host(None, ["first.example", "other"]) == "first.example"
    assert select_host("anything", []) == "anything"
    with pytest.raises(HTTP) as refused:
        select_host("evil.example", ["good.example"])
    assert refused.value.status == 403


def test_by_default_only_the_hosts_the_server_was_started_on_are_believed(root, live_server):
    url, app = serve(root, live_server)
    port = url.rsplit(":", 1)[1]
    refused = get(url, "/hosted/default/index", "evil.example")
    assert_client_mistake(refused, 403, app, url + "/hosted/default/index", b"ok")
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        assert get(url, "/hosted/default/index", host).body == b"ok"
    link = get(url, "/hosted/default/reset_link", f"localhost:{port}").text
    assert link == f"http://localhost:{port}/hosted/default/user/reset_password?key=k"


def test_host_names_given_to_auth_replace_the_default(root, live_server):
    url, app = serve(root, live_server, options=", host_names=['shop.example', '*.shop.example']")
    assert get(url, "/hosted/default/index", "www.shop.example").body == b"ok"
    refused = get(url, "/hosted/default/index", "127.0.0.1")
    assert (refused.status, refused.body) == (403, b"Invalid Hostname")
    link = get(url, "/hosted/default/reset_link", "www.shop.example").text
    assert link.startswith("http://www.shop.example/hosted/default/user/reset_password")


def test_a_forged_host_never_reaches_a_reset_mail(root, live_server):
    url, app = serve(root, live_server)
    form = get(url, "/hosted/default/user/request_reset_password", "attacker.example")
    assert form.status == 403
    assert list((app / "private").glob("**/*.eml")) == []
