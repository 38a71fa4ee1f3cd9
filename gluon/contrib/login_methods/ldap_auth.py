"""web2py's ``gluon.contrib.login_methods.ldap_auth``: a check for ``auth.settings.login_methods``."""

from server.login_methods.password_checks import ldap_auth

__all__ = ["ldap_auth"]
