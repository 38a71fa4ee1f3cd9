"""URL parsing and URL() building, and the HTTP answers for bad paths on a live server."""

import pytest
from support import write_app

from server.current import current
from server.http import HTTP
from server.routing import URL, decode_path_info, parse_path, verify_url
from server.storage import Storage


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", ("welcome", "default", "index", "html", [])),
        ("/blog", ("blog", "default", "index", "html", [])),
        ("/blog/posts", ("blog", "posts", "index", "html", [])),
        ("/blog/posts/show.json/3/x", ("blog", "posts", "show", "json", ["3", "x"])),
        ("/blog/posts/show/", ("blog", "posts", "show", "html", [])),
    ],
)
def test_parse_path_splits_application_controller_function_extension_args(path, expected):
    route = parse_path(path)
    assert (route.application, route.controller, route.function, route.extension,
            route.args) == expected


def test_parse_path_recognises_static_files():
    route = parse_path("/blog/static/css/site.css")
    assert route.static == "css/site.css"


@pytest.mark.parametrize("path", ["/bl-og", "/blog/po$ts", "/blog/posts/sh!ow",
                                  "/blog/posts/show.j-s", "/blog/posts/show/..", "/blog/p/f/a<b"])
def test_bad_names_are_400(path):
    with pytest.raises(HTTP) as caught:
        parse_path(path)
    assert caught.value.status == 400


def test_path_info_that_is_not_utf8_is_400():
    with pytest.raises(HTTP) as caught:
        decode_path_info(b"/app/\xff".decode("latin-1"))
    assert caught.value.status == 400


@pytest.fixture
def fake_request():
    current.request = Storage(application="blog", controller="posts", function="index",
                              extension="html", env=Storage(http_host="example.org:8000",
                                                            wsgi_url_scheme="http"))
    current.session = Storage()
    yield current.request
    del current.request, current.session


def test_url_positional_forms(fake_request):
    assert URL("show") == "/blog/posts/show"
    assert URL("default", "show") == "/blog/default/show"
    assert URL("other", "default", "show") == "/other/default/show"
    assert URL("static", "css/x.css") == "/blog/static/css/x.css"


def test_static_urls_carry_the_static_version_when_asked(fake_request):
    current.response = Storage(static_version="1.2.3", static_version_urls=True)
    try:
        assert URL("static", "css/x.css") == "/blog/static/_1.2.3/css/x.css"
    finally:
        del current.response


def test_url_args_vars_anchor_extension(fake_request):
    url = URL("show", args=[3, "a b"], vars=dict(q="x y", n=[1, 2]), anchor="top",
              extension="json")
    assert url == "/blog/posts/show.json/3/a%20b?n=1&n=2&q=x+y#top"


def test_url_with_scheme_and_host(fake_request):
    assert URL("show", scheme=True, host=True) == "http://example.org:8000/blog/posts/show"


def test_signed_url_verifies_and_rejects_tampering(fake_request):
    url = URL("edit", args=[5], vars=dict(a="1"), user_signature=True)
    path, query = url.split("?")
    signature = dict(pair.split("=") for pair in query.split("&"))["_signature"]
    good = Storage(env=Storage(path_info=path), get_vars=Storage(a="1", _signature=signature))
    assert verify_url(good)
    tampered = Storage(env=Storage(path_info="/blog/posts/edit/6"),
                       get_vars=Storage(a="1", _signature=signature))
    assert not verify_url(tampered)
    current.session = Storage()  # another user: another key
    assert not verify_url(good)


def test_live_bad_paths_get_clear_4xx_never_500(root, live_server, http):
    write_app(root, "blog", {"controllers/default.py": "def index():\n    return 'home'\n"})
    base = live_server(root)
    assert http(base + "/blog/default/index").text == "home"
    assert http(base + "/blog/de-fault/index").status == 400
    assert http(base + "/nosuchapp/default/index").status == 404
    assert http(base + "/blog/nosuch/index").status == 404
    assert http(base + "/blog/default/nosuch").status == 404
    assert http(base + "/blog/default/index/%FF").status == 400
    answer = http(base + "/blog/default/%3Cscript%3E")
    assert answer.status == 400 and "<script>" not in answer.text
