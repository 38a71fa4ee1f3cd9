"""web2py's ``gluon.contrib.appconfig``: ``AppConfig(reload=False)``."""

from server.toolkit.appconfig import AppConfig, AppConfigDict

__all__ = ["AppConfig", "AppConfigDict"]
