"""web2py's ``gluon.settings``: ``global_settings`` (also importable as ``settings``)."""

from server.settings import global_settings

settings = global_settings

__all__ = ["global_settings", "settings"]
