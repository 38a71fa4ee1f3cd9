"""web2py's ``gluon.dal``: pydal."""

from pydal import DAL, Field  # noqa: F401
from pydal.objects import Expression, Query, Row, Rows, Table  # noqa: F401
