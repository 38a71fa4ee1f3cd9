"""web2py's ``gluon.contrib.login_methods.pam_auth``: a check for ``auth.settings.login_methods``."""

from server.login_methods.password_checks import pam_auth

__all__ = ["pam_auth"]
