"""web2py's ``gluon.restricted``: ``restricted()``, ``RestrictedError``, ``TicketStorage``."""

from server.restricted import RestrictedError, TicketStorage, restricted

__all__ = ["RestrictedError", "TicketStorage", "restricted"]
