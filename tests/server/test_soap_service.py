"""SOAP for @service.soap: the WSDL, calls through the project's own SOAP client (zeep) over
real HTTP, and the faults a malformed call gets."""

from __future__ import annotations

import datetime
import decimal
import xml.etree.ElementTree as ElementTree

import pytest
from support import assert_answer, write_app

from gluon.contrib.pysimplesoap.client import SoapClient, SoapFault
from server import soap_service

CONTROLLER = '''
import datetime
from gluon.tools import Service
service = Service(globals())

@service.soap('AddIntegers', returns={'AddResult': int}, args={'a': int, 'b': int})
@service.soap('AddStrings', returns={'AddResult': str}, args={'a': str, 'b': str})
def add(a, b):
    "Add two values"
    return a + b

@service.soap('Echo', returns={'out0': str}, args={'in0': str}, response_element_name='customTag')
def echo(in0):
    return in0

@service.soap('Describe', returns={'person': {'name': str, 'born': datetime.date, 'adult': bool},
                                   'tags': [{'tag': str}]},
              args={'name': str, 'year': int})
def describe(name, year):
    return dict(person=dict(name=name, born=datetime.date(year, 1, 2), adult=year < 2000),
                tags=[dict(tag='a'), dict(tag='<b>')])

@service.soap('Divide', returns={'result': float}, args={'a': float, 'b': float})
def divide(a, b):
    return a / b

def call():
    return service()
'''

ENVELOPE = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">'
            '<soap:Body>{}</soap:Body></soap:Envelope>')


@pytest.fixture
def call_url(root, live_server):
    write_app(root, "app", {"controllers/default.py": CONTROLLER})
    return live_server(root) + "/app/default/call/soap"


def test_client_calls_operations_over_http(call_url):
    client = SoapClient(wsdl=call_url + "?WSDL")
    assert client.AddIntegers(a=2, b=3) == {"AddResult": 5}
    assert client.AddStrings(a="2", b="3")["AddResult"] == "23"
    assert client.Echo(in0="Hello <World>!")["out0"] == "Hello <World>!"
    assert "customTag" in client.xml_response and "Echo" in client.xml_request


def test_structures_dates_booleans_and_lists(call_url):
    answer = SoapClient(wsdl=call_url + "?WSDL").Describe(name="Ann", year=1990)
    assert answer["person"]["name"] == "Ann"
    assert answer["person"]["born"] == datetime.date(1990, 1, 2)
    assert answer["person"]["adult"] is True
    assert list(answer["tags"]["tag"]) == ["a", "<b>"]


def test_a_failing_procedure_is_a_server_fault(call_url):
    with pytest.raises(SoapFault) as fault:
        SoapClient(wsdl=call_url + "?WSDL").Divide(a=1, b=0)
    assert "ZeroDivisionError" in fault.value.faultstring


def test_wsdl_describes_each_operation(call_url, http):
    answer = http(call_url + "?WSDL")
    assert answer.headers["Content-Type"].startswith("text/xml")
    wsdl = ElementTree.fromstring(answer.body)
    ns = {"w": "http://schemas.xmlsoap.org/wsdl/", "s": "http://schemas.xmlsoap.org/wsdl/soap/"}
    names = [op.get("name") for op in wsdl.findall("w:portType/w:operation", ns)]
    assert sorted(names) == ["AddIntegers", "AddStrings", "Describe", "Divide", "Echo"]
    assert wsdl.find("w:service/w:port/s:address", ns).get("location") == call_url


def test_the_listing_page_links_the_wsdl_and_each_operation(call_url, http):
    page = http(call_url).text
    assert "Welcome to Web2Py SOAP webservice gateway" in page
    assert "AddIntegers: Add two values" in page and "?WSDL" in page
    assert "SoapAction: " + call_url + "Echo" in http(call_url + "?op=Echo").text


@pytest.mark.parametrize(("body", "reason"), [
    (b"<not xml", "not well-formed"),
    (b"<a/>", "not a SOAP 1.1 envelope"),
    (ENVELOPE.format("<Nothing/>").encode(), "no operation 'Nothing'"),
    (ENVELOPE.format("<AddIntegers><a>x</a><b>1</b></AddIntegers>").encode(), "not a valid int"),
    (ENVELOPE.format("<AddIntegers><a>1</a></AddIntegers>").encode(), "b"),
    (ENVELOPE.format("<AddIntegers><c>1</c></AddIntegers>").encode(), "no argument 'c'"),
    (b'<!DOCTYPE x [<!ENTITY e "e">]>' + ENVELOPE.format("<Echo/>").encode(), "no DTD"),
])
def test_a_malformed_call_is_a_client_fault_with_400(call_url, http, body, reason):
    answer = http(call_url, data=body, headers={"Content-Type": "text/xml"})
    assert_answer(answer, 400, "soap:Fault")
    fault = ElementTree.fromstring(answer.body).find(f"*/{{{soap_service.ENVELOPE_NS}}}Fault")
    assert fault.findtext("faultcode") == "soap:Client"
    assert reason in fault.findtext("faultstring")


def test_values_read_and_written_by_type():
    element = ElementTree.fromstring("<x> 2.50 </x>")
    assert soap_service.decode("x", decimal.Decimal, element) == decimal.Decimal("2.50")
    assert soap_service.decode("x", str, element) == " 2.50 "
    flag = ElementTree.fromstring("<x>1</x>")
    assert soap_service.decode("x", bool, flag) is True
    assert soap_service.encode("x", bool, False) == "<tns:x>false</tns:x>"
    assert soap_service.encode("x", str, "<&>") == "<tns:x>&lt;&amp;&gt;</tns:x>"


def test_an_unsupported_type_is_named_when_declared():
    with pytest.raises(TypeError, match="'a'.*complex"):
        soap_service.wsdl({"Op": soap_service.operation("Op", len, {}, {"a": complex}, None, None)},
                          "http://h/call/soap", "urn:x", "S")
