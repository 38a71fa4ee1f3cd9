"""gluon.http: HTTP, redirect, defined_status, content_disposition_header."""

import pytest

from gluon.http import HTTP, content_disposition_header, defined_status, redirect


def test_defined_status_names_codes():
    assert defined_status[200] == "OK" and defined_status[404] == "Not Found"
    assert defined_status[303] == "See Other"


def test_content_disposition_header_quotes_the_name():
    assert content_disposition_header("a b.txt") == 'attachment; filename="a%20b.txt"'
    assert content_disposition_header("caffè.txt", "inline") == \
        'inline; filename="caff%C3%A8.txt"'
    assert '"' not in content_disposition_header('x".txt').split("filename=")[1][1:-1]
    with pytest.raises(ValueError):
        content_disposition_header("x", "attachment; evil=1")


def test_redirect_raises_http():
    with pytest.raises(HTTP) as caught:
        redirect("/x")
    assert caught.value.status == 303 and caught.value.headers["Location"] == "/x"
