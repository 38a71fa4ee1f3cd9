"""Forms, SQLFORM, grids and CRUD with web2py's API (see the forms issue)."""

from server.forms.crud import Crud
from server.forms.form import FORM
from server.forms.sqlform import SQLFORM
from server.forms.sqltable import SQLTABLE

__all__ = ["FORM", "SQLFORM", "SQLTABLE", "Crud"]
