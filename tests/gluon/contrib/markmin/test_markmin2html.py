"""gluon.contrib.markmin.markmin2html: the book's markmin examples render as web2py renders them
(expected strings checked against web2py 3.3.3's own markmin2html)."""

import pytest

from gluon.contrib.markmin.markmin2html import markmin2html


@pytest.mark.parametrize(("source", "expected"), [
    ("Hello **world** [[link http://web2py.com]]",
     '<p>Hello <strong>world</strong> <a href="http://web2py.com">link</a></p>'),
    ("# T\n\npara one\nline two\n\n- a\n- b\n-- c\n+ d",
     "<h1>T</h1><p>para one line two</p><ul><li>a</li><li>b<ul><li>c</li></ul></li></ul>"
     "<ol><li>d</li></ol>"),
    ("``\ndef x(): pass\n``:python", '<pre><code class="python">def x(): pass</code></pre>'),
    ("inline ``code`` and ``x``:abc", '<p>inline <code>code</code> and <code class="abc">x</code></p>'),
    ("para\n``\nblock\n``\nafter", "<p>para</p><pre><code>block</code></pre><p>after</p>"),
    ("-----\nquote\n-----", "<blockquote><p>quote</p></blockquote>"),
    ("x\n\n-----------\n\ny", "<p>x</p><hr /><p>y</p>"),
    ("''it'' ~~st~~ <b>", "<p><em>it</em> <del>st</del> &lt;b&gt;</p>"),
    ("[[**click** me #myanchor]]",
     '<p><a href="#markmin_myanchor"><strong>click</strong> me</a></p>'),
    ("[[v http://x/a.mp4 video]]",
     '<p><video controls="controls"><source src="http://x/a.mp4" />v</video></p>'),
    ("### x\ntext", "<h3>x</h3><p>text</p>"),
])
def test_markup_as_web2py_renders_it(source, expected):
    assert markmin2html(source) == expected


def test_tables_with_header_class_and_id():
    assert markmin2html("---------\na|b\n=====\n1|2\n---------:cls[tid]") == (
        '<table class="cls" id="markmin_tid"><thead><tr class="first"><td>a</td><td>b</td></tr>'
        '</thead><tbody><tr class="first"><td class="num">1</td><td class="num">2</td></tr>'
        "</tbody></table>")


def test_anchors_images_popups_and_bare_urls():
    html = markmin2html("[[anchor]] [[img http://x/a.png right 200px]] "
                        "[[p [extra] http://x popup]] http://x.com")
    assert '<span class="anchor" id="markmin_anchor"></span>' in html
    assert '<img src="http://x/a.png" alt="img" style="float:right;width:200px" />' in html
    assert '<a href="http://x" title="extra" target="_blank">p</a>' in html
    assert '<a href="http://x.com">http://x.com</a>' in html


def test_extra_renders_named_code_and_its_argument():
    extra = {"sup": lambda code: f"<sup>{code}</sup>", "custom": lambda code, arg: f"{code}/{arg}"}
    assert markmin2html("## web2py``TM``:sup Web", extra) == "<h2>web2py<sup>TM</sup> Web</h2>"
    assert markmin2html("``abc``:custom[1]", extra) == "abc/1"


def test_escapes_verbatim_and_newline():
    assert markmin2html("a\\**b") == "<p>a**b</p>"
    assert markmin2html("!`!`ver**bat**im`!`!") == "<code>ver**bat**im</code>"
    assert markmin2html("a[[NEWLINE]]b") == "<p>a<br />b</p>"


def test_markup_cannot_inject_html_or_scripts():
    html = markmin2html('<script>x</script> [[x javascript:alert(1)]] [[t ["q"] http://a\"b]]')
    assert "<script>" not in html and "javascript:" not in html
    assert 'title="&quot;q&quot;"' in html
