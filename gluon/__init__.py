"""web2py compatibility: ``from gluon import *`` and friends, re-exported from Pocketweb.

No logic lives here; every name comes from ``server``.
"""

from pydal.validators import *  # noqa: F401,F403

from server.current import current  # noqa: F401
from server.dal import DAL  # noqa: F401
from server.forms import *  # noqa: F401,F403
from server.helpers import *  # noqa: F401,F403 - also makes helpers escape attributes
from server.http import HTTP, redirect  # noqa: F401
from server.model_fields import Field  # noqa: F401
from server.routing import URL  # noqa: F401
from server.storage import List, Storage  # noqa: F401
