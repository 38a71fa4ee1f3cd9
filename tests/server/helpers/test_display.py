"""MENU, BEAUTIFY, ASSIGNJS, CODE, embed64 (each expected string is what web2py 3.x's
gluon.html renders for the same call)."""

import pytest

from server.helpers import ASSIGNJS, BEAUTIFY, CODE, DIV, MARKMIN, MENU, SAFEJSON, embed64

WEB2PY_BYTES = [
    pytest.param(lambda: MENU([('Home', True, '/a'), ('More', False, None, [('Sub', False, '/b')]), ('Last', False, '/z')]),  # noqa: E501
                 ('<ul class="web2py-menu web2py-menu-vertical"><li class="web2py-menu-first web2py'
                  '-menu-active"><a href="/a">Home</a></li><li class="web2py-menu-expand"><a href="'
                  '#" onclick="javascript:void(0);return false;">More</a><ul class="web2py-menu-ver'
                  'tical"><li><a href="/b">Sub</a></li></ul></li><li class="web2py-menu-last"><a hr'
                  'ef="/z">Last</a></li></ul>')),
    pytest.param(lambda: MENU([('A', False, '/a'), ('B', False, '/b', [], False)], _class='nav', li_active='on'),  # noqa: E501
                 '<ul class="nav"><li class="web2py-menu-first"><a href="/a">A</a></li></ul>'),
    pytest.param(lambda: MENU([('Home', True, '/a'), ('B', False, '/b', [('C', False, '/c')])], mobile=True),
                 ('<select class="web2py-menu web2py-menu-vertical" onchange="window.location=this.'
                  'value"><option selected="selected" value="/a">Home</option><option value="/b">B<'
                  '/option><option value="/c">B/C</option></select>')),
    pytest.param(lambda: BEAUTIFY(['a', 'b', {'hello': 'world'}]),
                 ('<div><table><tr><td><div>a</div></td></tr><tr><td><div>b</div></td></tr><tr><td>'
                  '<div><table><tr><td style="font-weight:bold;vertical-align:top;">hello</td><td s'
                  'tyle="vertical-align:top;">:</td><td><div>world</div></td></tr></table></div></t'
                  'd></tr></table></div>')),
    pytest.param(lambda: BEAUTIFY({'x': 1, '_hidden': 2, 'n': None, 'l': (1, 'a')}),
                 ('<div><table><tr><td style="font-weight:bold;vertical-align:top;">l</td><td style'
                  '="vertical-align:top;">:</td><td><div><table><tr><td><div>1</div></td></tr><tr><'
                  'td><div>a</div></td></tr></table></div></td></tr><tr><td style="font-weight:bold'
                  ';vertical-align:top;">n</td><td style="vertical-align:top;">:</td><td><div>None<'
                  '/div></td></tr><tr><td style="font-weight:bold;vertical-align:top;">x</td><td st'
                  'yle="vertical-align:top;">:</td><td><div>1</div></td></tr></table></div>')),
    pytest.param(lambda: BEAUTIFY(3),
                 '<div>3</div>'),
    pytest.param(lambda: BEAUTIFY(DIV('z')),
                 '<div><div>z</div></div>'),
    pytest.param(lambda: ASSIGNJS(a=1, b='</script>'),
                 'var a = 1;\nvar b = "\\u003c/script\\u003e";\n'),
]


@pytest.mark.parametrize(("build", "expected"), WEB2PY_BYTES)
def test_renders_web2pys_bytes(build, expected):
    assert build().xml() == expected


def test_code_is_a_numbered_table_of_escaped_lines():
    html = CODE("if a < b:\n    pass", counter=5, language="text").xml()
    assert html.startswith('<table><tr style="vertical-align:top;">')
    assert ">5.<br/>6.</pre>" in html and "if a &lt; b:<br/>    pass</pre>" in html
    assert ">&gt;&gt;&gt;<br/>&gt;&gt;&gt;</pre>" in CODE("a\nb", counter=">>>").xml()
    assert "<br/><br/></pre>" in CODE("a\nb\nc", counter=None).xml()


def test_code_colours_python_by_default_with_web2py_s_token_styles():
    html = CODE("def f(x):\n    return x < 1  # small").xml()
    assert '<span style="color: #185369; font-weight: bold">def </span>f' in html
    assert '<span style="color: #d00000">1  </span>' in html
    assert '<span style="color: #008000; font-style: italic"># small</span>' in html
    assert "&lt;" in html and "x < 1" not in html
    restyled = CODE("return 1", styles={"KEYWORD": "color: blue", "CODE": "margin: 0"}).xml()
    assert '<span style="color: blue">return </span>' in restyled
    assert '<pre style="margin: 0">' in restyled


def test_code_links_web2py_names_and_takes_table_attributes():
    html = CODE("form = SQLFORM(db.t)", link="/docs", _class="code", _id="c1").xml()
    assert html.startswith('<table class="code" id="c1">')
    assert '<a href="/docs/SQLFORM" style="color: #ff5c1f; text-decoration: none">SQLFORM</a>' \
        in html


def test_code_highlights_one_line_and_keeps_its_context():
    source = "\n".join(f"line{n}" for n in range(1, 11))
    html = CODE(source, language="text", highlight_line=5, context_lines=1).xml()
    assert ">4.<br/><span style=\"background-color: #EBDDE2;\">5.</span><br/>6.</pre>" in html
    assert "line4<br/><span style=\"background-color: #EBDDE2;\">line5</span><br/>line6</pre>" \
        in html
    assert "line3" not in html and "line7" not in html
    assert "line10" in CODE(source, language="text", highlight_line=99).xml()


def test_safejson_cannot_end_a_script():
    assert SAFEJSON({"a": "</script>&"}) == '{"a": "\\u003c/script\\u003e\\u0026"}'
    assert "</" not in ASSIGNJS(x="</b>").xml()


def test_embed64_makes_a_data_url(tmp_path):
    assert embed64(data=b"GIF89a") == "data:image/gif;base64,R0lGODlh"
    picture = tmp_path / "p.png"
    picture.write_bytes(b"\x89PNG")
    assert embed64(filename=str(picture), extension="image/png") == "data:image/png;base64,iVBORw=="


def test_beautify_skips_private_keys_and_lambdas():
    html = BEAUTIFY({"shown": 1, "_private": 2, "f": lambda: 3}).xml()
    assert "shown" in html and "_private" not in html and ">f<" not in html


def test_markmin_renders_and_wraps_in_a_div_when_given_attributes():
    assert MARKMIN("**bold**").xml() == "<p><strong>bold</strong></p>"
    assert MARKMIN("x", _class="m").xml() == '<div class="m"><p>x</p></div>'
    assert DIV(MARKMIN("''i''")).xml() == "<div><p><em>i</em></p></div>"
