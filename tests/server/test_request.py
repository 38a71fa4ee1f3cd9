"""request.* over real HTTP: vars, args, env, cookies, client, limits and bad input."""

import io
import json
from pathlib import Path

import pytest
from support import assert_answer, write_app

ECHO = '''
import io
import json
from pathlib import Path

def vars():
    return json.dumps(dict(get=request.get_vars, post=request.post_vars, all=request.vars))

def args():
    return json.dumps([request.args, request.args(0, cast=int, default=-1), request.args(5)])

def env():
    return json.dumps(dict(method=request.env.request_method, local=request.is_local,
                           https=request.is_https, client=request.client,
                           folder=request.folder.endswith("/applications/echo/"),
                           ext=request.extension, now=bool(request.now),
                           cookie=request.cookies["flavour"].value if "flavour" in request.cookies else None))

def upload():
    item = request.vars.doc
    return json.dumps(dict(name=item.filename, data=item.value.decode(), title=request.vars.title))

def body():
    return request.body.read().decode()

def untouched():
    return "the body was never read"

def storage():
    agent = request.user_agent()
    return json.dumps(dict(app='%(application)s/%(controller)s' % request, get=request.get('x'),
                           missing=request.no_such_thing, mobile=agent.is_mobile,
                           keys=[request['no_such'], response['no_such'], session['no_such']],
                           listed='application' in list(request) and 'body' in dict(response),
                           browser=agent.browser.name, wsgi='environ' in request.wsgi,
                           uuid=request.uuid.startswith('echo/'),
                           version=request.global_settings.web2py_version.split('-')[0]))
'''


@pytest.fixture
def base(root, wsgi_server):
    write_app(root, "echo", {"controllers/default.py": ECHO})
    return wsgi_server(root, max_body_size=1000) + "/echo/default"


def test_get_and_post_vars_with_repeated_keys_as_lists(base, http):
    answer = http(base + "/vars?a=1&b=2&b=3", data=b"c=4&c=5&a=6",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    data = json.loads(answer.text)
    assert data["get"] == {"a": "1", "b": ["2", "3"]}
    assert data["post"] == {"c": ["4", "5"], "a": "6"}
    assert data["all"] == {"a": ["1", "6"], "b": ["2", "3"], "c": ["4", "5"]}


def test_args_with_cast_and_default(base, http):
    assert json.loads(http(base + "/args/7/x").text) == [["7", "x"], 7, None]
    assert json.loads(http(base + "/args").text) == [[], -1, None]


def test_args_that_do_not_cast_are_404(base, http):
    assert_answer(http(base + "/args/notanumber"), 404, "invalid argument")


def test_env_client_cookies(base, http):
    data = json.loads(http(base + "/env.json", headers={"Cookie": "flavour=lemon"}).text)
    assert data == {"method": "GET", "local": True, "https": False, "client": "127.0.0.1",
                    "folder": True, "ext": "json", "now": True, "cookie": "lemon"}


def test_forwarded_for_does_not_make_a_request_local(base, http):
    data = json.loads(http(base + "/env", headers={"X-Forwarded-For": "10.1.2.3"}).text)
    assert data["client"] == "10.1.2.3" and data["local"] is False


def test_malformed_cookie_header_is_ignored(base, http):
    assert http(base + "/env", headers={"Cookie": 'bad"cookie;;=;'}).status == 200


def test_multipart_upload(base, http):
    boundary = "XyZ"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a.txt\"\r\n"
            f"Content-Type: text/plain\r\n\r\nfile body\r\n--{boundary}--\r\n").encode()
    answer = http(base + "/upload", data=body,
                  headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert json.loads(answer.text) == {"name": "a.txt", "data": "file body", "title": "hello"}


def test_raw_body(base, http):
    assert http(base + "/body", data=b'{"x": 1}',
                headers={"Content-Type": "application/json"}).text == '{"x": 1}'


def test_oversized_body_is_413(base, http):
    answer = http(base + "/vars", data=b"a=" + b"x" * 2000,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_answer(answer, 413, "request body too large (limit 1000 bytes)")


def test_oversized_multipart_is_413(base, http):
    body = (b"--B\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a\"\r\n\r\n"
            + b"x" * 5000 + b"\r\n--B--\r\n")
    answer = http(base + "/upload", data=body,
                  headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert_answer(answer, 413, "request body too large (limit 1000 bytes)")


def test_invalid_utf8_in_query_and_body_is_400(base, http):
    assert_answer(http(base + "/vars?a=%FF"), 400,
                  "invalid request: variables are not valid UTF-8")
    answer = http(base + "/vars", data=b"a=%FF%FE",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_answer(answer, 400, "invalid request: variables are not valid UTF-8")


def test_malformed_multipart_is_400(base, http):
    answer = http(base + "/upload", data=b"garbage without boundary",
                  headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert_answer(answer, 400, "invalid request: malformed form data")


def test_bad_json_body_is_400(base, http):
    answer = http(base + "/vars", data=b"{not json",
                  headers={"Content-Type": "application/json"})
    assert_answer(answer, 400, "invalid request: body is not valid JSON")


@pytest.mark.parametrize(("remote", "forwarded", "client", "local"), [
    ("203.0.113.9", "127.0.0.1", "203.0.113.9", False),  # not from a local proxy: ignored
    ("127.0.0.1", "198.51.100.7, 10.0.0.1", "10.0.0.1", False),  # right-most is who we know
    ("127.0.0.1", "6.6.6.6, 198.51.100.7, 127.0.0.1", "198.51.100.7", False),  # skip proxies
    ("127.0.0.1", "127.0.0.1", "127.0.0.1", True),
    ("127.0.0.1", "<script>", "127.0.0.1", False),  # not an address: the proxy itself
    ("::1", "2001:db8::1", "2001:db8::1", False),
    ("", None, "unknown", False),  # an empty REMOTE_ADDR is not local
    ("", "127.0.0.1", "unknown", False),
])
def test_forwarded_for_right_most_untrusted_entry_from_a_local_proxy(remote, forwarded, client,
                                                                      local):
    from server.request import Request
    from server.routing import Route

    environ = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        environ["HTTP_X_FORWARDED_FOR"] = forwarded
    request = Request(environ, Route("echo"), __import__("pathlib").Path("/tmp"))
    assert (request.client, request.is_local) == (client, local)


REST = {"controllers/api.py": """
    @request.restful()
    def person():
        def GET(id=None, **vars):
            return dict(id=id, extension=request.extension, q=vars.get("q"))

        def POST(**vars):
            return dict(created=vars.get("name"))

        def PUT(name):
            return dict(renamed=name)
        return locals()
"""}


def test_restful_dispatches_by_method_with_args_and_vars(root, wsgi_server, http):
    write_app(root, "rest", REST)
    base = wsgi_server(root) + "/rest/api/person"
    assert json.loads(http(base + "/7.json?q=x").text) == {"id": "7", "extension": "json", "q": "x"}
    answer = http(base + ".json", data=b"name=Ann",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert json.loads(answer.text) == {"created": "Ann"}


def test_restful_refuses_unknown_methods_and_bad_arguments(root, wsgi_server, http):
    write_app(root, "rest", REST)
    base = wsgi_server(root) + "/rest/api/person"
    assert_answer(http(base + ".json", method="DELETE"), 405, "method DELETE not allowed")
    assert_answer(http(base + "/1/2/3.json"), 400,
                  "invalid arguments: too many positional arguments")


def test_request_is_storage_like_and_parses_the_user_agent(base, http):
    phone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
    answer = json.loads(http(base + "/storage", headers={"User-Agent": phone}).text)
    assert answer == dict(app="echo/default", get=None, missing=None, keys=[None] * 3, listed=True,
                          mobile=True,
                          browser="Safari", wsgi=True, uuid=True, version="3.3.3")


def test_restful_errors_are_plain_text_whatever_the_client_named(root, live_server):
    from support import raw_exchange, tickets

    app = write_app(root, "rest", REST)
    url = live_server(root)
    body = b"name=x&%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E=1"
    request = (b"PUT /rest/api/person.json HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
               b"Content-Type: application/x-www-form-urlencoded\r\n"
               b"Content-Length: %d\r\n\r\n" % len(body)) + body
    (answer,) = raw_exchange(url, request)
    assert_answer(answer, 400, "invalid arguments: got an unexpected keyword argument '<img ")
    assert answer.header("content-type") == "text/plain; charset=utf-8"
    assert answer.header("x-content-type-options") == "nosniff"
    assert len(answer.body.splitlines()) == 1 and b"Traceback" not in answer.body
    assert tickets(app) == []


# ----- hostile bodies, over raw sockets ----------------------------------------------------
@pytest.fixture
def roomy(root, live_server):
    """The echo app on a server with the default body limit: (base url, app folder)."""
    app = write_app(root, "echo", {"controllers/default.py": ECHO})
    return live_server(root), app


def post_raw(url: str, path: str, content_type: str, body: bytes):
    from support import raw_exchange

    head = (f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    return raw_exchange(url, head + body)[0]


def assert_refused(roomy, answer, status):
    from support import assert_client_mistake

    url, app = roomy
    assert_client_mistake(answer, status, app, url + "/echo/default/untouched")


def test_a_thousand_values_under_one_name_are_parsed(roomy):
    url, _ = roomy
    answer = post_raw(url, "/echo/default/vars", "application/x-www-form-urlencoded",
                      "&".join(["a=1"] * 1000).encode())
    assert answer.status == 200
    assert json.loads(answer.body)["post"]["a"] == ["1"] * 1000


@pytest.mark.parametrize("body", [
    "&".join(["a=1"] * 1001),  # many values under one name
    "&".join(f"n{i}=1" for i in range(5000)),  # many names
])
def test_more_than_max_fields_is_413(roomy, body):
    url, _ = roomy
    answer = post_raw(url, "/echo/default/vars", "application/x-www-form-urlencoded",
                      body.encode())
    assert_refused(roomy, answer, 413)
    assert b"too many fields" in answer.body


def test_more_than_max_fields_in_the_query_string_is_413(roomy):
    from support import raw_exchange

    url, _ = roomy
    query = "&".join(["q=1"] * 1001)
    (answer,) = raw_exchange(url, f"GET /echo/default/vars?{query} HTTP/1.1\r\nHost: t\r\n"
                                  "Connection: close\r\n\r\n".encode())
    assert_refused(roomy, answer, 413)


def test_more_than_max_fields_in_multipart_is_413(roomy):
    url, _ = roomy
    part = b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
    answer = post_raw(url, "/echo/default/vars", "multipart/form-data; boundary=B",
                      part * 1001 + b"--B--\r\n")
    assert_refused(roomy, answer, 413)


def test_deep_json_is_400(roomy):
    url, _ = roomy
    answer = post_raw(url, "/echo/default/vars", "application/json",
                      b"[" * 100_000 + b"]" * 100_000)
    assert_refused(roomy, answer, 400)


@pytest.mark.parametrize(("content_type", "body"), [
    ("application/json", b'{"<b>x</b>": '),
    ("multipart/form-data; boundary=B", b'--B\r\nContent-Disposition: form-data; name="<i>"\r\n'),
    ("application/x-www-form-urlencoded", b"%3Cb%3E=%FF"),
])
def test_malformed_bodies_are_plain_400s_that_echo_nothing(roomy, content_type, body):
    url, _ = roomy
    answer = post_raw(url, "/echo/default/vars", content_type, body)
    assert_refused(roomy, answer, 400)
    assert answer.header("content-type").startswith("text/plain")


# ----- the Request object itself, from a WSGI environ (web2py's ``Request(env)``) -----------
def build(environ=None, route=None, folder=None, **limits):
    from server.request import Request

    return Request({} if environ is None else environ, route, folder, **limits)


def refusal(environ, read="post_vars", **limits):
    """The (status, reason, content type) of the client error reading ``read`` raises."""
    from server.http import HTTP

    with pytest.raises(HTTP) as caught:
        getattr(build(environ, **limits), read)
    error = caught.value
    return error.status, str(error.body), error.headers["Content-Type"]


def test_a_bare_environ_is_a_request_with_web2pys_empty_defaults():
    environ = {}
    request = build(environ)
    assert (request.application, request.controller, request.function) == (None, None, None)
    assert request.folder is None and request.method == "GET" and request.args == []
    assert request.get_vars == {} and request.post_vars == {} and request.body.read() == b""
    flags = (request.is_https, request.is_restful, request.is_scheduler, request.is_shell,
             request.ajax, request.is_local)
    assert all(flag is False for flag in flags) and request.cid is None
    assert request.client == "unknown" and request.wsgi.environ is environ


def test_the_route_gives_names_language_and_rewrite():
    from server.routing import Route

    rewrite = object()
    request = build({"REQUEST_METHOD": "post"}, Route("shop", "cart", "add", "json", ["7"],
                                                        language="fr", rewrite=rewrite),
                    Path("/srv/shop"))
    assert (request.application, request.controller, request.function, request.extension,
            request.args, request.uri_language) == ("shop", "cart", "add", "json", ["7"], "fr")
    assert request._rewrite is rewrite and request.folder == "/srv/shop/" and request.method == "POST"


@pytest.mark.parametrize(("environ", "https"), [
    ({"wsgi.url_scheme": "https"}, True), ({"HTTPS": "on"}, True),
    ({"wsgi.url_scheme": "http", "HTTPS": "off"}, False),
])
def test_https_is_the_wsgi_scheme_or_the_cgi_flag(environ, https):
    assert build(environ).is_https is https


@pytest.mark.parametrize(("header", "ajax"), [("XMLHttpRequest", True), ("fetch", False)])
def test_ajax_and_the_component_come_from_web2py_js_headers(header, ajax):
    request = build({"HTTP_X_REQUESTED_WITH": header, "HTTP_WEB2PY_COMPONENT_ELEMENT": "c1"})
    assert request.ajax is ajax and request.cid == "c1"


def test_env_keys_are_lowercase_with_underscores():
    env = build({"wsgi.url_scheme": "https", "HTTP_USER_AGENT": "x"}).env
    assert env.wsgi_url_scheme == "https" and env.http_user_agent == "x"


@pytest.mark.parametrize(("address", "local"), [
    ("127.0.0.2", True), ("::ffff:127.0.0.2", True), ("::ffff:10.0.0.1", False),
    ("localhost", True), ("not-an-address", False),
])
def test_loopback_addresses_in_every_spelling_are_local(address, local):
    from server.request import is_local_address

    assert is_local_address(address) is local


def test_every_hop_of_a_comma_list_without_spaces_is_checked():
    request = build({"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "127.0.0.1,::1"})
    assert request.is_local is True and request.client == "127.0.0.1"


def test_blank_values_are_kept_and_utf8_is_decoded():
    assert build({"QUERY_STRING": "a=&b=%C3%A9"}).get_vars == {"a": "", "b": "é"}


def test_max_fields_bounds_the_query_and_the_form_body():
    assert build({"QUERY_STRING": "a=1&b=2"}, max_fields=2).get_vars == {"a": "1", "b": "2"}
    from server.http import HTTP

    with pytest.raises(HTTP) as caught:
        build({"QUERY_STRING": "a=1&b=2&c=3"}, max_fields=2)
    assert (caught.value.status, str(caught.value.body)) == (413, "too many fields (limit 2)")
    form = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "wsgi.input": io.BytesIO(b"a=1&b=2&c=3")}
    assert refusal(form, max_fields=2) == (413, "too many fields (limit 2)", PLAIN)
    parts = b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n' * 3 + b"--B--\r\n"
    multipart_form = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "multipart/form-data; boundary=B",
                      "wsgi.input": io.BytesIO(parts)}
    status, reason, _ = refusal(multipart_form, max_fields=2)
    assert status == 413 and reason.startswith("form data over a limit")


PLAIN = "text/plain; charset=utf-8"


def test_a_declared_length_over_the_limit_is_refused_before_any_reading():
    from server.http import HTTP

    with pytest.raises(HTTP) as caught:
        build({"CONTENT_LENGTH": "11", "wsgi.input": io.BytesIO(b"")}, max_body_size=10)
    assert (caught.value.status, str(caught.value.body)) == (
        413, "request body too large (limit 10 bytes)")
    with pytest.raises(HTTP) as caught:
        build({"CONTENT_LENGTH": "ten"})
    assert (caught.value.status, str(caught.value.body), caught.value.headers["Content-Type"]) == (
        400, "invalid request: bad Content-Length", PLAIN)


def test_a_body_of_exactly_the_limit_is_read_whole():
    body = build({"CONTENT_LENGTH": "10", "wsgi.input": io.BytesIO(b"0123456789")},
                 max_body_size=10).body
    assert body.read() == b"0123456789"
    chunked = build({"wsgi.input": io.BytesIO(b"0123456789")}, max_body_size=10)
    assert chunked.body.read() == b"0123456789"


def test_the_body_is_what_content_length_declares():
    request = build({"CONTENT_LENGTH": "3", "wsgi.input": io.BytesIO(b"abcdef")})
    assert request.body.read() == b"abc"
    assert build({"CONTENT_LENGTH": "0", "wsgi.input": io.BytesIO(b"abc")}).body.read() == b""


def test_a_chunked_body_over_the_limit_is_413():
    status, reason, kind = refusal({"wsgi.input": io.BytesIO(b"x" * 11)}, read="body",
                                   max_body_size=10)
    assert (status, reason, kind) == (413, "request body too large (limit 10 bytes)", PLAIN)


def test_a_body_shorter_than_declared_is_400():
    assert refusal({"CONTENT_LENGTH": "10", "wsgi.input": io.BytesIO(b"abc")}, read="body") == (
        400, "invalid request: the body is shorter than its Content-Length", PLAIN)


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_form_bodies_of_every_writing_method_are_parsed(method):
    request = build({"REQUEST_METHOD": method, "CONTENT_TYPE": "application/x-www-form-urlencoded",
                     "wsgi.input": io.BytesIO(b"a=1")})
    assert request.post_vars == {"a": "1"}


@pytest.mark.parametrize(("content_type", "body", "reason"), [
    ("application/x-www-form-urlencoded", b"a=%FF", "invalid request: variables are not valid UTF-8"),
    ("application/x-www-form-urlencoded", b"\xff=1", "invalid request: body is not valid UTF-8"),
    ("application/json", b"{not json", "invalid request: body is not valid JSON"),
])
def test_undecodable_bodies_say_why(content_type, body, reason):
    environ = {"REQUEST_METHOD": "POST", "CONTENT_TYPE": content_type, "wsgi.input": io.BytesIO(body)}
    assert refusal(environ) == (400, reason, PLAIN)


def test_undecodable_query_says_why():
    from server.http import HTTP

    with pytest.raises(HTTP) as caught:
        build({"QUERY_STRING": "a=%FF"})
    assert (caught.value.status, str(caught.value.body)) == (
        400, "invalid request: variables are not valid UTF-8")


@pytest.mark.parametrize(("body", "post_vars"), [
    (b'{"a": 1}', {"a": 1}), (b"[1, 2]", {}), (b"  ", {}),
])
def test_json_objects_become_post_vars_and_anything_else_none(body, post_vars):
    request = build({"REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json",
                     "wsgi.input": io.BytesIO(body)})
    assert request.post_vars == post_vars


def test_an_uploaded_file_keeps_its_name_type_size_and_starts_at_zero():
    body = (b'--B\r\nContent-Disposition: form-data; name="doc"; filename="a.txt"\r\n'
            b"Content-Type: text/csv\r\n\r\nx,y\r\n--B--\r\n")
    request = build({"REQUEST_METHOD": "POST", "CONTENT_TYPE": "multipart/form-data; boundary=B",
                     "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body)})
    upload = request.post_vars.doc
    assert (upload.name, upload.filename, upload.type, upload.length) == ("doc", "a.txt",
                                                                          "text/csv", 3)
    assert upload.file.read() == b"x,y" and upload.value == b"x,y"


def multipart_environ(body: bytes, **extra) -> dict:
    return {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "multipart/form-data; boundary=B",
            "wsgi.input": io.BytesIO(body), **extra}


def test_a_chunked_multipart_body_is_bounded_by_the_body_limit_exactly():
    part = b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n'
    value = b"x" * (100 - len(part) - len(b"\r\n--B--\r\n"))
    body = part + value + b"\r\n--B--\r\n"
    assert len(body) == 100
    assert build(multipart_environ(body), max_body_size=100).post_vars.a == value.decode()
    assert refusal(multipart_environ(body), max_body_size=99) == (
        413, "request body too large (limit 99 bytes)", PLAIN)


def test_multipart_refusals_say_which_limit_or_what_is_malformed():
    parts = b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n' * 3 + b"--B--\r\n"
    status, reason, _ = refusal(multipart_environ(parts), max_fields=2)
    assert status == 413 and reason.endswith("; at most 2 fields)")
    status, reason, kind = refusal(multipart_environ(b"--B\r\nno headers"))
    assert (status, kind) == (400, PLAIN)
    assert reason.startswith("invalid request: malformed form data (") and reason.endswith(")")
    assert refusal({"REQUEST_METHOD": "POST", "CONTENT_TYPE": "multipart/form-data; boundary=B"}
                   )[0] == 400  # no body at all


class QuietClient(io.RawIOBase):
    """A client that stopped sending mid-body: the server's read times out."""

    def read(self, size=-1):
        raise TimeoutError("timed out")


def test_a_body_the_client_stopped_sending_is_400():
    environ = {"CONTENT_LENGTH": "10", "wsgi.input": QuietClient()}
    assert refusal(environ, read="body") == (
        400, "invalid request: the body could not be read", PLAIN)


def test_the_parts_built_on_first_read_say_what_the_environ_says_and_are_listed():
    from server.request import Request

    environ = {"REQUEST_METHOD": "GET", "REMOTE_ADDR": "127.0.0.1", "PATH_INFO": "/a/b/c",
               "HTTP_X_FORWARDED_FOR": "203.0.113.9", "HTTP_COOKIE": "k=v"}
    request = Request(environ)
    assert {"client", "is_local", "cookies", "wsgi", "env"} <= set(request.keys())
    assert (request.client, request.is_local) == ("203.0.113.9", False)
    assert request.cookies["k"].value == "v" and request.wsgi.environ is environ
    local = Request({"REMOTE_ADDR": "::1"})
    assert (local.client, local.is_local, len(local.cookies)) == ("::1", True, 0)
    chosen = Request(environ)
    chosen.client = "198.51.100.1"  # an app's own value wins, as any attribute's
    assert chosen.client == "198.51.100.1" and chosen["client"] == "198.51.100.1"
