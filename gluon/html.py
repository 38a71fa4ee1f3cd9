"""web2py's ``gluon.html``: the HTML helper classes, FORM, URL and verifyURL."""

from server.forms import FORM  # noqa: F401
from server.helpers import *  # noqa: F401,F403
from server.helpers.base import XmlComponent  # noqa: F401
from server.routing import URL  # noqa: F401
from server.routing import verify_url as verifyURL  # noqa: F401
