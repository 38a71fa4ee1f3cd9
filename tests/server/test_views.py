"""Views: yatl rendering with extend/include/block, escaping, compiled-template cache, generics."""

import json
import os
import time

import pytest
from support import assert_answer, write_app

LAYOUT = """<html><title>{{block title}}Site{{end}}</title>
<body>{{include 'menu.html'}}<main>{{include}}</main></body></html>"""


@pytest.fixture
def site(root, wsgi_server):
    write_app(root, "site", {
        "views/layout.html": LAYOUT,
        "views/menu.html": "<nav>menu</nav>",
        "views/default/page.html": "{{extend 'layout.html'}}{{block title}}Page{{end}}"
                                   "<p>{{=text}}</p>{{=XML(raw)}}",
        "controllers/default.py": """
            def page():
                return dict(text='<b>escaped</b>', raw='<i>raw</i>')

            def data():
                return dict(items=[1, 2], name='x')

            def table():
                return dict(rows=[dict(a=1, b='x'), dict(a=2, b='y')])

            def feed():
                return dict(title='News', link='http://example.org', description='all',
                            entries=[dict(title='First <one>', link='http://example.org/1',
                                          description='hello')])

            def noview():
                return dict(a=1)

            def explicit():
                response.view = 'default/page.html'
                return dict(text='via response.view', raw='')

            def rendered():
                return response.render('default/page.html', dict(text='rendered', raw=''))
        """,
    })
    return root, wsgi_server(root)


def test_extend_include_block_and_escaping(site, http):
    _, base = site
    page = http(base + "/site/default/page").text
    assert "<title>Page</title>" in page
    assert "<nav>menu</nav>" in page
    assert "<p>&lt;b&gt;escaped&lt;/b&gt;</p>" in page
    assert "<i>raw</i>" in page


def test_response_view_and_render(site, http):
    _, base = site
    assert "via response.view" in http(base + "/site/default/explicit").text
    assert "<p>rendered</p>" in http(base + "/site/default/rendered").text


def test_generic_json_xml_csv_html_for_local_requests(site, http):
    _, base = site
    assert json.loads(http(base + "/site/default/data.json").text) == {"items": [1, 2], "name": "x"}
    xml = http(base + "/site/default/data.xml")
    assert xml.headers["Content-Type"].startswith("text/xml")
    assert "<name>x</name>" in xml.text
    assert "<h1>default/noview</h1>" in http(base + "/site/default/noview").text


def test_generic_views_refused_when_patterns_forbid(root, wsgi_server, http):
    write_app(root, "closed", {
        "models/db.py": "response.generic_patterns = []\n",
        "controllers/default.py": "def data():\n    return dict(secret=1)\n",
    })
    answer = http(wsgi_server(root) + "/closed/default/data.json")
    assert (answer.status, answer.text) == (404, "invalid view (default/data.json)")


def test_editing_the_layout_refreshes_pages_that_extend_it(site, http):
    root, base = site
    assert "<title>Page</title>" in http(base + "/site/default/page").text
    time.sleep(0.01)
    layout = root / "applications/site/views/layout.html"
    layout.write_text(LAYOUT.replace("<html>", "<html lang='en'>"))
    assert "<html lang='en'>" in http(base + "/site/default/page").text


def test_view_escaping_the_views_folder_is_refused(root, wsgi_server, http):
    write_app(root, "evil", {
        "controllers/default.py": "def index():\n    response.view = '../models/x.html'\n"
                                  "    return dict()\n",
        "models/x.html": "secret",
    })
    base = wsgi_server(root)
    answers = [http(base + "/evil/default/index") for _ in range(2)]  # refused every time
    assert [(a.status, a.text) for a in answers] == [(404, "invalid view")] * 2


def test_a_view_added_or_removed_while_serving_is_seen_by_the_next_request(site, http):
    root, base = site
    view = root / "applications" / "site" / "views" / "default" / "noview.html"
    assert "<h1>default/noview</h1>" in http(base + "/site/default/noview").text  # generic
    view.write_text("own view {{=a}}")
    assert http(base + "/site/default/noview").text == "own view 1"
    view.unlink()
    assert "<h1>default/noview</h1>" in http(base + "/site/default/noview").text


def test_generic_csv_and_rss(site, http):
    _, base = site
    answer = http(base + "/site/default/table.csv")
    assert answer.headers["Content-Type"].startswith("text/csv")
    assert answer.text.replace("\r\n", "\n") == "a,b\n1,x\n2,y\n"
    rss = http(base + "/site/default/feed.rss")
    assert rss.headers["Content-Type"].startswith("application/rss+xml")
    assert "<title>First &lt;one&gt;</title>" in rss.text and "<channel><title>News</title>" in rss.text


def test_a_view_extending_outside_its_application_is_a_ticket(root, wsgi_server, http):
    write_app(root, "other", {"models/db.py": "secret = 'hunter2'\n"})
    app = write_app(root, "leaky", {
        "controllers/default.py": "def index():\n    return dict()\n",
        "views/default/index.html": "{{extend '../../other/models/db.py'}}",
    })
    answer = http(wsgi_server(root) + "/leaky/default/index")
    assert_answer(answer, 500, "Ticket issued")
    assert "hunter2" not in answer.text
    (ticket,) = (app / "errors").iterdir()
    assert f"leaky/{ticket.name}" in answer.text
    assert "outside its application" in ticket.read_text()


@pytest.mark.parametrize("extension", ["json", "csv", "rss", "xml"])
def test_generic_views_of_values_they_cannot_show_are_406(root, live_server, extension):
    from support import assert_client_mistake, raw_exchange

    app = write_app(root, "odd", {"controllers/default.py": """
        class Opaque:
            def __str__(self):
                raise TypeError("no text for this")

        def odd():
            return dict(rows=[dict(a=1), dict(b=Opaque())], entries=[object()], thing=Opaque())

        def index():
            return "fine"
    """})
    url = live_server(root)
    request = f"GET /odd/default/odd.{extension} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
    (answer,) = raw_exchange(url, request.encode())
    assert_client_mistake(answer, 406, app, url + "/odd/default/index", b"fine")


def test_a_view_may_include_any_file_of_its_own_app(root, wsgi_server, http):
    write_app(root, "parts", {
        "controllers/default.py": "def index():\n    return dict(name='x')\n",
        "views/default/index.html": "{{extend '../private/frame.html'}}[{{include '../static/part.html'}}]",
        "private/frame.html": "<main>{{include}}</main>",
        "static/part.html": "{{=name}}",
    })
    assert http(wsgi_server(root) + "/parts/default/index").text == "<main>[x]</main>"


# --- the pieces, called directly --------------------------------------------------------------

def test_to_csv_takes_the_first_table_like_value():
    from server.http import HTTP
    from server.views import to_csv

    class Rows:
        def export_to_csv_file(self, out):
            out.write("id\r\n1\r\n")

    assert to_csv({"title": "x", "rows": Rows()}) == "id\r\n1\r\n"
    assert to_csv({"empty": [], "rows": [{"a": 1}]}) == "a\r\n1\r\n"
    with pytest.raises(HTTP) as caught:
        to_csv({"title": "x", "numbers": [1, 2]})
    assert (caught.value.status, caught.value.body) == (404, "nothing to render as CSV")
    assert caught.value.headers["Content-Type"].startswith("text/plain")


def test_to_rss_defaults_to_the_app_and_the_request_url():
    from server.storage import Storage
    from server.views import to_rss

    request = Storage(application="blog", url="/blog/default/feed.rss")
    assert to_rss({"entries": [{"title": None}]}, request) == (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>blog</title>'
        "<link>/blog/default/feed.rss</link><description></description><item><title></title>"
        "<link></link><description></description></item></channel></rss>")


def test_generic_html_titles_the_page_by_controller_and_function(site, http):
    _, base = site
    page = http(base + "/site/default/noview")
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.text.startswith('<!DOCTYPE html><html><head><meta charset="utf-8">'
                                "<title>default/noview</title></head><body><h1>default/noview</h1>")
    data = http(base + "/site/default/data.json")
    assert data.headers["Content-Type"] == "application/json"


def test_an_apps_own_generic_view_wins_over_the_builtin_one(site, http):
    root, base = site
    (root / "applications/site/views/generic.json").write_text('{"own": 1}')
    assert json.loads(http(base + "/site/default/data.json").text) == {"own": 1}


def test_templates_compile_once_until_a_file_they_read_changes(tmp_path):
    from server.views import TemplateCache

    views = tmp_path / "views"
    views.mkdir()
    (views / "page.html").write_text("{{include 'part.html'}}")
    (views / "part.html").write_text("one")
    cache = TemplateCache()
    first = cache.get(views, "page.html", {}, None)
    assert cache.get(views, "page.html", {}, None) is first and cache.compilations == 1
    part = views / "part.html"
    part.write_text("two")
    os.utime(part, ns=(0, part.stat().st_mtime_ns + 1_000_000_000))
    assert cache.get(views, "page.html", {}, None) is not first and cache.compilations == 2
    part.unlink()  # a vanished file counts as changed too
    with pytest.raises(FileNotFoundError):
        cache.get(views, "page.html", {}, None)


def test_own_delimiters_are_used(tmp_path):
    from server.views import compile_template

    (tmp_path / "page.html").write_text("[[='x' * 2]]{{not code}}")
    code, stamps = compile_template(tmp_path, "page.html", {}, ("[[", "]]"))
    assert list(stamps) == [str(tmp_path / "page.html")]
    from server.views import render

    class Response:
        body, delimiters = None, ("[[", "]]")

        def write(self, data, escape=True):
            self.body.write(str(data))

    env = {"request": object(), "response": Response()}
    from server.views import TemplateCache
    assert render(env, tmp_path, "page.html", {}, TemplateCache()) == "xx{{not code}}"


def test_to_rss_in_full_with_several_entries():
    from server.storage import Storage
    from server.views import to_rss

    feed = {"title": "News", "link": "http://x/", "description": "all <news>", "entries": [
        {"title": "One", "link": "http://x/1", "description": "first"},
        {"title": "Two", "link": "http://x/2", "description": "second"}]}
    assert to_rss(feed, Storage(application="blog", url="/u")) == (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>News</title>'
        "<link>http://x/</link><description>all &lt;news&gt;</description>"
        "<item><title>One</title><link>http://x/1</link><description>first</description></item>"
        "<item><title>Two</title><link>http://x/2</link><description>second</description></item>"
        "</channel></rss>")
    assert to_rss({}, Storage(application="blog", url="/u")).endswith(
        "<title>blog</title><link>/u</link><description></description></channel></rss>")


def test_builtin_generic_views_in_full():
    from server.storage import Storage
    from server.views import render_builtin_generic

    request = Storage(controller="default", function="data", application="a", url="/u")
    response = Storage(headers={})
    context = {"items": [1, 2], "_private": "hidden"}
    assert render_builtin_generic("json", context, request, response) == '{"items": [1, 2]}'
    assert response.headers == {"Content-Type": "application/json"}
    assert render_builtin_generic("xml", context, request, Storage(headers={})) == (
        '<?xml version="1.0" encoding="UTF-8"?><document><items><item>1</item><item>2</item>'
        "</items></document>")
    assert render_builtin_generic("html", {}, request, response).endswith(
        "<h1>default/data</h1><table><tbody></tbody></table></body></html>")


def test_generic_view_of_what_it_cannot_show_names_the_extension():
    from server.http import HTTP
    from server.storage import Storage
    from server.views import render_builtin_generic

    with pytest.raises(HTTP) as caught:
        render_builtin_generic("json", {"x": object()}, Storage(), Storage(headers={}))
    assert (caught.value.status, caught.value.body) == (
        406, "the values of this page cannot be rendered as .json")


def test_each_view_has_its_own_cache_entry_and_its_own_file_name(tmp_path):
    from server.views import TemplateCache

    (tmp_path / "a.html").write_text("A")
    (tmp_path / "b.html").write_text("B")
    cache = TemplateCache()
    assert cache.get(tmp_path, "a.html", {}, None) is not cache.get(tmp_path, "b.html", {}, None)
    assert cache.get(tmp_path, "b.html", {}, None).co_filename == str(tmp_path / "b.html")


def test_one_view_name_in_two_folders_and_its_two_forms_are_separate_entries(tmp_path):
    from server.views import TemplateCache

    for app in ("one", "two"):
        (tmp_path / app).mkdir()
        (tmp_path / app / "index.html").write_text(app)
    cache = TemplateCache()
    one, two = (cache.get(tmp_path / app, "index.html", {}, None) for app in ("one", "two"))
    assert (one.co_filename, two.co_filename) == (str(tmp_path / "one" / "index.html"),
                                                  str(tmp_path / "two" / "index.html"))
    plain = cache.get(tmp_path / "one", "index.html", {}, None, direct=False)
    assert plain is not one and cache.compilations == 3
    assert cache.get(tmp_path / "one", "index.html", {}, None) is one


def test_extend_may_name_its_layout_from_the_context(root, wsgi_server, http):
    write_app(root, "dyn", {
        "views/frame.html": "<frame>{{include}}</frame>",
        "views/default/index.html": "{{extend chosen}}inside",
        "controllers/default.py": "def index():\n    return dict(chosen='frame.html')\n",
    })
    assert http(wsgi_server(root) + "/dyn/default/index").text == "<frame>inside</frame>"




def test_a_view_s_parse_error_carries_its_message_whatever_was_imported_first(tmp_path):
    """yatl picks its error class at its own import (gluon's, or a bare RuntimeError when gluon
    was still importing); the views module makes it ours, so the message is never lost."""
    import sys

    from server.restricted import RestrictedError
    from server.views import template_program, yatl_raises_our_errors

    (tmp_path / "broken.html").write_text("{{if True:}}never closed")
    template = sys.modules["yatl.template"]
    template.RestrictedError = lambda *parts: RuntimeError  # what yatl falls back to
    try:
        yatl_raises_our_errors()
        with pytest.raises(RestrictedError, match='missing "pass"') as caught:
            template_program(tmp_path, "broken.html", {}, None)
        assert caught.value.layer == "broken.html"  # the ticket names the view
    finally:
        yatl_raises_our_errors()


def test_a_compiled_apps_views_and_own_generic_view_are_served_with_the_sources_gone(
        root, wsgi_server, http):
    import shutil

    from server.manage.app_compiling import compile_app

    app = write_app(root, "built", {
        "views/layout.html": "<main>{{include}}</main>",
        "views/default/index.html": "{{extend 'layout.html'}}[{{=name}}]",
        "views/generic.json": '{"own": "{{=name}}"}',
        "controllers/default.py": "def index():\n    return dict(name='x')\n"
                                  "def other():\n    response.view = 'default/index.html'\n"
                                  "    return dict(name='y')\n"})
    compile_app(root, "built")
    shutil.rmtree(app / "views")
    shutil.rmtree(app / "controllers")
    base = wsgi_server(root) + "/built/default"
    assert http(base + "/index").text == "<main>[x]</main>"
    assert http(base + "/other").text == "<main>[y]</main>"
    assert json.loads(http(base + "/index.json").text) == {"own": "x"}
    assert "<h1>default/index</h1>" in http(base + "/index.load").text  # the built-in one


def test_a_view_rendering_another_goes_on_writing_its_own_page(root, wsgi_server, http):
    write_app(root, "nest", {
        "views/default/part.html": "<part>{{=x}}</part>",
        "views/default/index.html": "before {{=XML(response.render('default/part.html', "
                                    "dict(x=1)))}} after {{=x}}",
        "controllers/default.py": "def index():\n    return dict(x=2)\n"})
    assert http(wsgi_server(root) + "/nest/default/index").text == "before <part>1</part> after 2"


def test_a_ticket_for_a_view_error_names_the_included_file_and_its_line(root, wsgi_server,
                                                                         http):
    app = write_app(root, "lines", {
        "controllers/default.py": "def index():\n    return dict()\n",
        "views/part.html": "<nav>\n{{=missing_name}}\n</nav>\n",
        "views/default/index.html": "<h1>\n</h1>\n{{include 'part.html'}}\n",
    })
    assert_answer(http(wsgi_server(root) + "/lines/default/index"), 500, "Ticket issued")
    (ticket,) = (app / "errors").iterdir()
    innermost = json.loads(ticket.read_text())["frames"][-1]
    assert (innermost["filename"], innermost["line"]) == (str(app / "views/part.html"), 2)


def test_which_generic_views_an_app_allows(root, wsgi_server, http):
    write_app(root, "some", {
        "models/db.py": "response.generic_patterns = ['default/data.*', '*/x.load'] "
                        "if request.controller == 'default' else None\n",
        "controllers/default.py": "def data():\n    return dict(a=1)\n"
                                  "def other():\n    return dict(a=2)\n"
                                  "def x():\n    return dict(a=3)\n",
        "controllers/plain.py": "def data():\n    return dict(a=4)\n"})
    base = wsgi_server(root) + "/some"
    assert json.loads(http(base + "/default/data.json").text) == {"a": 1}
    assert "<h1>default/data</h1>" in http(base + "/default/data.html").text
    assert "<h1>default/x</h1>" in http(base + "/default/x.load").text
    assert_answer(http(base + "/default/other.json"), 404, "invalid view (default/other.json)")
    assert_answer(http(base + "/default/x.json"), 404, "invalid view (default/x.json)")
    assert_answer(http(base + "/plain/data.json"), 404, "invalid view (plain/data.json)")
    assert_answer(http(base + "/default/data.txt"), 404, "invalid view (default/data.txt)")


def test_a_template_is_kept_by_the_stamps_its_file_stamps_saw(tmp_path):
    """With a check interval, a file's stamp is the one the Application's FileStamps saw; the
    compiled template keeps that one, so it is not compiled again on every request until the
    interval ends (comparing the stat of the moment with the kept look would never match)."""
    from server.file_stamps import FileStamps
    from server.views import TemplateCache

    page = tmp_path / "page.html"
    page.write_text("one")
    stamps = FileStamps(interval=60, clock=lambda: 0.0)
    seen = stamps.mtime(page)
    page.write_text("two")
    os.utime(page, ns=(seen + 10**9, seen + 10**9))  # edited after that look
    cache = TemplateCache(stamps)
    first = cache.get(tmp_path, "page.html", {}, None)
    assert cache.get(tmp_path, "page.html", {}, None) is first and cache.compilations == 1
    stamps.forget()  # the interval is over: the edit is seen
    assert cache.get(tmp_path, "page.html", {}, None) is not first and cache.compilations == 2
