"""web2py's ``gluon.storage``."""

from server.storage import List, Storage  # noqa: F401
