"""gluon.contrib.markdown: WIKI renders Markdown as an XML helper, raw HTML escaped."""

from gluon.contrib.markdown import WIKI
from gluon.contrib.markdown.markdown2 import markdown


def test_wiki_renders_markdown_and_escapes_html():
    html = WIKI("# Title\n\n*it* <script>alert(1)</script>").xml()
    assert "<h1>Title</h1>" in html and "<em>it</em>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_tables_from_the_extra_extension_and_unsafe_opt_in():
    assert "<table>" in WIKI("| a | b |\n|---|---|\n| 1 | 2 |").xml()
    assert markdown("<b>x</b>", safe_mode=False) == "<p><b>x</b></p>"
