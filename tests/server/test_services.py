"""Service: json, xml, csv and run procedures called over real HTTP, plus the serializers."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ElementTree
import xmlrpc.client

import pytest
from support import assert_answer, write_app

from server.services import to_csv, to_xml

CONTROLLER = '''
from gluon.tools import Service
service = Service()

@service.json
def add(a, b):
    return dict(total=int(a) + int(b))

@service.json
def things():
    return db(db.thing).select(orderby=db.thing.id)

@service.xml
def person(name, age=0):
    return dict(name=name, age=int(age), tags=["a", "<b>"])

@service.csv
def table(rows=2):
    return [dict(n=i, square=i * i) for i in range(int(rows))]

@service.run
def echo(*words, **named):
    return " ".join(words) + " " + ",".join(sorted(named))

@service.jsonrpc
@service.jsonrpc2
@service.xmlrpc
def multiply(a, b):
    return a * b

@service.jsonrpc
def broken():
    return 1 / 0

def call():
    return service()
'''

MODEL = '''
db = DAL("sqlite://storage.sqlite")
db.define_table("thing", Field("name"))
if db(db.thing).isempty():
    db.thing.insert(name="first")
    db.thing.insert(name="second")
'''


@pytest.fixture
def base(root, wsgi_server):
    write_app(root, "app", {"controllers/default.py": CONTROLLER, "models/db.py": MODEL})
    return wsgi_server(root) + "/app/default/call"


def test_json_with_vars_and_positional_args(base, http):
    answer = http(base + "/json/add?a=2&b=3")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("application/json")
    assert json.loads(answer.text) == {"total": 5}
    assert json.loads(http(base + "/json/add/4/5").text) == {"total": 9}


def test_json_of_database_rows(base, http):
    rows = json.loads(http(base + "/json/things").text)
    assert [row["name"] for row in rows] == ["first", "second"]


def test_xml(base, http):
    answer = http(base + "/xml/person?name=Ann&age=31")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/xml")
    document = ElementTree.fromstring(answer.body)
    assert document.tag == "document"
    assert document.findtext("name") == "Ann"
    assert document.findtext("age") == "31"
    assert [item.text for item in document.find("tags")] == ["a", "<b>"]


def test_csv(base, http):
    answer = http(base + "/csv/table?rows=3")
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(answer.text))) == [
        ["n", "square"], ["0", "0"], ["1", "1"], ["2", "4"]]


def test_run_returns_the_result_itself(base, http):
    assert http(base + "/run/echo/x/y?k=1&j=2").text == "x y j,k"


def test_missing_argument_is_400_not_500(base, http):
    answer = http(base + "/json/add?a=1")
    assert_answer(answer, 400, "invalid arguments for add: missing a required argument: 'b'")


def test_unknown_function_or_format_is_404(base, http):
    assert_answer(http(base + "/json/nothing"), 404, "Object does not exist")
    # add is a json procedure only
    assert_answer(http(base + "/xml/add"), 404, "Object does not exist")
    assert_answer(http(base + "/amfrpc/add"), 404, "Service not found")
    assert_answer(http(base), 404, "Service not found")


def test_to_xml_escapes_and_names_elements():
    text = to_xml({"a b": [1, None], "9x": "<&>"})
    assert text == "<document><a_b><item>1</item><item></item></a_b><_9x>&lt;&amp;&gt;</_9x>" \
                   "</document>"


def test_to_csv_of_lists():
    assert to_csv([[1, 2], [3, 4]]).splitlines() == ["1,2", "3,4"]


def rpc(http, url, payload):
    answer = http(url, data=json.dumps(payload).encode(),
                  headers={"Content-Type": "application/json"}, method="POST")
    assert answer.status == 200, answer.text
    return json.loads(answer.text)


def test_jsonrpc_one_and_two(base, http):
    one = rpc(http, base + "/jsonrpc", {"id": 1, "method": "multiply", "params": [6, 7]})
    assert one == {"version": "1.1", "id": 1, "result": 42, "error": None}
    two = rpc(http, base + "/jsonrpc2",
              {"jsonrpc": "2.0", "id": "x", "method": "multiply", "params": {"a": 2, "b": 5}})
    assert two == {"jsonrpc": "2.0", "id": "x", "result": 10}


@pytest.mark.parametrize("payload, code", [
    ({"id": 1, "method": "nothing", "params": []}, -32601),
    ({"id": 1, "method": "multiply", "params": [1]}, -32602),
    ({"id": 1, "method": "multiply", "params": "oops"}, -32600),
    ({"id": 1, "method": "broken"}, -32000),
    ([1, 2], -32600),
])
def test_jsonrpc_errors_are_replies_not_500(base, http, payload, code):
    reply = rpc(http, base + "/jsonrpc", payload)
    assert reply["error"]["code"] == code and reply["result"] is None


def test_jsonrpc_unparsable_body(base, http):
    answer = http(base + "/jsonrpc2", data=b"{not json", method="POST",
                  headers={"Content-Type": "text/plain"})
    assert json.loads(answer.text)["error"]["code"] == -32700


def test_xmlrpc_through_the_standard_client(root, live_server):
    """The stdlib client speaks HTTP itself (no urllib), so this one needs a real server."""
    write_app(root, "app", {"controllers/default.py": CONTROLLER, "models/db.py": MODEL})
    proxy = xmlrpc.client.ServerProxy(live_server(root) + "/app/default/call/xmlrpc")
    assert proxy.multiply(3, 4) == 12
    with pytest.raises(xmlrpc.client.Fault):
        proxy.multiply(1)
