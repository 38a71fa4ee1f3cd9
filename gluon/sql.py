"""web2py's ``gluon.sql``: the DAL under the names of web2py 1.x (``SQLDB``, ``SQLField`` ...)."""

from pydal import Field, SQLCustomType
from pydal.adapters.base import BaseAdapter
from pydal.objects import SQLALL, Expression, Query, Row, Rows, Set, Table

from server.dal import DAL

SQLDB = GQLDB = DAL
SQLField = Field
SQLTable = Table
SQLXorable = Expression
SQLQuery = Query
SQLSet = Set
SQLRows = Rows
SQLStorage = Row

__all__ = [
    "DAL", "GQLDB", "SQLALL", "SQLDB", "SQLField", "SQLQuery", "SQLRows", "SQLSet", "SQLStorage",
    "SQLTable", "SQLXorable", "BaseAdapter", "Expression", "Field", "Query", "Row", "Rows",
    "SQLCustomType", "Set", "Table",
]
