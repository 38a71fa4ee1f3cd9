"""server.toolkit.autolinks: nested skipped tags and non-URL text stay as they are."""

from server.toolkit.autolinks import expand_html


def test_nested_code_inside_a_link_and_plain_text():
    source = '<a href="/x"><code>http://x.org/a.png</code></a> after http://x.org/b'
    expanded = expand_html(source)
    assert expanded.startswith('<a href="/x"><code>http://x.org/a.png</code></a> after <a href=')
    assert expand_html("<p>no links here</p>") == "<p>no links here</p>"
