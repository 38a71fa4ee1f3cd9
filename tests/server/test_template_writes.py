"""A view's text written straight to response.body gives the page response.write gave, and an app
that replaced response.write still has every piece of text go through its own."""

from __future__ import annotations

import ast
import io

from support import write_app

from server.response import Response
from server.template_writes import direct_text_writes, writes_as_ours

PAGE = """<html>{{for row in rows:}}<tr><td>{{=row['id']}}</td><td>{{=row['name']}}</td>
{{pass}}{{=XML('<b>bold</b>')}}{{=None}}{{=3.5}}{{=B('a & b')}}{{response.write('<i>', escape=False)}}
{{response.write('<raw>')}}{{response.write(7, escape=False)}}{{="quote's"}}</html>"""
ROWS = [{"id": 1, "name": "<one>"}, {"id": 2, "name": "two & three"}]


def rendered(code, response: Response) -> str:
    from server.helpers import XML, B

    response.body = io.StringIO()
    exec(code, {"response": response, "rows": ROWS, "XML": XML, "B": B})  # noqa: S102
    return response.body.getvalue()


def program() -> str:
    from yatl.template import TemplateParser

    return str(TemplateParser(PAGE, name="page.html"))


def test_direct_text_writes_give_the_page_response_write_gave():
    source = program()
    direct = rendered(compile(direct_text_writes(source), "page", "exec"), Response())
    assert direct == rendered(compile(source, "page", "exec"), Response())
    assert "<tr><td>1</td><td>&lt;one&gt;</td>" in direct and "<b>bold</b>" in direct
    assert "<i>" in direct and "&lt;raw&gt;" in direct and "quote&#x27;s" in direct


def test_only_unescaped_str_constants_are_written_directly():
    source = ("response.write('<p>', escape=False)\nresponse.write(x)\n"
              "response.write('<raw>')\nresponse.write(7, escape=False)\n"
              "response.write('a', escape=True)\nother.write('b', escape=False)\n"
              "response.write(f'{x}', escape=False)\nresponse.write('c', False)\n"
              "response.write('d', escape=False, more=1)\n")
    assert ast.unparse(direct_text_writes(source)).splitlines() == [
        "response.body.write('<p>')", *source.splitlines()[1:]]


def test_lines_are_kept_for_tickets():
    module = direct_text_writes("x = 1\nresponse.write('a', escape=False)\nresponse.write(y)\n")
    assert [node.lineno for node in module.body] == [1, 2, 3]


def test_an_app_s_own_response_write_is_kept():
    response = Response()
    assert writes_as_ours(response)
    seen = []
    response.write = lambda data, escape=True: seen.append((data, escape))
    assert not writes_as_ours(response)

    class Louder(Response):
        def write(self, data, escape=True):
            super().write(str(data).upper(), escape)

    assert not writes_as_ours(Louder()) and not writes_as_ours(object())


def test_a_page_of_an_app_that_replaced_response_write_goes_through_it(root, wsgi_server, http):
    write_app(root, "own", {
        "models/db.py": "seen = []\noriginal = response.write\n"
                        "def counted(data, escape=True):\n"
                        "    seen.append(data)\n"
                        "    original(data, escape)\n",
        "controllers/default.py": "def index():\n    response.write = counted\n"
                                  "    return dict(x='<x>')\n"
                                  "def plain():\n    return dict(x='<x>')\n",
        "views/default/index.html": "<p>{{=x}}</p>{{=len(seen)}}",
        "views/default/plain.html": "<p>{{=x}}</p>{{=len(seen)}}",
    })
    base = wsgi_server(root) + "/own/default"
    assert http(base + "/index").text == "<p>&lt;x&gt;</p>3"  # <p>, the value, </p>
    assert http(base + "/plain").text == "<p>&lt;x&gt;</p>0"
    assert http(base + "/index").text == "<p>&lt;x&gt;</p>3"


def test_a_view_that_swaps_response_body_writes_its_text_into_the_new_one(root, wsgi_server,
                                                                          http):
    write_app(root, "swap", {
        "controllers/default.py": "def index():\n    return dict()\n",
        "views/default/index.html": "lost{{import io\nresponse.body = io.StringIO()}}kept{{=1}}",
    })
    assert http(wsgi_server(root) + "/swap/default/index").text == "kept1"
