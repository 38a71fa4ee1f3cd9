"""URL parsing and URL() building, and the HTTP answers for bad paths on a live server."""

from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support import write_app

from server.current import current
from server.http import HTTP
from server.routing import (
    ARG_SAFE,
    URL,
    decode_path_info,
    parse_path,
    quote_arg,
    sign_url,
    verify_url,
)
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
    assert (route.application, route.static) == ("blog", "css/site.css")


def test_parse_path_static_folder_itself_is_a_static_route():
    route = parse_path("/blog/static")
    assert (route.application, route.static) == ("blog", "")


def test_parse_path_uses_the_default_application_for_the_root():
    assert parse_path("/", default_application="shop").application == "shop"
    assert parse_path("//shop//items/").controller == "items"


@pytest.mark.parametrize(("path", "reason"), [
    ("/bl-og", "invalid request: bad application name"),
    ("/blog/po$ts", "invalid request: bad controller name"),
    ("/blog/posts/sh!ow", "invalid request: bad function name"),
    ("/blog/posts/show.j-s", "invalid request: bad function name"),
    ("/blog/posts/show/..", "invalid request: bad arguments"),
    ("/blog/posts/show/.", "invalid request: bad arguments"),
    ("/blog/p/f/a<b", "invalid request: bad arguments"),
])
def test_bad_names_are_400_with_a_reason(path, reason):
    with pytest.raises(HTTP) as caught:
        parse_path(path)
    assert (caught.value.status, caught.value.body) == (400, reason)


def test_path_info_is_reread_as_utf8():
    assert decode_path_info("/caf\xc3\xa9") == "/café"


def test_path_info_that_is_not_utf8_is_400():
    with pytest.raises(HTTP) as caught:
        decode_path_info(b"/app/\xff".decode("latin-1"))
    assert caught.value.status == 400
    assert caught.value.body == "invalid request: the path is not valid UTF-8"


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


def test_bad_paths_get_clear_4xx_never_500(root, wsgi_server, http):
    write_app(root, "blog", {"controllers/default.py": "def index():\n    return 'home'\n"})
    base = wsgi_server(root)
    assert http(base + "/blog/default/index").text == "home"
    for path, status, reason in [
        ("/blog/de-fault/index", 400, "invalid request: bad controller name"),
        ("/nosuchapp/default/index", 404, "invalid application"),
        ("/blog/nosuch/index", 404, "invalid controller (nosuch/index)"),
        ("/blog/default/nosuch", 404, "invalid function (default/nosuch)"),
        ("/blog/default/index/%FF", 400, "invalid request: the path is not valid UTF-8"),
    ]:
        answer = http(base + path)
        assert (answer.status, answer.text) == (status, reason), path
        assert answer.headers["Content-Type"] == "text/plain; charset=utf-8", path
    answer = http(base + "/blog/default/%3Cscript%3E")
    assert (answer.status, answer.text) == (400, "invalid request: bad function name")


@pytest.fixture
def no_request():
    """No request in ``current`` (URL() called from a script, cron or the shell)."""
    saved = {name: getattr(current, name) for name in ("request", "response", "session")
             if hasattr(current, name)}
    for name in saved:
        delattr(current, name)
    yield
    for name, value in saved.items():
        setattr(current, name, value)


def test_url_without_a_request_uses_the_defaults(no_request):
    assert URL() == "/welcome/default/index"
    assert URL("show") == "/welcome/default/show"
    assert URL("blog", "posts", "show") == "/blog/posts/show"
    assert URL("static", "x.css") == "/welcome/static/x.css"
    assert URL("show", scheme=True) == "http://localhost/welcome/default/show"
    assert "_signature" not in URL("show", user_signature=True)


def test_an_empty_stand_in_request_means_the_defaults_too(no_request):
    """A shell or task may put an empty Storage on current.request: web2py's URL reads it as
    no request at all."""
    current.request = Storage()
    assert URL("show") == "/welcome/default/show"
    assert URL("posts", "show", args="x") == "/welcome/posts/show/x"
    assert URL() == "/welcome/default/index"


def test_url_takes_a_function_object_by_its_name(fake_request):
    def archive():
        pass

    assert URL(f=archive) == "/blog/posts/archive"


def test_static_version_needs_both_the_version_and_the_switch(fake_request):
    for response in (Storage(static_version="1.2.3", static_version_urls=False),
                     Storage(static_version_urls=True), type("R", (), {"static_version": "1"})()):
        current.response = response
        try:
            assert URL("static", "css/x.css") == "/blog/static/css/x.css"
        finally:
            del current.response


def test_static_urls_take_scheme_host_and_port(fake_request):
    assert URL("static", "x.css", scheme=True, host=True) == "http://example.org:8000/blog/static/x.css"
    assert URL("static", "x.css", scheme="https", host="cdn.org", port=8443) == \
        "https://cdn.org:8443/blog/static/x.css"


def test_the_last_dot_of_the_function_is_the_extension(fake_request):
    assert URL("show.json") == "/blog/posts/show.json"
    assert URL("page.x.html") == "/blog/posts/page.x"
    assert URL("show", extension="html") == "/blog/posts/show"


def test_url_keeps_the_requests_extension_only_for_the_current_function(fake_request):
    fake_request.extension = "json"
    assert URL() == "/blog/posts/index.json"
    assert URL(c="other") == "/blog/other/index.json"
    assert URL("show") == "/blog/posts/show"
    assert URL(extension="xml") == "/blog/posts/index.xml"
    fake_request.extension = "html"
    assert URL() == "/blog/posts/index"
    fake_request.function = "listing"
    assert URL() == "/blog/posts/listing"


def test_url_args_a_single_value_and_slashes(fake_request):
    assert URL("show", args="ab") == "/blog/posts/show/ab"
    assert URL("show", args=7) == "/blog/posts/show/7"
    assert URL("show", args=["a/b"]) == "/blog/posts/show/a%2Fb"
    assert URL("show", args=["a b", 1], url_encode=False) == "/blog/posts/show/a b/1"


@given(st.text() | st.text(alphabet="aZ09_.~@=,:+-/% ?#&\u00e9"))
def test_an_argument_is_quoted_as_urllib_quotes_it(text):
    """quote_arg gives back at once what needs no quoting; the result is always quote's."""
    assert quote_arg(text) == quote(text, safe=ARG_SAFE)


def test_url_port_replaces_the_port_of_the_host_name(fake_request):
    assert URL("show", port=8443) == "http://example.org:8443/blog/posts/show"
    assert URL("show", host="h.org:1", port=2) == "http://h.org:2/blog/posts/show"


def test_url_scheme_and_host_each_alone(fake_request):
    assert URL("show", scheme="https") == "https://example.org:8000/blog/posts/show"
    assert URL("show", host="h.org") == "http://h.org/blog/posts/show"
    fake_request.env.wsgi_url_scheme = "https"
    assert URL("show", host=True) == "https://example.org:8000/blog/posts/show"


def signed(url: str) -> Storage:
    """The request a browser following ``url`` would make (path and get_vars)."""
    path, _, query = url.partition("?")
    return Storage(env=Storage(path_info=path),
                   get_vars=Storage(pair.split("=") for pair in query.split("&") if pair))


def test_sign_url_is_hmac_sha256_of_path_and_sorted_vars():
    import hashlib
    import hmac

    expected = hmac.new(b"k", b"/a/c/f?x=1&y=2", hashlib.sha256).hexdigest()
    assert sign_url("/a/c/f", {"y": 2, "x": 1, "_signature": "old"}, "k") == expected
    salted = hmac.new(b"k", b"/a/c/f?x=1salt", hashlib.sha256).hexdigest()
    assert sign_url("/a/c/f", {"x": 1}, "k", salt="salt") == salted


def test_hash_vars_names_the_vars_that_are_signed(fake_request):
    for names in (["amount"], "amount"):
        request = signed(URL("edit", vars=dict(amount="1", b="2"), hmac_key="k", hash_vars=names))
        assert verify_url(request, hmac_key="k", hash_vars=names)
        request.get_vars.b = "changed"
        assert verify_url(request, hmac_key="k", hash_vars=names)
        request.get_vars.amount = "changed"
        assert not verify_url(request, hmac_key="k", hash_vars=names)
    request = signed(URL("edit", vars=dict(a="1"), hmac_key="k", hash_vars=False))
    request.get_vars.a = "changed"
    assert verify_url(request, hmac_key="k", hash_vars=False)
    assert not verify_url(request, hmac_key="k")


def test_salt_is_part_of_the_signature(fake_request):
    request = signed(URL("edit", vars=dict(a="1"), hmac_key="k", salt="pepper"))
    assert verify_url(request, hmac_key="k", salt="pepper")
    assert not verify_url(request, hmac_key="k")


def test_user_signature_uses_the_logged_in_users_key(fake_request):
    current.session.auth = Storage(hmac_key="users-key")
    assert URL("edit", user_signature=True) == URL("edit", hmac_key="users-key")
    for auth in (Storage(user=Storage(id=1)), {"user": {"id": 1}}):  # no key: the session's
        current.session.auth = auth
        url = URL("edit", user_signature=True)
        assert url == URL("edit", hmac_key=current.session._signature_key)
        assert verify_url(signed(url))


def test_verify_url_without_a_key_is_false(fake_request):
    url = URL("edit", user_signature=True)
    assert not verify_url(signed(url), user_signature=False)
    assert not verify_url(signed("/blog/posts/edit"))
    del current.session
    try:
        assert not verify_url(signed(url))
    finally:
        current.session = Storage()


@pytest.mark.parametrize("path", [
    "/blog/" + "c" * 5000 + "/index",  # longer than a file name may be
    "/" + "a" * 300 + "/default/index",
    "/blog/default/" + "f" * 300,
    "/blog/d%00f/index", "/blog/default/in%0Adex", "/blog/%C3%A9t%C3%A9/index",
    "/blog/default/index/%00", "/blog/default/index.%FF",
])
def test_long_and_odd_names_over_raw_sockets_are_400(root, live_server, path):
    from support import assert_client_mistake, raw_exchange

    app = write_app(root, "blog", {"controllers/default.py": "def index():\n    return 'home'\n"})
    url = live_server(root)
    (answer,) = raw_exchange(url, f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                             .encode())
    assert_client_mistake(answer, 400, app, url + "/blog/default/index", b"home")


def test_absolute_urls_never_carry_a_host_the_server_was_not_started_on(root, live_server):
    from support import raw_exchange

    write_app(root, "abs", {"controllers/default.py":
                            "def index():\n    return URL('index', scheme=True)\n"})
    url = live_server(root)
    port = url.rsplit(":", 1)[1]

    def absolute(host: str):
        request = f"GET /abs/default/index HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        return raw_exchange(url, request.encode())[0]

    assert absolute(f"localhost:{port}").text == f"http://localhost:{port}/abs/default/index"
    forged = absolute("attacker.example")
    assert (forged.status, forged.body) == (403, b"Invalid Hostname")


def test_a_path_parsed_again_gives_a_route_of_its_own_and_a_bad_one_is_refused_again():
    from server.routing import route_of_path_info

    first = route_of_path_info("/app/default/show.json/1/2")
    first.args.append("changed")
    first.controller = "other"
    again = route_of_path_info("/app/default/show.json/1/2")
    assert (again.application, again.controller, again.function, again.extension,
            again.args) == ("app", "default", "show", "json", ["1", "2"])
    assert route_of_path_info("/").application == "welcome"
    assert route_of_path_info("/", "mine").application == "mine"
    assert route_of_path_info("/app/static/css/x.css").static == "css/x.css"
    long_path = "/app/default/index/" + "a" * 300
    assert route_of_path_info(long_path).args == ["a" * 300]
    for _ in range(2):
        with pytest.raises(HTTP) as refused:
            route_of_path_info("/app/default/bad-name")
        assert refused.value.status == 400
    with pytest.raises(HTTP):
        route_of_path_info("/caf\xc3")  # latin-1 text of bytes that are no UTF-8
