"""web2py's ``Service``: expose controller functions as json, xml, csv or plain calls.

    service = Service()

    @service.json
    def add(a, b): return int(a) + int(b)

    def call(): return service()        # /app/default/call/json/add?a=1&b=2

``request.args(0)`` names the format, ``request.args(1)`` the function; further args are
passed positionally and request vars by parameter name. ``jsonrpc``, ``jsonrpc2`` and ``xmlrpc``
take the call from the POSTed body instead (``/app/default/call/jsonrpc``); ``soap`` too
(``server/soap_service.py``), which also answers ``GET call/soap?WSDL`` with its description.
"""

from __future__ import annotations

import csv
import datetime
import inspect
import io
import json
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from server import soap_service
from server.current import current
from server.http import HTTP, client_error
from server.toolkit.xmlrpc import handler as xmlrpc_handler

FORMATS = ("run", "json", "xml", "csv", "jsonrpc", "jsonrpc2", "xmlrpc", "soap")
# formats whose function name travels in the request body, not in the URL
RPC_FORMATS = ("jsonrpc", "jsonrpc2", "xmlrpc", "soap")
log = logging.getLogger("pocketweb.services")
_XML_NAME = re.compile(r"[^A-Za-z0-9_.-]")
_SOAP_HELP_TITLE = "Welcome to Web2Py SOAP webservice gateway"
Procedure = Callable[..., Any]


def plain(value: Any) -> Any:
    """Rows, Row and helpers as plain lists/dicts, so every serializer can read them."""
    if callable(getattr(value, "as_list", None)):  # a Storage answers None for any name
        return value.as_list()
    if callable(getattr(value, "as_dict", None)):
        return value.as_dict()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return value


def to_xml(value: Any, key: object = "document") -> str:
    """``<document>...</document>``: dict keys become elements, list items ``<item>``."""
    value = plain(value)
    name = _XML_NAME.sub("_", str(key)) or "item"
    if name[0].isdigit() or name[0] in ".-":
        name = "_" + name
    if isinstance(value, dict):
        inner = "".join(to_xml(item, child) for child, item in value.items())
    elif isinstance(value, list):
        inner = "".join(to_xml(item, "item") for item in value)
    elif value is None:
        inner = ""
    elif isinstance(value, (datetime.date, datetime.time)):
        inner = escape(value.isoformat())
    else:
        inner = escape(str(value))
    return f"<{name}>{inner}</{name}>"


def to_csv(value: Any) -> str:
    """Rows (via their own export), a list of dicts (header row first) or a list of lists."""
    buffer = io.StringIO()
    if callable(getattr(value, "export_to_csv_file", None)):
        value.export_to_csv_file(buffer)
        return buffer.getvalue()
    rows = [plain(row) for row in (plain(value) or [])]
    writer = csv.writer(buffer)
    if rows and isinstance(rows[0], dict):
        header = list(rows[0].keys())
        writer.writerow(header)
        writer.writerows([row.get(name) for name in header] for row in rows)
    else:
        writer.writerows(row if isinstance(row, (list, tuple)) else [row] for row in rows)
    return buffer.getvalue()


def to_json(value: Any) -> str:
    from server.response import to_json as framework_json

    return framework_json(plain(value) if isinstance(value, (set, frozenset)) else value)


def call_with_request(function: Callable[..., Any], args: list[str],
                      request_vars: Mapping[str, Any]) -> Any:
    """Call ``function`` with positional ``args`` and the vars that match its parameters.

    A missing or surplus argument is the client's mistake: HTTP 400 with a clear message.
    """
    signature = inspect.signature(function)
    takes_any = any(p.kind is p.VAR_KEYWORD for p in signature.parameters.values())
    named = {key: value for key, value in request_vars.items()
             if takes_any or key in signature.parameters}
    for position, parameter in enumerate(signature.parameters.values()):
        if position < len(args) and parameter.name in named:
            del named[parameter.name]  # given positionally already
    try:
        signature.bind(*args, **named)
    except TypeError as exc:
        raise client_error(400, f"invalid arguments for {function.__name__}: {exc}") from exc
    return function(*args, **named)


class Service:
    """Collects functions per format; calling the instance serves the request."""

    def __init__(self, environment: dict | None = None, check_args: bool = False) -> None:
        self.procedures: dict[str, dict] = {kind: {} for kind in FORMATS}

    def _register(self, kind: str) -> Callable[[Procedure], Procedure]:
        def decorator(function: Procedure) -> Procedure:
            self.procedures[kind][function.__name__] = function
            return function

        return decorator

    def run(self, function: Procedure) -> Procedure:
        """Expose ``function``; its result is returned as the action's own result."""
        return self._register("run")(function)

    def json(self, function: Procedure) -> Procedure:
        return self._register("json")(function)

    def xml(self, function: Procedure) -> Procedure:
        return self._register("xml")(function)

    def csv(self, function: Procedure) -> Procedure:
        return self._register("csv")(function)

    def jsonrpc(self, function: Procedure) -> Procedure:
        """JSON-RPC 1.1 (or 2.0 when the call says so): POST to ``call/jsonrpc``."""
        return self._register("jsonrpc")(function)

    def jsonrpc2(self, function: Procedure) -> Procedure:
        return self._register("jsonrpc2")(function)

    def xmlrpc(self, function: Procedure) -> Procedure:
        return self._register("xmlrpc")(function)

    def soap(self, name: str | None = None, returns: dict | None = None, args: dict | None = None,
             doc: str | None = None, response_element_name: str | None = None,
             ) -> Callable[[Procedure], Procedure]:
        """SOAP operation ``name`` (the function's name by default): ``args`` and ``returns``
        map element names to types, e.g. ``returns={'Result': int}, args={'a': int}``."""
        def decorator(function: Procedure) -> Procedure:
            self.procedures["soap"][name or function.__name__] = soap_service.operation(
                name or function.__name__, function, returns, args, doc, response_element_name)
            return function

        return decorator

    def __call__(self) -> Any:
        request = current.request
        kind, name = request.args(0), request.args(1)
        if kind not in FORMATS:
            raise client_error(404, "Service not found")
        if kind in RPC_FORMATS:
            return getattr(self, f"serve_{kind}")()
        function = self.procedures[kind].get(name)
        if function is None:
            raise client_error(404, "Object does not exist")
        result = call_with_request(function, list(request.args[2:]), request.vars)
        return getattr(self, f"serve_{kind}")(result)

    @staticmethod
    def serve_run(result: Any) -> Any:
        return result

    @staticmethod
    def serve_json(result: Any) -> str:
        current.response.headers["Content-Type"] = "application/json; charset=utf-8"
        return to_json(result)

    @staticmethod
    def serve_xml(result: Any) -> str:
        current.response.headers["Content-Type"] = "text/xml; charset=utf-8"
        return '<?xml version="1.0" encoding="UTF-8"?>' + to_xml(result)

    @staticmethod
    def serve_csv(result: Any) -> str:
        current.response.headers["Content-Type"] = "text/csv; charset=utf-8"
        return to_csv(result)

    def serve_jsonrpc(self, kind: str = "jsonrpc") -> str:
        """One JSON-RPC call from the body; every problem is a JSON-RPC error, never a 500."""
        version2 = kind == "jsonrpc2"
        current.response.headers["Content-Type"] = "application/json; charset=utf-8"
        try:
            call = json.loads(current.request.body.read() or b"null")
        except ValueError:
            return jsonrpc_reply(None, version2, error=(-32700, "Parse error"))
        if not isinstance(call, dict) or not isinstance(call.get("params", []), (list, dict)):
            return jsonrpc_reply(None, version2, error=(-32600, "Invalid Request"))
        version2 = version2 or call.get("jsonrpc") == "2.0"
        function = self.procedures[kind].get(call.get("method"))
        if function is None:
            return jsonrpc_reply(call.get("id"), version2, error=(-32601, "Method not found"))
        return jsonrpc_reply(call.get("id"), version2,
                             **run_rpc(function, call.get("params") or []))

    def serve_jsonrpc2(self) -> str:
        return self.serve_jsonrpc("jsonrpc2")

    def serve_xmlrpc(self) -> Any:
        """XML-RPC through the standard library's dispatcher (errors become Faults)."""
        return xmlrpc_handler(current.request, current.response, self.procedures["xmlrpc"])


    def serve_soap(self) -> Any:
        """POST: one call; ``?WSDL``: the description; otherwise a page listing the operations."""
        from server.helpers import CODE, H1, H2, LI, UL, A, P
        from server.routing import URL

        request, response = current.request, current.response
        here = URL(f="call/soap", vars={})
        location = f"{request.env.wsgi_url_scheme}://{request.env.http_host}{here}"
        namespace = response.namespace or location
        operations = self.procedures["soap"]
        if request.env.request_method == "POST":
            status, answer = soap_service.dispatch(operations, request.body.read(), namespace)
            response.status = status
            response.headers["Content-Type"] = "text/xml; charset=utf-8"
            return answer
        if "WSDL" in request.vars:
            response.headers["Content-Type"] = "text/xml; charset=utf-8"
            name = _XML_NAME.sub("_", str(response.title or request.application)).replace(".", "_")
            return soap_service.wsdl(operations, location, namespace,
                                     name if name[:1].isalpha() else "_" + name,
                                     response.description or "")
        chosen = operations.get(request.vars.op)
        if chosen is not None:
            return {"body": [H1(_SOAP_HELP_TITLE), A("See all webservice operations", _href=here),
                             H2(chosen.name), P(chosen.doc),
                             UL(LI(f"Location: {location}"), LI(f"Namespace: {namespace}"),
                                LI(f"SoapAction: {location}{chosen.name}")),
                             CODE(soap_service.wsdl({chosen.name: chosen}, location, namespace,
                                                    "Sample"), language="xml")]}
        return {"body": [H1(_SOAP_HELP_TITLE), P(response.description),
                         P("The following operations are available"),
                         A("See WSDL for webservice description", _href=here + "?WSDL"),
                         UL([LI(A(f"{op.name}: {op.doc}", _href=URL(f="call/soap",
                                                                     vars={"op": op.name})))
                             for op in operations.values()])]}


def run_rpc(function: Callable[..., Any], params: list | dict) -> dict:
    """``{'result': ...}`` or ``{'error': (code, message)}`` for one remote call."""
    args, kwargs = (params, {}) if isinstance(params, list) else ([], params)
    try:
        inspect.signature(function).bind(*args, **kwargs)
    except TypeError as exc:
        return {"error": (-32602, f"Invalid params: {exc}")}
    try:
        return {"result": plain(function(*args, **kwargs))}
    except HTTP:
        raise
    except Exception as exc:  # the procedure's own failure goes back to the caller
        log.exception("jsonrpc procedure %s failed", function.__name__)
        return {"error": (-32000, f"Server error: {exc.__class__.__name__}: {exc}")}


def jsonrpc_reply(call_id: object, version2: bool, result: Any = None,
                  error: tuple[int, str] | None = None) -> str:
    if version2:
        reply = {"jsonrpc": "2.0", "id": call_id}
        if error:
            reply["error"] = {"code": error[0], "message": error[1]}
        else:
            reply["result"] = result
    else:
        reply = {"version": "1.1", "id": call_id, "result": result,
                 "error": {"code": error[0], "message": error[1]} if error else None}
    return to_json(reply)
