"""The ``auth.settings`` keys web2py documents beyond the ones Pocketweb's Auth acts on, with
web2py's defaults, so apps (and Auth subclasses) that read or set them find them.

Pocketweb honours the login, registration, password and table keys (see ``auth.py``); CAS,
two-factor, captcha, tokens and alternate login methods are kept here as web2py's values.
"""

from __future__ import annotations


def web2py_settings() -> dict:
    """A fresh copy each time: several of the values are lists and dicts an app may change."""
    return dict(
        allow_basic_login_only=False, allow_delete_accounts=False,
        alternate_requires_registration=False, auth_manager_role=None,
        auth_two_factor_enabled=False, auth_two_factor_tries_left=3,
        bulk_register_enabled=False, captcha=None, login_captcha=None, register_captcha=None,
        retrieve_password_captcha=None, retrieve_username_captcha=None,
        cas_actions={"login": "login", "logout": "logout", "proxyvalidate": "proxyValidate",
                     "servicevalidate": "serviceValidate", "validate": "validate"},
        cas_allowed_services=None, cas_create_user=True, cas_domains=["localhost"],
        cas_maps=None, cas_provider=None, client_side=True, enable_tokens=False, host=None,
        host_names=None, lock_keys=True, logging_enabled=True, login_email_validate=True,
        login_methods=[], login_form=None, login_specify_error=False, login_userfield=None,
        manager_actions={}, multi_login=False, on_failed_authentication=None,
        password_field="password", pre_registration_div=None,
        prevent_open_redirect_attacks=True, prevent_password_reset_attacks=True,
        register_verify_password=True, renew_session_onlogin=True, renew_session_onlogout=True,
        request_reset_password_onaccept=[], request_reset_password_onvalidation=[],
        reset_password_onaccept=[], reset_password_onvalidation=[],
        reset_password_requires_verification=False, retrieve_password_onvalidation=[],
        showid=False, table_token_name="auth_token", table_user=None, table_group=None,
        table_membership=None, table_permission=None, table_event=None, table_cas=None,
        two_factor_authentication_group=None, two_factor_methods=[],
        two_factor_onvalidation=[], update_fields=["email"], use_username=False,
        username_case_sensitive=True, verify_email_onaccept=[], wiki={},
    )
