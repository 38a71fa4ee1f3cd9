"""request.* over real HTTP: vars, args, env, cookies, client, limits and bad input."""

import json

import pytest
from support import write_app

ECHO = '''
import json

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
    assert http(base + "/args/notanumber").status == 404


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
    assert answer.status == 413
    assert "too large" in answer.text


def test_oversized_multipart_is_413(base, http):
    body = (b"--B\r\nContent-Disposition: form-data; name=\"doc\"; filename=\"a\"\r\n\r\n"
            + b"x" * 5000 + b"\r\n--B--\r\n")
    answer = http(base + "/upload", data=body,
                  headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert answer.status == 413


def test_invalid_utf8_in_query_and_body_is_400(base, http):
    assert http(base + "/vars?a=%FF").status == 400
    answer = http(base + "/vars", data=b"a=%FF%FE",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 400


def test_malformed_multipart_is_400(base, http):
    answer = http(base + "/upload", data=b"garbage without boundary",
                  headers={"Content-Type": "multipart/form-data; boundary=B"})
    assert answer.status == 400


def test_bad_json_body_is_400(base, http):
    answer = http(base + "/vars", data=b"{not json",
                  headers={"Content-Type": "application/json"})
    assert answer.status == 400


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
    assert http(base + ".json", method="DELETE").status == 405
    assert http(base + "/1/2/3.json").status == 400


def test_request_is_storage_like_and_parses_the_user_agent(base, http):
    phone = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
             "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1")
    answer = json.loads(http(base + "/storage", headers={"User-Agent": phone}).text)
    assert answer == dict(app="echo/default", get=None, missing=None, mobile=True,
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
    assert answer.status == 400
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
