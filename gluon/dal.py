"""web2py's ``gluon.dal``: pydal, with the names web2py re-exported from it."""

from pydal import SQLCustomType, geoLine, geoPoint, geoPolygon
from pydal.objects import Expression, Query, Row, Rows, Set, Table

from server.dal import DAL
from server.model_fields import Field
from server.toolkit.crypto import web2py_uuid
from server.toolkit.serializers import custom_json, xml

__all__ = [
    "DAL", "Expression", "Field", "Query", "Row", "Rows", "SQLCustomType", "Set", "Table",
    "custom_json", "geoLine", "geoPoint", "geoPolygon", "web2py_uuid", "xml",
]
