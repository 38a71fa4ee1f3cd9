"""server.toolkit.contenttype: the longest listed extension wins, text types get a charset."""

from server.toolkit.contenttype import contenttype


def test_longest_listed_suffix_wins_over_the_last_one():
    assert contenttype("backup.tar.gz") == "application/x-compressed-tar"
    assert contenttype("backup.gz") == "application/gzip"


def test_mimetypes_answers_what_is_not_listed():
    assert contenttype(".svg") == "image/svg+xml"
    assert contenttype(".css") == "text/css; charset=utf-8"
