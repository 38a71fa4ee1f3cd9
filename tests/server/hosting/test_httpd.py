"""The embedded server: bind in the caller's thread, serve, log, stop, HTTPS."""

import socket
import ssl
import threading
import urllib.request

import pytest
from support import wait_until

from server.hosting.httpd import ServerError, WebServer, free_port, port_is_free

SLOW_ENTERED, SLOW_RELEASE = threading.Event(), threading.Event()


def hello(environ, start_response):
    if environ["PATH_INFO"] == "/slow":  # held until the test lets it go
        SLOW_ENTERED.set()
        SLOW_RELEASE.wait(10)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"hello"]


def test_serves_and_stop_frees_the_port():
    server = WebServer(hello, "127.0.0.1", 0)
    server.start()
    assert server.running
    assert urllib.request.urlopen(server.url + "/").read() == b"hello"
    port = server.port
    server.stop()
    assert not server.running
    assert port_is_free("127.0.0.1", port)


def test_busy_port_raises_a_clear_error_in_the_callers_thread():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ServerError, match="already in use"):
            WebServer(hello, "127.0.0.1", port).start()


def test_stop_finishes_in_flight_requests():
    server = WebServer(hello, "127.0.0.1", 0)
    server.start()
    result = {}

    def slow_request():
        result["body"] = urllib.request.urlopen(server.url + "/slow").read()

    SLOW_ENTERED.clear(), SLOW_RELEASE.clear()
    worker = threading.Thread(target=slow_request)
    worker.start()
    assert SLOW_ENTERED.wait(10)
    stopper = threading.Thread(target=server.stop)
    stopper.start()
    wait_until(lambda: not server._server.ready, message="stop() never began")
    SLOW_RELEASE.set()
    stopper.join(15)
    worker.join(5)
    assert result.get("body") == b"hello"
    assert not server.running


def test_log_hook_receives_each_request():
    entries = []
    server = WebServer(hello, "127.0.0.1", 0, log_hook=entries.append)
    server.start()
    try:
        urllib.request.urlopen(server.url + "/path?q=1").read()
    finally:
        server.stop()
    (entry,) = entries
    assert (entry.method, entry.path, entry.status) == ("GET", "/path?q=1", 200)
    assert entry.duration >= 0 and entry.client == "127.0.0.1"


def test_a_failing_log_hook_does_not_break_serving():
    def broken(entry):
        raise RuntimeError("log broken")

    server = WebServer(hello, "127.0.0.1", 0, log_hook=broken)
    server.start()
    try:
        assert urllib.request.urlopen(server.url + "/").read() == b"hello"
    finally:
        server.stop()


def test_https_with_the_builtin_adapter(tls_certificate):
    cert, key = tls_certificate
    server = WebServer(hello, "127.0.0.1", 0, certfile=str(cert), keyfile=str(key))
    server.start()
    try:
        assert server.url.startswith("https://")
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        assert urllib.request.urlopen(server.url + "/", context=context).read() == b"hello"
    finally:
        server.stop()


@pytest.mark.parametrize("hsts_max_age", [0, 31536000])
def test_hsts_is_an_option_over_https(tls_certificate, hsts_max_age):
    cert, key = tls_certificate
    server = WebServer(hello, "127.0.0.1", 0, certfile=str(cert), keyfile=str(key),
                       hsts_max_age=hsts_max_age)
    server.start()
    try:
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as raw, \
                context.wrap_socket(raw) as tls:
            tls.sendall(b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            answer = b""
            while chunk := tls.recv(65536):
                answer += chunk
    finally:
        server.stop()
    assert answer.startswith(b"HTTP/1.1 200 ") and b"\r\n\r\n5\r\nhello\r\n" in answer
    expected = f"Strict-Transport-Security: max-age={hsts_max_age}\r\n".encode()
    assert (expected in answer) == bool(hsts_max_age)


def test_hsts_is_never_sent_over_plain_http():
    server = WebServer(hello, "127.0.0.1", 0, hsts_max_age=31536000)
    server.start()
    try:
        answer = urllib.request.urlopen(server.url + "/")
        assert answer.headers["Strict-Transport-Security"] is None
    finally:
        server.stop()


def test_unusable_certificate_is_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a certificate")
    with pytest.raises(ServerError, match="certificate"):
        WebServer(hello, "127.0.0.1", free_port(), certfile=str(bogus), keyfile=str(bogus))
