"""web2py's ``gluon.contrib.login_methods.basic_auth``: a check for ``auth.settings.login_methods``."""

from server.login_methods.password_checks import basic_auth

__all__ = ["basic_auth"]
