"""Views: yatl rendering with extend/include/block, escaping, compiled-template cache, generics."""

import json
import time

import pytest
from support import write_app

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
    answer = http(wsgi_server(root) + "/evil/default/index")
    assert (answer.status, answer.text) == (404, "invalid view")


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
    assert answer.status == 500 and "hunter2" not in answer.text
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
