"""web2py's ``gluon.validators``: pydal's validators, with ``Validator`` and ``ValidationError``
(the base class and the exception custom validators use)."""

from pydal.validators import *  # noqa: F401,F403
from pydal.validators import ValidationError, Validator  # noqa: F401
