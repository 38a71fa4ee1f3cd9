"""gluon.contrib.autolinks: URLs become images, players, viewers or links; unsafe ones text."""

from gluon.contrib.autolinks import expand_html, expand_one


def test_expand_one_by_kind():
    assert expand_one("http://x.org/a.PNG") == '<img src="http://x.org/a.PNG" style="max-width:100%"/>'
    assert "<audio" in expand_one("http://x.org/a.mp3") and "<video" in expand_one("http://x/v.mp4")
    assert "docs.google.com/viewer?url=http%3A%2F%2Fx.org%2Fa.pdf" in expand_one("http://x.org/a.pdf")
    assert "youtube.com/embed/dQw4w9WgXcQ" in expand_one("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert "player.vimeo.com/video/76979871" in expand_one("https://vimeo.com/76979871")
    assert expand_one("http://x.org/page") == '<a href="http://x.org/page">http://x.org/page</a>'
    assert expand_one("me@x.org") == '<a href="mailto:me@x.org">me@x.org</a>'


def test_unsafe_urls_and_cached_oembed_answers():
    assert expand_one("javascript:alert(1)").startswith('<span class="markmin_unsafe">')
    assert expand_one("http://x/p", {"http://x/p": {"html": "<b>embed</b>"}}) == "<b>embed</b>"
    assert expand_one("http://x/p", {"http://x/p": {"url": "http://x/p.png"}}).startswith("<img")


def test_expand_html_leaves_links_and_code_alone():
    source = ('<p>See http://x.org/a.png &amp; <a href="http://x.org/b.png">http://x.org/b.png</a>'
              "</p><pre>http://x.org/c.png</pre><!-- http://hidden -->")
    expanded = expand_html(source)
    assert expanded.startswith('<p>See <img src="http://x.org/a.png"')
    assert '<a href="http://x.org/b.png">http://x.org/b.png</a>' in expanded
    assert "<pre>http://x.org/c.png</pre>" in expanded and "hidden" not in expanded
    assert "&amp;" in expanded
