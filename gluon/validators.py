"""web2py's ``gluon.validators``: pydal's validators."""

from pydal.validators import *  # noqa: F401,F403
