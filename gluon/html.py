"""web2py's ``gluon.html``: the HTML helpers and URL."""

from yatl.helpers import *  # noqa: F401,F403

from server.helpers import *  # noqa: F401,F403
from server.routing import URL  # noqa: F401
