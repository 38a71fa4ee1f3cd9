"""gluon.contrib.login_methods.email_auth: domain filter first, then the SMTP server."""

from support import closed_port_url

from gluon.contrib.login_methods.email_auth import email_auth


def test_other_domains_are_refused_without_connecting():
    check = email_auth("127.0.0.1:1", "@example.org")
    assert check("ann@elsewhere.com", "pw") is False


def test_an_unreachable_smtp_server_is_a_refusal():
    port = closed_port_url().rsplit(":", 1)[1]
    assert email_auth(f"127.0.0.1:{port}", ["@example.org"])("ann@example.org", "pw") is False
