"""server.toolkit.xmlrpc: methods by explicit names, answered from a request body."""

import io
import xmlrpc.client

from server.storage import Storage
from server.toolkit.xmlrpc import handler


def test_named_methods():
    request = Storage(body=io.BytesIO(xmlrpc.client.dumps((2,), "twice").encode()))
    response = Storage(headers={})
    answer = handler(request, response, {"twice": lambda x: 2 * x})
    assert xmlrpc.client.loads(answer)[0] == (4,)
    assert response.headers["Content-Type"].startswith("text/xml")
