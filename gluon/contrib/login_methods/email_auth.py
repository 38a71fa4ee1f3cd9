"""web2py's ``gluon.contrib.login_methods.email_auth``: a check for ``auth.settings.login_methods``."""

from server.login_methods.password_checks import email_auth

__all__ = ["email_auth"]
