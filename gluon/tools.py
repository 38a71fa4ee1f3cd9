"""web2py's ``gluon.tools`` names: ``from gluon.tools import Auth, Crud, Mail, Service`` works."""

from server.auth import Auth, Mail
from server.auth.prettydate import prettydate
from server.forms import Crud
from server.services import Service

__all__ = ["Auth", "Crud", "Mail", "Service", "prettydate"]
