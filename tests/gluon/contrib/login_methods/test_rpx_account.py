"""gluon.contrib.login_methods.rpx_account: use_janrain switches Auth over when the key file
exists, and a login against the unreachable service is a clear 502."""

import pytest
from support import closed_port_url

from gluon.contrib.login_methods.rpx_account import RPXAccount, use_janrain
from gluon.http import HTTP
from gluon.storage import Storage
from server.current import current


def test_use_janrain_needs_the_key_file(tmp_path):
    current.request = Storage(folder=str(tmp_path) + "/", application="app", controller="default",
                              function="index", env=Storage(http_host="127.0.0.1:8000"),
                              is_https=False)
    auth = Storage(settings=Storage())
    try:
        assert use_janrain(auth) is False and auth.settings.login_form is None
        (tmp_path / "private").mkdir()
        (tmp_path / "private" / "janrain.key").write_text("mydomain:KEY123\n")
        assert use_janrain(auth) is True
        form = auth.settings.login_form
        assert isinstance(form, RPXAccount) and form.domain == "mydomain"
        assert form.api_key == "KEY123" and "register" in auth.settings.actions_disabled
        assert "mydomain.rpxnow.com" in form.login_form().xml()
    finally:
        vars(current).pop("request", None)


def test_unreachable_service_is_a_502():
    request = Storage(post_vars=Storage(token="t"), get_vars=Storage())
    account = RPXAccount(request, api_key="k", domain="d", auth_url=closed_port_url() + "/api")
    with pytest.raises(HTTP) as caught:
        account.get_user()
    assert caught.value.status == 502
    assert RPXAccount(Storage(post_vars=Storage(), get_vars=Storage())).get_user() is None
