"""web2py's ``gluon.cfs``: ``getcfs(key, filename, filter)``."""

from server.toolkit.file_cache import getcfs

__all__ = ["getcfs"]
