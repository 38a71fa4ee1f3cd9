"""Every auth.settings key web2py documents is there, with web2py's default."""

from pydal import DAL

from server.auth import Auth
from server.auth.web2py_settings import web2py_settings


def test_documented_keys_have_web2pys_defaults():
    auth = Auth(DAL("sqlite:memory"))
    settings = auth.settings
    assert settings.renew_session_onlogin is True and settings.register_verify_password is True
    assert settings.cas_domains == ["localhost"] and settings.update_fields == ["email"]
    assert settings.table_token_name == "auth_token" and settings.password_field == "password"
    assert settings.login_methods == [auth] and settings.login_form is auth
    assert settings.email_case_sensitive is False and settings.two_factor_methods == []
    assert auth.messages.retrieve_password == "Your password is: %(password)s"
    assert auth.messages.delete_label == "Check to delete"


def test_each_auth_gets_its_own_lists():
    first = web2py_settings()
    first["two_factor_methods"].append("x")
    assert web2py_settings()["two_factor_methods"] == []
