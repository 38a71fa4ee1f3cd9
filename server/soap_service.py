"""SOAP 1.1 for web2py's ``@service.soap``: the WSDL of the registered operations and the
answer to one document/literal call.

    @service.soap('AddIntegers', returns={'AddResult': int}, args={'a': int, 'b': int})
    def add(a, b): return a + b

``GET call/soap?WSDL`` describes the operations, ``POST call/soap`` calls one, ``GET call/soap``
lists them. A type is a Python type (``str``, ``int``, ``float``, ``bool``, ``Decimal``,
``date``, ``datetime``), a dict of name to type (a structure) or a one-item list of a dict
(repeated elements). This is Pocketweb's own small server: spyne, the one Python SOAP server
library, has had no release since 2022, and web2py's simple typed operations need little.
A client's mistake is a SOAP ``Client`` fault with HTTP 400; a procedure that raises gives a
``Server`` fault with HTTP 500, as SOAP 1.1 prescribes for faults.
"""

from __future__ import annotations

import datetime
import decimal
import logging
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

log = logging.getLogger("pocketweb.services")

ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/"
XSD_TYPES: dict[type, str] = {
    str: "string", int: "int", float: "float", bool: "boolean", decimal.Decimal: "decimal",
    datetime.datetime: "dateTime", datetime.date: "date", datetime.time: "time",
}


class SoapFaultError(Exception):
    """Answered as a SOAP fault: ``side`` is ``Client`` (HTTP 400) or ``Server`` (HTTP 500)."""

    def __init__(self, side: str, message: str):
        super().__init__(message)
        self.side, self.message = side, message


@dataclass(frozen=True)
class Operation:
    """One ``@service.soap`` registration."""

    name: str
    function: Callable
    returns: dict
    args: dict
    doc: str
    response_element: str


def operation(name: str, function: Callable, returns: dict | None, args: dict | None,
              doc: str | None, response_element_name: str | None) -> Operation:
    return Operation(name, function, dict(returns or {}), dict(args or {}),
                     doc if doc is not None else (function.__doc__ or ""),
                     response_element_name or name + "Response")


# --- the WSDL --------------------------------------------------------------------------------

def _schema_element(name: str, kind: Any, indent: str) -> str:
    if isinstance(kind, dict):
        return (f'{indent}<xsd:element name={quoteattr(name)}><xsd:complexType><xsd:all>'
                + "".join(_schema_element(child, item, "") for child, item in kind.items())
                + "</xsd:all></xsd:complexType></xsd:element>")
    if isinstance(kind, list):
        (child, item), = _only_structure(name, kind).items()
        repeated = _schema_element(child, item, "").replace(
            "<xsd:element ", '<xsd:element minOccurs="0" maxOccurs="unbounded" ', 1)
        return (f'{indent}<xsd:element name={quoteattr(name)}><xsd:complexType><xsd:sequence>'
                f"{repeated}</xsd:sequence></xsd:complexType></xsd:element>")
    return f'{indent}<xsd:element name={quoteattr(name)} type="xsd:{xsd_type(name, kind)}"/>'


def _only_structure(name: str, kind: list) -> dict:
    if len(kind) != 1 or not isinstance(kind[0], dict) or len(kind[0]) != 1:
        raise TypeError(f"SOAP type of {name!r}: a list holds one dict of one element, "
                        "e.g. [{'item': int}]")
    return kind[0]


def xsd_type(name: str, kind: Any) -> str:
    for python_type, xsd in XSD_TYPES.items():
        if kind is python_type:
            return xsd
    raise TypeError(f"SOAP type of {name!r}: {kind!r} is not one of "
                    + ", ".join(t.__name__ for t in XSD_TYPES))


def wsdl(operations: dict[str, Operation], location: str, namespace: str, name: str,
         documentation: str = "") -> str:
    """The WSDL 1.1 document (document/literal, wrapped) describing ``operations``."""
    elements, messages, ports, bindings = [], [], [], []
    for op in operations.values():
        elements.append(_schema_element(op.name, op.args, "\n  "))
        elements.append(_schema_element(op.response_element, op.returns, "\n  "))
        for direction, element in (("Input", op.name), ("Output", op.response_element)):
            messages.append(f'\n <wsdl:message name="{op.name}{direction}">'
                            f'<wsdl:part name="parameters" element="tns:{element}"/></wsdl:message>')
        doc = f"<wsdl:documentation>{escape(op.doc)}</wsdl:documentation>" if op.doc else ""
        ports.append(f'\n  <wsdl:operation name="{op.name}">{doc}'
                     f'<wsdl:input message="tns:{op.name}Input"/>'
                     f'<wsdl:output message="tns:{op.name}Output"/></wsdl:operation>')
        bindings.append(f'\n  <wsdl:operation name="{op.name}">'
                        f'<soap:operation soapAction={quoteattr(location + op.name)} style="document"/>'
                        '<wsdl:input><soap:body use="literal"/></wsdl:input>'
                        '<wsdl:output><soap:body use="literal"/></wsdl:output></wsdl:operation>')
    service, tns = quoteattr(name), quoteattr(namespace)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" '
        'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
        f'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns={tns} name={service} '
        f'targetNamespace={tns}>\n <wsdl:documentation>{escape(documentation)}</wsdl:documentation>'
        f'\n <wsdl:types><xsd:schema targetNamespace={tns} elementFormDefault="qualified">'
        + "".join(elements) + "\n </xsd:schema></wsdl:types>" + "".join(messages)
        + f'\n <wsdl:portType name="{name}PortType">' + "".join(ports) + "\n </wsdl:portType>"
        + f'\n <wsdl:binding name="{name}Binding" type="tns:{name}PortType">'
        '<soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>'
        + "".join(bindings) + "\n </wsdl:binding>"
        + f'\n <wsdl:service name={service}><wsdl:port name="{name}" binding="tns:{name}Binding">'
        f"<soap:address location={quoteattr(location)}/></wsdl:port></wsdl:service>"
        "\n</wsdl:definitions>\n")


# --- one call --------------------------------------------------------------------------------

def dispatch(operations: dict[str, Operation], body: bytes, namespace: str) -> tuple[int, str]:
    """``(HTTP status, SOAP envelope)`` answering the request ``body``."""
    try:
        op, call = _parse_call(operations, body)
        arguments = {local_name(child.tag): child for child in call}
        unknown = set(arguments) - set(op.args)
        if unknown:
            raise SoapFaultError("Client", f"{op.name} takes no argument {sorted(unknown)[0]!r}")
        values = {name: decode(name, kind, arguments[name])
                  for name, kind in op.args.items() if name in arguments}
    except SoapFaultError as fault:
        return 400, fault_envelope(fault)
    try:
        result = op.function(**values)
    except TypeError as exc:
        return 400, fault_envelope(SoapFaultError("Client", f"{op.name}: {exc}"))
    except Exception as exc:  # the procedure's own failure goes back to the caller as a fault
        log.exception("SOAP operation %s failed", op.name)
        return 500, fault_envelope(SoapFaultError("Server", f"{exc.__class__.__name__}: {exc}"))
    if len(op.returns) == 1 and not isinstance(result, dict):
        result = {next(iter(op.returns)): result}
    inner = encode_children(op.returns, result or {})
    return 200, envelope(f'<tns:{op.response_element} xmlns:tns={quoteattr(namespace)}>'
                         f"{inner}</tns:{op.response_element}>")


def _parse_call(operations: dict[str, Operation], body: bytes) -> tuple[Operation, Any]:
    if b"<!DOCTYPE" in body.upper():
        raise SoapFaultError("Client", "a SOAP message carries no DTD")
    try:
        document = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise SoapFaultError("Client", f"not well-formed XML: {exc}") from exc
    soap_body = document.find(f"{{{ENVELOPE_NS}}}Body")
    if document.tag != f"{{{ENVELOPE_NS}}}Envelope" or soap_body is None or not len(soap_body):
        raise SoapFaultError("Client", "not a SOAP 1.1 envelope with a Body")
    call = soap_body[0]
    op = operations.get(local_name(call.tag))
    if op is None:
        raise SoapFaultError("Client", f"no operation {local_name(call.tag)!r}")
    return op, call


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def decode(name: str, kind: Any, element: Any) -> Any:
    """The Python value of ``element`` read as ``kind`` (a client error when it is not one)."""
    if isinstance(kind, dict):
        children = {local_name(child.tag): child for child in element}
        return {key: decode(key, item, children[key]) for key, item in kind.items()
                if key in children}
    if isinstance(kind, list):
        (child, item), = _only_structure(name, kind).items()
        return [{child: decode(child, item, node)} for node in element
                if local_name(node.tag) == child]
    text = (element.text or "").strip() if kind is not str else (element.text or "")
    try:
        return _from_text(kind, text)
    except (ValueError, decimal.InvalidOperation) as exc:
        raise SoapFaultError("Client", f"{name}: {text!r} is not a valid {xsd_type(name, kind)}") \
            from exc


def _from_text(kind: Any, text: str) -> Any:
    if kind is bool:
        if text not in ("true", "false", "1", "0"):
            raise ValueError(text)
        return text in ("true", "1")
    if kind in (datetime.datetime, datetime.date, datetime.time):
        return kind.fromisoformat(text.replace("Z", "+00:00"))
    return kind(text)


def encode_children(kinds: dict, values: dict) -> str:
    return "".join(encode(name, kind, values[name]) for name, kind in kinds.items()
                   if values.get(name) is not None)


def encode(name: str, kind: Any, value: Any) -> str:
    if isinstance(kind, dict):
        inner = encode_children(kind, value)
    elif isinstance(kind, list):
        (child, item), = _only_structure(name, kind).items()
        inner = "".join(encode(child, item, entry[child] if isinstance(entry, dict) else entry)
                        for entry in value)
    elif isinstance(value, bool):
        inner = "true" if value else "false"
    elif isinstance(value, (datetime.date, datetime.time)):
        inner = value.isoformat()
    else:
        inner = escape(str(value))
    return f"<tns:{name}>{inner}</tns:{name}>"


def envelope(content: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<soap:Envelope xmlns:soap="{ENVELOPE_NS}">'
            f"<soap:Body>{content}</soap:Body></soap:Envelope>")


def fault_envelope(fault: SoapFaultError) -> str:
    return envelope(f"<soap:Fault><faultcode>soap:{fault.side}</faultcode>"
                    f"<faultstring>{escape(fault.message)}</faultstring></soap:Fault>")
