"""web2py's ``gluon.tools`` names: ``from gluon.tools import Auth, Crud, Mail, Service`` works."""

from server.auth import Auth, Mail
from server.auth.prettydate import prettydate
from server.forms import Crud
from server.forms.form import DEFAULT
from server.http import redirect
from server.services import Service
from server.toolkit.form_tools import addrow, callback, replace_id
from server.toolkit.plugins import PluginManager

__all__ = ["DEFAULT", "Auth", "Crud", "Mail", "PluginManager", "Service", "addrow", "callback",
           "prettydate", "redirect", "replace_id"]
