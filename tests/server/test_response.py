"""response.*: stream, json, render, meta and files, over a live server."""

import json

import pytest
from support import write_app

from server.response import Response, content_disposition, content_type_for

CONTROLLER = '''
def stream_file():
    return response.stream(request.folder + "private/report.bin", chunk_size=10,
                           attachment=True, filename="rapport é.bin")

def stream_missing():
    return response.stream(request.folder + "private/none.bin")

def data():
    return response.json(dict(rows=db(db.item).select(), n=1))

def mapping():
    response.meta.og = {'property': 'og:title', 'content': 'T<'}
    response.include_meta()
    return '%(title)s|%(author)s|' % response + str(response.get('keywords', 'none')) + '|' + \
        str(response.description) + '|' + response.body.getvalue()

def page():
    response.meta.description = 'desc "quoted"'
    response.files.append(URL('static', 'a.css'))
    response.files.append(URL('static', 'a.css'))
    response.files.append(URL('static', 'b.js'))
    return dict()
'''


@pytest.fixture
def base(root, wsgi_server):
    app = write_app(root, "r", {
        "models/db.py": "db = DAL('sqlite://storage.sqlite')\n"
                        "db.define_table('item', Field('name'))\n"
                        "if not db(db.item).count(): db.item.insert(name='a')\n",
        "controllers/default.py": CONTROLLER,
        "views/default/page.html": "{{response.include_meta()}}{{response.include_files()}}",
    })
    (app / "private/report.bin").write_bytes(bytes(range(256)) * 4)
    return wsgi_server(root) + "/r/default"


def test_stream_sends_the_whole_file_as_an_attachment(base, http):
    answer = http(base + "/stream_file")
    assert answer.body == bytes(range(256)) * 4
    assert answer.headers["Content-Length"] == "1024"
    assert "attachment" in answer.headers["Content-Disposition"]
    assert "filename*=UTF-8''rapport%20%C3%A9.bin" in answer.headers["Content-Disposition"]


def test_stream_of_a_missing_file_is_404(base, http):
    assert http(base + "/stream_missing").status == 404


def test_json_serialises_rows(base, http):
    answer = http(base + "/data")
    assert answer.headers["Content-Type"] == "application/json"
    assert json.loads(answer.text) == {"rows": [{"id": 1, "name": "a"}], "n": 1}


def test_meta_and_files_are_written_once_and_escaped(base, http):
    page = http(base + "/page").text
    assert '<meta name="description" content="desc &quot;quoted&quot;" />' in page
    assert page.count("a.css") == 1 and '<script src="/r/static/b.js">' in page


def test_response_reads_like_a_storage_and_meta_dicts_are_attributes(base, http):
    page = http(base + "/mapping").text
    assert page == 'None|None|None|None|<meta property="og:title" content="T&lt;" />\n'


def test_write_escapes_unless_told_or_xml():
    response = Response()
    response.write("<a>")
    response.write("<b>", escape=False)
    assert response.body.getvalue() == "&lt;a&gt;<b>"


def test_render_outside_a_request_is_a_clear_error():
    with pytest.raises(RuntimeError, match="only available"):
        Response().render({})


def test_content_types_by_extension():
    assert content_type_for("json") == "application/json"
    assert content_type_for("html").startswith("text/html")
    assert content_type_for("png") == "image/png"


def test_content_disposition_strips_quotes():
    assert '"' not in content_disposition('a"b.txt').split(";")[1].replace('filename="ab.txt"', "")
