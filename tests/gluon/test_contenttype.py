"""gluon.contenttype answers as web2py does (values checked against web2py 3.3.3)."""

import pytest

from gluon.contenttype import contenttype


@pytest.mark.parametrize(("name", "expected"), [
    (".png", "image/png"),  # the book's example
    (".js", "application/javascript"),
    ("page.html", "text/html; charset=utf-8"),
    (".csv", "text/csv; charset=utf-8"),
    ("notes.txt", "text/plain; charset=utf-8"),
    (".json", "application/json"),
    ("app.tar.gz", "application/x-compressed-tar"),
    (".w2p", "application/w2p"),
    (".pdf", "application/pdf"),
    ("PHOTO.JPG", "image/jpeg"),
])
def test_known_extensions(name, expected):
    assert contenttype(name) == expected


def test_unknown_extension_is_the_default_with_charset():
    assert contenttype(".nothing-like-this") == "text/plain; charset=utf-8"
    assert contenttype(".nothing-like-this", "application/octet-stream") == \
        "application/octet-stream"
