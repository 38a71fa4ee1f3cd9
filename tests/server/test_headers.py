"""Response headers: CR/LF never splits one (raw bytes checked), security headers by default,
a header value no file name can break."""

from __future__ import annotations

import json

import pytest
from support import assert_answer, raw_exchange, tickets, write_app

from server.headers import (
    SECURITY_HEADERS,
    CheckedCookie,
    HeaderDict,
    HeaderInjection,
    content_disposition_header,
    finish_headers,
)
from server.http import HTTP

CONTROLLER = """
def header():
    response.headers["X-Echo"] = request.vars.v
    return "set"

def cookie():
    response.cookies["c"] = "value"
    response.cookies["c"]["path"] = request.vars.v
    return "set"

def raised():
    raise HTTP(200, "raised", X_Echo=request.vars.v)

def attachment():
    import io
    response.stream(io.BytesIO(b"data"), filename=request.vars.v, attachment=True)

def go():
    redirect(request.vars.v)

def index():
    return "plain page"

def framed():
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = ""
    return "framed"

def with_session():
    session.visits = (session.visits or 0) + 1
    return "counted"

def cached_by_choice():
    session.visits = 1
    response.headers["Cache-Control"] = "private, max-age=60"
    return "mine"
"""
INJECTED = "x%0D%0ASet-Cookie:%20evil=1"


@pytest.fixture
def site(root, live_server):
    app = write_app(root, "hdr", {"controllers/default.py": CONTROLLER,
                                  "static/site.css": "body {}"})
    return live_server(root), app


def get(url: str, path: str):
    (answer,) = raw_exchange(url, f"GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                                  .encode())
    return answer


def ticket_messages(app) -> list[str]:
    return [json.loads(path.read_text())["message"] for path in tickets(app)]


# ----- CR/LF ---------------------------------------------------------------------------------
def test_header_dict_refuses_cr_and_lf_where_it_is_set():
    headers = HeaderDict()
    headers["X-Ok"] = "fine"
    for value in ("a\r\nb", "a\nb", "a\rb", "a\0b"):
        with pytest.raises(HeaderInjection, match="X-Bad"):
            headers["X-Bad"] = value
    with pytest.raises(HeaderInjection):
        headers.update({"X-Bad": "a\nb"})
    assert headers == {"X-Ok": "fine"}


def test_http_and_cookie_attributes_refuse_cr_and_lf():
    with pytest.raises(HeaderInjection, match="X-Echo"):
        HTTP(200, "", X_Echo="a\r\nb")
    cookies = CheckedCookie()
    cookies["c"] = "a\r\nvalue"  # values are quoted by the cookie module
    assert "\n" not in cookies["c"].OutputString()
    with pytest.raises(HeaderInjection, match="path"):
        cookies["c"]["path"] = "/\r\nX: y"


@pytest.mark.parametrize("function", ["header", "cookie", "raised"])
def test_an_injected_header_is_a_ticket_naming_it_never_two_lines(site, function):
    url, app = site
    answer = get(url, f"/hdr/default/{function}?v={INJECTED}")
    assert_answer(answer, 500, "Ticket issued")
    assert all("evil" not in value for _, value in answer.headers)
    assert not any(name == "set-cookie" and "evil" in value for name, value in answer.headers)
    (message,) = ticket_messages(app)
    assert "contains CR, LF or NUL" in message
    assert ("X-Echo" if function != "cookie" else "Set-Cookie (path)") in message


def test_a_client_named_attachment_stays_one_header(site):
    url, app = site
    answer = get(url, "/hdr/default/attachment?v=a%0D%0AX-Evil:%201.txt")
    assert answer.status == 200 and answer.body == b"data"
    assert answer.header("x-evil") is None
    assert answer.header("content-disposition").startswith('attachment; filename="a__X-Evil: 1.txt"')
    assert tickets(app) == []


def test_a_redirect_target_with_cr_lf_stays_one_header(site):
    url, app = site
    answer = get(url, f"/hdr/default/go?v=/hdr/default/index{INJECTED}")
    assert_answer(answer, 303, Location="/hdr/default/indexx%0D%0ASet-Cookie: evil=1")
    assert answer.header("location") == "/hdr/default/indexx%0D%0ASet-Cookie: evil=1"
    assert answer.header("set-cookie") is None
    assert tickets(app) == []


# ----- security headers ------------------------------------------------------------------------
def test_finish_headers_adds_defaults_keeps_the_apps_and_drops_emptied_ones():
    out = dict(finish_headers([("X-Frame-Options", "DENY"), ("Referrer-Policy", "")]))
    assert out == {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"}
    assert dict(finish_headers([])) == SECURITY_HEADERS
    with pytest.raises(HeaderInjection):
        finish_headers([("X-Bad", "a\r\nb")])


@pytest.mark.parametrize("path", ["/hdr/default/index", "/hdr/static/site.css",
                                  "/hdr/default/missing", "/nosuchapp/default/index",
                                  "/hdr/default/go?v=/x", "/bad-name/"])
def test_every_answer_carries_the_security_headers(site, path):
    url, _ = site
    answer = get(url, path)
    for name, value in SECURITY_HEADERS.items():
        assert answer.header(name) == value, (path, answer.status)


def test_an_app_can_change_or_drop_a_security_header(site):
    url, _ = site
    answer = get(url, "/hdr/default/framed")
    assert answer.header("x-frame-options") == "DENY"
    assert answer.header("referrer-policy") is None
    assert answer.header("x-content-type-options") == "nosniff"


def test_pages_with_a_session_are_not_stored_by_caches(site):
    url, _ = site
    assert get(url, "/hdr/default/index").header("cache-control") is None
    answer = get(url, "/hdr/default/with_session")
    assert answer.header("set-cookie") and answer.header("cache-control") == "no-store"
    assert get(url, "/hdr/default/cached_by_choice").header("cache-control") == "private, max-age=60"


def test_newlines_and_semicolons_are_encoded():
    value = content_disposition_header("a\r\nSet-Cookie: x;y.txt")
    assert "\r" not in value and "\n" not in value and value.count(";") == 1
