"""gluon.contrib.login_methods.ldap_auth: empty passwords never log in; ldap3 is optional."""

import importlib.util

import pytest

from gluon.contrib.login_methods.ldap_auth import ldap_auth


def test_an_empty_password_is_refused_before_any_bind():
    assert ldap_auth("127.0.0.1")("ann", "") is False


@pytest.mark.skipif(importlib.util.find_spec("ldap3") is not None, reason="ldap3 installed")
def test_missing_library_is_a_clear_error():
    with pytest.raises(RuntimeError, match="ldap3"):
        ldap_auth("127.0.0.1")("ann", "pw")
