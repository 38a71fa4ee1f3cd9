"""HTTP/1.1 over raw sockets against a real cheroot: bodies, limits, pipelining, slow clients.

Every refused request is checked for its status, a one-line plain body (no traceback, nothing
echoed), no ticket stored, and a normal answer from the server afterwards.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from support import (
    assert_answer,
    assert_client_mistake,
    raw_connection,
    raw_exchange,
    read_response,
    write_app,
)

from server.hosting.protocol import HttpLimits

CONTROLLER = """
def index():
    return "hello"

def echo():
    return response.json(dict(request.post_vars))

def body():
    return request.body.read()

def empty():
    raise HTTP(204)

def unchanged():
    raise HTTP(304)
"""


@pytest.fixture
def app(root) -> Path:
    return write_app(root, "probe", {"controllers/default.py": CONTROLLER})


@pytest.fixture
def serve(root, app, live_server):
    """``url = serve(**WebServer options)``: a real server for the probe app."""
    return lambda **options: live_server(root, server_options=options)


@pytest.fixture
def url(serve) -> str:
    return serve()


def get(path: str, extra: str = "", method: str = "GET") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: t\r\n{extra}\r\n".encode()


def assert_refused(url: str, app: Path, answer, status: int) -> None:
    assert_client_mistake(answer, status, app, url + "/probe/default/index", b"hello")


# ----- HEAD, 204, 304 -----------------------------------------------------------------------
def test_head_has_gets_headers_and_no_body_and_keeps_the_connection(url):
    (full,) = raw_exchange(url, get("/probe/default/index", "Connection: close\r\n"))
    head, after = raw_exchange(url, get("/probe/default/index", method="HEAD")
                               + get("/probe/default/index", "Connection: close\r\n"),
                               answers=2, head=True)
    assert head.status == 200
    assert head.header("content-length") == full.header("content-length") == "5"
    assert after.status == 200


def test_head_answer_leaves_no_body_bytes_on_the_connection(url):
    sock, stream = raw_connection(url)
    with sock, stream:
        sock.sendall(get("/probe/default/index", method="HEAD"))
        read_response(stream, head=True)
        sock.sendall(get("/probe/default/index", "Connection: close\r\n"))
        rest = stream.read()
    assert rest.startswith(b"HTTP/1.1 200 ") and rest.endswith(b"\r\n\r\nhello")


@pytest.mark.parametrize("function, status", [("empty", 204), ("unchanged", 304)])
def test_204_and_304_carry_no_body(url, function, status):
    sock, stream = raw_connection(url)
    with sock, stream:
        sock.sendall(get(f"/probe/default/{function}") + get("/probe/default/index",
                                                              "Connection: close\r\n"))
        first = read_response(stream)
        rest = stream.read()
    assert first.status == status
    if status == 204:
        assert first.header("content-length") is None
    assert rest.startswith(b"HTTP/1.1 200 ") and rest.endswith(b"hello")


# ----- request bodies ----------------------------------------------------------------------
@pytest.mark.parametrize("coding", ["chunked", "Chunked", "CHUNKED"])
def test_chunked_bodies_are_decoded_in_any_case(url, coding):
    request = (f"POST /probe/default/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: {coding}\r\n"
               "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
               "4\r\nname\r\n6\r\n=value\r\n0\r\n\r\n").encode()
    answer, after = raw_exchange(url, request + get("/probe/default/index",
                                                    "Connection: close\r\n"), answers=2)
    assert (answer.status, answer.body) == (200, b'{"name": "value"}')
    assert after.body == b"hello"


@pytest.mark.parametrize("stream", [b"zz\r\nname=value\r\n0\r\n\r\n", b"3\r\nname=value\r\n0\r\n\r\n"])
def test_a_malformed_chunk_stream_is_400(url, app, stream):
    request = (b"POST /probe/default/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
               b"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + stream)
    (answer,) = raw_exchange(url, request)
    assert_refused(url, app, answer, 400)


@pytest.mark.parametrize("lengths", [["-5"], ["abc"], ["+3"], ["3", "4"]])
def test_bad_content_lengths_are_400(url, app, lengths):
    headers = "".join(f"Content-Length: {value}\r\n" for value in lengths)
    (answer,) = raw_exchange(url, get("/probe/default/body", headers, method="POST") + b"abcd")
    assert_refused(url, app, answer, 400)


def test_a_repeated_equal_content_length_is_accepted(url):
    headers = "Content-Length: 3\r\nContent-Length: 3\r\nConnection: close\r\n"
    (answer,) = raw_exchange(url, get("/probe/default/body", headers, method="POST") + b"abc")
    assert (answer.status, answer.body) == (200, b"abc")


def test_content_length_with_transfer_encoding_is_400(url, app):
    headers = "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n"
    (answer,) = raw_exchange(url, get("/probe/default/body", headers, method="POST")
                             + b"3\r\nabc\r\n0\r\n\r\n")
    assert_refused(url, app, answer, 400)


def test_a_body_shorter_than_its_content_length_is_400(url, app):
    sock, stream = raw_connection(url)
    with sock, stream:
        sock.sendall(get("/probe/default/body", "Content-Length: 10\r\n", method="POST") + b"abc")
        sock.shutdown(socket.SHUT_WR)
        answer = read_response(stream)
    assert_refused(url, app, answer, 400)


def test_pipelined_requests_are_all_answered_in_order(url):
    posted = (b"POST /probe/default/body HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\nsecond")
    requests = (get("/probe/default/index") + posted + get("/probe/default/empty")
                + get("/probe/default/nothing_here") + get("/probe/default/index",
                                                           "Connection: close\r\n"))
    answers = raw_exchange(url, requests, answers=5)
    assert [a.status for a in answers] == [200, 200, 204, 404, 200]
    assert [answers[0].body, answers[1].body, answers[4].body] == [b"hello", b"second", b"hello"]


# ----- limits ------------------------------------------------------------------------------
def test_an_over_long_request_line_is_414(url, app):
    (answer,) = raw_exchange(url, get("/probe/default/index?q=" + "x" * 9000))
    assert_refused(url, app, answer, 414)


def test_too_large_headers_are_431(url, app):
    (answer,) = raw_exchange(url, get("/probe/default/index", f"X-Big: {'x' * 70_000}\r\n"))
    assert_refused(url, app, answer, 431)


def test_too_many_headers_are_431(url, app):
    many = "".join(f"X-H{i}: {i}\r\n" for i in range(101))
    (answer,) = raw_exchange(url, get("/probe/default/index", many))
    assert_refused(url, app, answer, 431)


def test_limits_are_configurable(serve, app):
    url = serve(limits=HttpLimits(max_request_line=100, max_header_bytes=200, max_headers=3))
    (long_line,) = raw_exchange(url, get("/probe/default/index?q=" + "x" * 100))
    assert_answer(long_line, 414, "The request line is longer than 100 bytes.")
    (big,) = raw_exchange(url, get("/probe/default/index", f"X-Big: {'x' * 200}\r\n"))
    assert_answer(big, 431, "At most 3 headers of 200 bytes in all.")
    (many,) = raw_exchange(url, get("/probe/default/index", "A: 1\r\nB: 2\r\nC: 3\r\n"))
    assert_answer(many, 431, "At most 3 headers of 200 bytes in all.")
    assert_refused(url, app, raw_exchange(url, get("/probe/default/index", "A: 1\r\n"))[0], 200)


# ----- slow clients ------------------------------------------------------------------------
class Trickler:
    """Connections that send a request head one byte a second, from one background thread."""

    HEAD = get("/probe/default/index", "X-Slow: " + "s" * 60 + "\r\n")

    def __init__(self, url: str, count: int):
        self.sockets = [raw_connection(url)[0] for _ in range(count)]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        position = 0
        while not self.stop.is_set() and position < len(self.HEAD):
            for sock in self.sockets:
                try:
                    sock.send(self.HEAD[position:position + 1])
                except OSError:
                    pass
            position += 1
            self.stop.wait(1.0)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stop.set()
        self.thread.join()
        for sock in self.sockets:
            sock.close()


def test_fifty_slow_clients_do_not_stop_a_normal_request(serve):
    # A server whose threads the slow clients held would answer only once it dropped them, at
    # the head timeout (60 s here; the trickled heads would take ~100 s). The 10 s the normal
    # request may take is far below that, and far above what a loaded CI machine needs.
    url = serve(limits=HttpLimits(head_timeout=60))
    with Trickler(url, 50):
        time.sleep(0.05)  # let the server accept them and hand each to a thread once
        sock, stream = raw_connection(url, timeout=10)
        with sock, stream:
            sock.sendall(get("/probe/default/index", "Connection: close\r\n"))
            answer = read_response(stream)
    assert (answer.status, answer.body) == (200, b"hello")


def test_a_head_that_never_completes_is_dropped_after_the_timeout(serve):
    url = serve(limits=HttpLimits(head_timeout=0.2))
    sock, stream = raw_connection(url, timeout=5)
    with sock, stream:
        sock.sendall(b"GET /probe/default/index HTTP/1.1\r\n")
        started = time.monotonic()
        while time.monotonic() - started < 4:
            try:
                sock.sendall(b"X")
            except OSError:
                break  # dropped
            time.sleep(0.05)
        else:
            pytest.fail("the server kept a connection whose head never completed")
