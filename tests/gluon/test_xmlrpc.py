"""gluon.xmlrpc.handler answers real XML-RPC calls from an action."""

import xmlrpc.client

from support import write_app


def test_handler_dispatches_and_faults(root, live_server):
    write_app(root, "rpc", {"controllers/default.py": """
        from gluon.xmlrpc import handler
        def add(a, b):
            return a + b
        def call():
            return handler(request, response, [add])
    """})
    proxy = xmlrpc.client.ServerProxy(live_server(root) + "/rpc/default/call")
    assert proxy.add(2, 3) == 5
    try:
        proxy.missing()
        raise AssertionError("a fault was expected")
    except xmlrpc.client.Fault as fault:
        assert "missing" in fault.faultString
