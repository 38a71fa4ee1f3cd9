"""server.headers: a header value no file name can break."""

from server.headers import content_disposition_header


def test_newlines_and_semicolons_are_encoded():
    value = content_disposition_header("a\r\nSet-Cookie: x;y.txt")
    assert "\r" not in value and "\n" not in value and value.count(";") == 1
