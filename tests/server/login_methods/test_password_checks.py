"""server.login_methods.password_checks: the Active Directory user name is user@domain."""

import importlib.util

import pytest

from server.login_methods.password_checks import ldap_auth


@pytest.mark.skipif(importlib.util.find_spec("ldap3") is not None, reason="ldap3 installed")
def test_ad_mode_still_needs_ldap3():
    with pytest.raises(RuntimeError, match="ldap3"):
        ldap_auth("127.0.0.1", mode="ad", base_dn="dc=example,dc=org")("ann", "pw")
