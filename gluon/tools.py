"""web2py's ``gluon.tools`` names, so ``from gluon.tools import Auth, Mail, Service`` works."""

from server.auth import Auth, Mail
from server.auth.prettydate import prettydate
from server.services import Service

__all__ = ["Auth", "Mail", "Service", "prettydate"]
