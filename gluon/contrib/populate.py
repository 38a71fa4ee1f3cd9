"""web2py's ``gluon.contrib.populate``: ``populate(db.table, n)``."""

from server.toolkit.populate import populate, populate_generator

__all__ = ["populate", "populate_generator"]
