"""web2py's ``gluon.contrib.login_methods.oauth20_account``: subclass ``OAuthAccount``."""

from server.login_methods.oauth2 import OAuthAccount

__all__ = ["OAuthAccount"]
