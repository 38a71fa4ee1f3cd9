"""XML-RPC over the standard library's dispatcher (web2py's ``gluon.xmlrpc.handler``): a
procedure's exception becomes an XML-RPC Fault, never a broken answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from xmlrpc.server import SimpleXMLRPCDispatcher


def handler(request: Any, response: Any,
            methods: list[Callable] | dict[str, Callable]) -> bytes:
    """Answer the XML-RPC call in ``request``'s body with one of ``methods`` (a list of
    functions, called by their names, or a dict of names to functions)."""
    named = methods.items() if isinstance(methods, dict) else ((m.__name__, m) for m in methods)
    dispatcher = SimpleXMLRPCDispatcher(allow_none=True, encoding="utf-8")
    for name, method in named:
        dispatcher.register_function(method, name)
    response.headers["Content-Type"] = "text/xml; charset=utf-8"
    return dispatcher._marshaled_dispatch(request.body.read())  # type: ignore[return-value] # bytes
