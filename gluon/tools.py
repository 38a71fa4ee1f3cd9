"""web2py's ``gluon.tools`` names: ``from gluon.tools import Auth, Crud, Mail, Service`` works."""

from server.auth import Auth, Mail
from server.auth.prettydate import prettydate
from server.forms import Crud
from server.forms.form import DEFAULT
from server.http import redirect
from server.services import Service
from server.toolkit.expose import Expose
from server.toolkit.form_tools import addrow, callback, replace_id
from server.toolkit.geocoding import geocode, reverse_geocode
from server.toolkit.plugins import PluginManager
from server.toolkit.recaptcha import Recaptcha2
from server.toolkit.url_fetch import fetch
from server.wiki import Wiki

__all__ = ["DEFAULT", "Auth", "Crud", "Expose", "Mail", "PluginManager", "Recaptcha2",
           "Service", "addrow", "callback", "fetch", "geocode", "prettydate", "redirect",
           "Wiki", "replace_id", "reverse_geocode"]
