"""server.toolkit.markdown_wiki: bytes input and HTML4 output."""

from server.toolkit.markdown_wiki import WIKI


def test_bytes_and_html4_tags():
    assert WIKI(b"line  \nbreak", html4tags=True).xml() == "<p>line<br>\nbreak</p>"
    assert "<br />" in WIKI("line  \nbreak").xml()
