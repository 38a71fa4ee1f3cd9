"""gluon.sanitizer: permitted tags stay, scripts and unknown attributes go."""

from gluon.sanitizer import sanitize


def test_sanitize_keeps_permitted_markup_only():
    clean = sanitize('<b>ok</b><script>alert(1)</script><a href="http://example.com/p" onclick="y">l</a>')
    assert "<b>ok</b>" in clean and "<script>" not in clean and "onclick" not in clean
    assert '<a href="http://example.com/p">l</a>' in clean
