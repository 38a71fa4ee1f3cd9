"""The admin-password login behind appadmin: local or HTTPS clients only, the -a password."""

import pytest

from server.admin_login import log_in, log_out, password_is_set, secure_channel
from server.hosting.admin_password import store_password
from server.request import Request
from server.routing import Route
from server.sessions import Session
from server.settings import global_settings, use_root
from server.toolkit.fileutils import check_credentials


@pytest.fixture(autouse=True)
def served_root(tmp_path):
    """The tests serve ``tmp_path``; the process' own root comes back afterwards."""
    before = global_settings.applications_parent
    use_root(tmp_path)
    yield tmp_path
    global_settings.applications_parent = before


def request_from(root, remote="127.0.0.1", scheme="http", forwarded=None):
    environ = {"REMOTE_ADDR": remote, "SERVER_PORT": "8123", "wsgi.url_scheme": scheme}
    if forwarded:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    app = root / "applications" / "shop"
    app.mkdir(parents=True, exist_ok=True)
    return Request(environ, Route("shop", "appadmin", "index"), app)


def test_only_the_admin_password_over_a_secure_channel_logs_in(tmp_path):
    local = request_from(tmp_path)
    assert not password_is_set(local) and not log_in(local, Session(), "pw")
    store_password(tmp_path, 8123, "pw")
    session = Session()
    assert password_is_set(local) and not log_in(local, session, "wrong")
    assert log_in(local, session, "pw") and session.authorized is True
    log_out(session)
    assert session.authorized is None


def test_remote_plain_http_is_refused_and_https_is_allowed(tmp_path):
    store_password(tmp_path, 8123, "pw")
    remote = request_from(tmp_path, remote="203.0.113.9")
    proxied = request_from(tmp_path, forwarded="203.0.113.9")
    assert not secure_channel(remote) and not secure_channel(proxied)
    assert not log_in(remote, Session(), "pw") and not log_in(proxied, Session(), "pw")
    over_https = request_from(tmp_path, remote="203.0.113.9", scheme="https")
    assert secure_channel(over_https) and log_in(over_https, Session(), "pw")


def test_the_grant_is_what_check_credentials_reads(tmp_path):
    from server.current import current

    store_password(tmp_path, 8123, "pw")
    request, session = request_from(tmp_path), Session()
    current.session = session
    try:
        assert not check_credentials(request)
        log_in(request, session, "pw")
        assert check_credentials(request)
    finally:
        del current.session
