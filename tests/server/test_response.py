"""response.*: stream, json, render, meta and files, over a live server."""

import datetime
import io
import json

import pytest
from pydal import DAL, Field
from support import assert_answer, write_app

from server.http import HTTP
from server.response import Response, content_disposition, content_type_for, to_json
from server.storage import Storage

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
    assert answer.status == 200
    assert answer.body == bytes(range(256)) * 4
    assert answer.headers["Content-Length"] == "1024"
    assert "attachment" in answer.headers["Content-Disposition"]
    assert "filename*=UTF-8''rapport%20%C3%A9.bin" in answer.headers["Content-Disposition"]


def test_stream_of_a_missing_file_is_404(base, http):
    assert_answer(http(base + "/stream_missing"), 404, "file not found")


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


def test_write_gives_every_kind_of_value_what_escaping_it_gives():
    """The fast cases (int, str) write exactly what the general one would."""
    from yatl.helpers import XML, xmlescape

    class Number(int):
        def __str__(self):
            return "<n>"

    values = [0, -12, 10**30, "a & 'b' \"c\" <d>", "", "plain: text", "&", "<", ">", "'", '"',
              True, None, 1.5, Number(3), b"<x>",
              XML("<i>x</i>"), ["<l>"]]
    response = Response()
    for value in values:
        response.write(value)
    expected = "".join(value.xml() if isinstance(value, XML) else str(xmlescape(value))
                       for value in values)
    assert response.body.getvalue() == expected


def test_render_outside_a_request_is_a_clear_error():
    with pytest.raises(RuntimeError) as raised:
        Response().render({})
    assert str(raised.value) == "response.render is only available while serving a request"


def test_content_types_by_extension():
    assert content_type_for("json") == "application/json"
    assert content_type_for("html").startswith("text/html")
    assert content_type_for("png") == "image/png"


def test_content_disposition_strips_quotes():
    assert '"' not in content_disposition('a"b.txt').split(";")[1].replace('filename="ab.txt"', "")


DEFAULTS = '''
import io
import json

db = DAL("sqlite://storage.sqlite")
db.define_table("doc", Field("f", "upload"))

def defaults():
    shown = {name: response[name] for name in (
        "status", "view", "title", "subtitle", "author", "keywords", "description", "flash",
        "menu", "meta", "files", "js", "delimiters", "static_version", "static_version_urls",
        "generic_patterns", "session_id", "session_id_name",
        "session_cookie_expires", "postprocessing")}
    shown["content_type"] = response.headers["Content-Type"]
    return json.dumps(shown)

def pretty():
    return response.json({"a": [1]}, indent=2)

def rendered():
    return "|".join([response.render("default/part.html", dict(x=1), y=2),
                     response.render(dict(x=3, y=4)), response.render(x=5, y=6)])

def helper():
    response.write(B("<b>"))
    response.write(1)
    return response.body.getvalue()

def stream_open():
    return response.stream(open(request.folder + "private/report.bin", "rb"),
                           headers={"X-Extra": "1"})

def stream_inline():
    response.headers["X-From-App"] = "kept"
    return response.stream(request.folder + "private/report.bin", filename="r.txt")

def stream_overridden():
    return response.stream(request.folder + "private/report.bin", attachment=True,
                           filename="r.txt",
                           headers={"Content-Disposition": "inline", "Content-Length": "10"})

def bar():
    response.title = "Bar title"
    return response.toolbar()

def store():
    return db.doc.f.store(io.BytesIO(b"hello"), "hi.txt")

def download():
    return response.download(request, db)

def download_inline():
    return response.download(request, db, attachment=False, download_filename="other.txt")

def files():
    response.meta.keywords = ""
    response.meta.author = "Ann"
    response.files.extend(["/d/static/a.css?v=1", URL("static", "x.png"),
                           "/b.js?v=2"])
    response.include_meta()
    response.include_files()
    return response.body.getvalue()
'''


@pytest.fixture
def defaults_base(root, wsgi_server):
    app = write_app(root, "d", {"controllers/default.py": DEFAULTS,
                                "views/default/part.html": "{{=x}}-{{=y}}",
                                "views/default/rendered.html": "{{=x}}+{{=y}}"})
    (app / "private").mkdir(exist_ok=True)
    (app / "private/report.bin").write_bytes(b"0123456789")
    return wsgi_server(root) + "/d/default"


def test_a_fresh_response_has_web2pys_defaults(defaults_base, http):
    shown = json.loads(http(defaults_base + "/defaults.json").text)
    assert shown == {
        "status": 200, "view": "default/defaults.json", "title": None, "subtitle": None,
        "author": None, "keywords": None, "description": None, "flash": "", "menu": [],
        "meta": {}, "files": [], "js": None, "delimiters": None, "static_version": None,
        "static_version_urls": False, "generic_patterns": ["*"], "session_id": None,
        "session_id_name": "session_id_d", "session_cookie_expires": None,
        "postprocessing": [], "content_type": "application/json"}


def test_generic_views_are_for_local_clients_only(defaults_base, http):
    remote = http(defaults_base + "/defaults.json", headers={"X-Forwarded-For": "203.0.113.9"})
    assert json.loads(remote.text)["generic_patterns"] == []


def test_json_can_be_indented(defaults_base, http):
    answer = http(defaults_base + "/pretty")
    assert answer.text == '{\n  "a": [\n    1\n  ]\n}'
    assert answer.headers["Content-Type"] == "application/json"


def test_render_takes_a_view_a_dict_or_keywords(defaults_base, http):
    assert http(defaults_base + "/rendered").text == "1-2|3+4|5+6"


def test_write_renders_helpers_and_escapes_the_rest(defaults_base, http):
    assert http(defaults_base + "/helper").text == "<b>&lt;b&gt;</b>1"


def test_stream_of_an_open_file_is_octets_with_the_given_headers(defaults_base, http):
    answer = http(defaults_base + "/stream_open")
    assert answer.body == b"0123456789"
    assert answer.headers["Content-Type"] == "application/octet-stream"
    assert answer.headers["X-Extra"] == "1" and "Content-Disposition" not in answer.headers


def test_stream_inline_guesses_the_type_and_keeps_the_apps_headers(defaults_base, http):
    answer = http(defaults_base + "/stream_inline")
    assert answer.body == b"0123456789" and answer.headers["Content-Length"] == "10"
    assert answer.headers["Content-Type"] == "text/plain"
    assert answer.headers["X-From-App"] == "kept" and "Content-Disposition" not in answer.headers


def test_include_files_knows_css_and_js_by_path_and_meta_skips_empty_values(defaults_base, http):
    page = http(defaults_base + "/files").text
    assert page == ('<meta name="author" content="Ann" />\n'
                    '<link href="/d/static/a.css?v=1" rel="stylesheet" />\n'
                    '<script src="/b.js?v=2"></script>\n')


def test_a_missing_file_to_stream_is_a_plain_404(base, http):
    answer = http(base + "/stream_missing")
    assert (answer.status, answer.text.strip()) == (404, "file not found")


def test_content_disposition_keeps_one_header_line_and_the_real_name():
    assert content_disposition("a\nb\\c\x7f\u00e9.txt") == (
        "attachment; filename=\"a_b_c_?.txt\"; filename*=UTF-8''a%0Ab%5Cc%7F%C3%A9.txt")


def test_unknown_extensions_are_html():
    assert content_type_for("nothing-like-it") == "text/html; charset=utf-8"


def test_a_response_made_outside_a_request_is_empty_and_generic_views_are_off():
    response = Response()
    assert (response.status, response.view, response.flash, response.generic_patterns) == (
        200, None, "", [])
    assert "Content-Type" not in response.headers
    assert all(response[name] is None for name in (
        "subtitle", "js", "delimiters", "static_version", "session_id", "session_id_name",
        "session_cookie_expires", "_vars"))
    assert response.static_version_urls is False
    assert response.menu == [] and response.postprocessing == []


def test_the_apps_headers_win_over_the_streamed_files_own_but_attachment_wins_over_inline(
        defaults_base, http):
    answer = http(defaults_base + "/stream_overridden")
    assert answer.status == 200 and answer.body == b"0123456789"
    assert answer.headers.get_all("Content-Length") == ["10"]
    assert answer.headers.get_all("Content-Disposition") == [content_disposition("r.txt")]


def test_stream_reads_the_file_in_chunks_of_the_given_size(tmp_path):
    path = tmp_path / "ten.bin"
    path.write_bytes(b"0123456789")
    with pytest.raises(HTTP) as raised:
        Response().stream(path, chunk_size=4)
    assert raised.value.status == 200
    assert list(raised.value.body) == [b"0123", b"4567", b"89"]
    with pytest.raises(HTTP) as raised:
        Response().stream(path, filename="ten.no-such-type")
    assert raised.value.headers["Content-Type"] == "application/octet-stream"
    raised.value.body.close()


def test_indented_json_keeps_pydals_dates():
    value = {"d": datetime.date(2020, 1, 2)}
    assert to_json(value, indent=1) == '{\n "d": "2020-01-02"\n}'
    assert to_json(value) == '{"d": "2020-01-02"}'


def test_toolbar_shows_the_response(defaults_base, http):
    answer = http(defaults_base + "/bar")
    assert answer.status == 200 and "Bar title" in answer.text and "db tables" in answer.text


def test_download_serves_an_upload_as_an_attachment_or_inline_under_another_name(
        defaults_base, http):
    name = http(defaults_base + "/store").text
    answer = http(defaults_base + "/download/" + name)
    assert (answer.status, answer.body) == (200, b"hello")
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="hi.txt"')
    inline = http(defaults_base + "/download_inline/" + name)
    assert (inline.status, inline.body) == (200, b"hello")
    assert inline.headers["Content-Disposition"].startswith('inline; filename="other.txt"')


def test_download_reads_the_stored_file_in_chunks_of_the_given_size(tmp_path):
    db = DAL("sqlite:memory")
    db.define_table("doc", Field("f", "upload", uploadfolder=str(tmp_path)))
    name = db.doc.f.store(io.BytesIO(b"hello"), "hi.txt")
    chunks = Response().download(Storage(args=[name]), db, chunk_size=2)
    assert list(chunks) == [b"he", b"ll", b"o"]
    db.close()


def test_a_new_responses_parts_built_on_first_read_are_listed_and_its_own():
    first, second = Response(), Response()
    assert {"cookies", "body", "menu", "meta", "files", "postprocessing",
            "generic_patterns"} <= set(first.keys())
    first.files.append("x.css")
    first.meta.author = "me"
    first.cookies["c"] = "1"
    assert (second.files, second.meta, len(second.cookies)) == ([], {}, 0)
    assert first.files == ["x.css"] and first.meta.author == "me"
