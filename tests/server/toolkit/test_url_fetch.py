"""fetch against a real local HTTP server: GET, POST, headers, cookies both ways, errors."""

import urllib.error
from http.cookies import SimpleCookie
from urllib.parse import parse_qs

import pytest
from support import LocalHTTPService, closed_port_url

from server.toolkit.url_fetch import fetch


def echo(seen):
    def answer(method, path, headers, body):
        seen.append((method, path, dict(headers), body))
        if path == "/missing":
            return 404, "text/plain", "no such page"
        return 200, "text/plain; charset=utf-8", f"{method} {path} caffè"
    return answer


def test_get_returns_the_body_as_bytes_with_web2py_s_user_agent():
    seen = []
    with LocalHTTPService(echo(seen)) as service:
        body = fetch(service.url + "/page?x=1")
    assert body == "GET /page?x=1 caffè".encode()
    method, _path, headers, _body = seen[0]
    assert headers["User-Agent"] == "Mozilla/5.0" and "Cookie" not in headers


def test_data_is_posted_url_encoded_with_extra_headers_and_cookies():
    seen = []
    cookie = SimpleCookie()
    cookie["session_id"] = "abc"
    cookie["lang"] = "it"
    with LocalHTTPService(echo(seen)) as service:
        assert fetch(service.url + "/form", data={"name": "Ann & Bob", "n": 2},
                     headers={"X-Token": "t"}, cookie=cookie, user_agent="bot/1").startswith(
            b"POST /form")
    _method, _path, headers, body = seen[0]
    assert parse_qs(body) == {"name": ["Ann & Bob"], "n": ["2"]}
    assert headers["X-Token"] == "t" and headers["User-Agent"] == "bot/1"
    assert headers["Cookie"] == "session_id=abc; lang=it"


def test_set_cookie_answers_are_kept_in_the_cookie_jar():
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Set-Cookie", "session_id=s1; Path=/")
            self.send_header("Set-Cookie", "broken cookie line \x01")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        jar = SimpleCookie()
        assert fetch(f"http://127.0.0.1:{server.server_address[1]}/", cookie=jar) == b"ok"
        assert jar["session_id"].value == "s1"
    finally:
        server.shutdown()
        server.server_close()


def test_errors_raise_as_in_web2py():
    with LocalHTTPService(echo([])) as service, pytest.raises(urllib.error.HTTPError):
        fetch(service.url + "/missing")
    with pytest.raises(OSError):
        fetch(closed_port_url())
    with pytest.raises(ValueError, match="only reads http"):
        fetch("file:///etc/passwd")
