"""web2py 2.x's older Auth calls: ``retrieve_password`` and ``get_or_create_key``."""

from __future__ import annotations

import email
import email.policy
import re

from support import write_app


def test_retrieve_password_mails_a_new_password_that_logs_in(site):
    site.register_and_verify()
    assert site.submit("user/retrieve_password", email="nobody@example.com").status == 200
    answer = site.submit("user/retrieve_password", email="ann@example.com")
    assert answer.status == 303 and answer.headers["Location"] == "/app/default/index"
    mail = email.message_from_bytes(site.mails()[-1].read_bytes(), policy=email.policy.default)
    password = re.search(r"Your password is: (\S+)", mail.get_content()).group(1)
    assert site.login(password="s3cret-pass").status == 200  # the old one no longer works
    assert site.login(password=password).status == 303
    assert "User 1 Password retrieved" in site.events()


def test_get_or_create_key_is_made_once_per_app(root, live_server, http):
    write_app(root, "keys", {"controllers/default.py":
                             "def index():\n    return Auth.get_or_create_key()\n"})
    first = http(live_server(root) + "/keys/default/index").text
    assert re.fullmatch(r"sha512:[0-9a-f-]{36}", first)
    assert (root / "applications" / "keys" / "private" / "auth.key").read_text() == first
    assert http(live_server(root) + "/keys/default/index").text == first
