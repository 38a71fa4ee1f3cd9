"""gluon.contrib.login_methods.pam_auth imports, and says what it needs when python-pam is absent."""

import importlib.util

import pytest

from gluon.contrib.login_methods.pam_auth import pam_auth


@pytest.mark.skipif(importlib.util.find_spec("pam") is not None, reason="python-pam installed")
def test_missing_library_is_a_clear_error():
    with pytest.raises(RuntimeError, match="python-pam"):
        pam_auth()("root", "x")
