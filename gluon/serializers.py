"""web2py's ``gluon.serializers``: JSON and XML as the generic views write them."""

from server.response import to_json as json  # noqa: F401
from server.views import to_xml as xml  # noqa: F401
