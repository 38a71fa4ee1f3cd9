"""The named tags: web2py's bytes for the same tree (each expected string is what web2py 3.x's
gluon.html renders)."""

import pytest

from server.helpers import (
    BODY,
    BR,
    BUTTON,
    CAT,
    CENTER,
    COL,
    COLGROUP,
    EM,
    EMBED,
    FIELDSET,
    H1,
    H2,
    H3,
    H4,
    H5,
    H6,
    HEAD,
    HR,
    HTML,
    IFRAME,
    IMG,
    LABEL,
    LEGEND,
    LI,
    LINK,
    META,
    OBJECT,
    OL,
    PRE,
    SCRIPT,
    SPAN,
    STRONG,
    STYLE,
    TABLE,
    TBODY,
    TD,
    TFOOT,
    THEAD,
    TITLE,
    TR,
    TT,
    UL,
    XHTML,
    A,
    B,
    I,
    P,
)

WEB2PY_BYTES = [
    pytest.param(lambda: BR(),
                 '<br />'),
    pytest.param(lambda: HR(_class='x'),
                 '<hr class="x" />'),
    pytest.param(lambda: IMG(_src='a.png', _alt=''),
                 '<img alt="" src="a.png" />'),
    pytest.param(lambda: META(_name='a', _content='b'),
                 '<meta content="b" name="a" />'),
    pytest.param(lambda: LINK(_rel='stylesheet', _href='x.css'),
                 '<link href="x.css" rel="stylesheet" />'),
    pytest.param(lambda: SCRIPT(_src='x.js'),
                 '<script src="x.js"></script>'),
    pytest.param(lambda: SCRIPT('var a = 1 < 2;', _type='text/javascript'),
                 '<script type="text/javascript"><!--\nvar a = 1 < 2;\n//--></script>'),
    pytest.param(lambda: STYLE('p {color: red}'),
                 '<style><!--/*--><![CDATA[/*><!--*/\np {color: red}\n/*]]>*/--></style>'),
    pytest.param(lambda: P('a\nb', cr2br=True),
                 '<p>a<br />b</p>'),
    pytest.param(lambda: P('a\nb'),
                 '<p>a\nb</p>'),
    pytest.param(lambda: A('x', _href='/y'),
                 '<a href="/y">x</a>'),
    pytest.param(lambda: A(_href='/y'),
                 '<a href="/y">/y</a>'),
    pytest.param(lambda: A('del', callback='/cb', delete='tr', _id='k'),
                 ('<a data-w2p_confirm="default" data-w2p_disable_with="default" data-w2p_method="P'
                  'OST" data-w2p_remove="tr" href="/cb" id="k">del</a>')),
    pytest.param(lambda: A('load', component='/c.load', target='t'),
                 ('<a data-w2p_disable_with="default" data-w2p_method="GET" data-w2p_target="t" hre'
                  'f="/c.load">load</a>')),
    pytest.param(lambda: A('cid', _href='/h', cid='box'),
                 ('<a data-w2p_disable_with="default" data-w2p_method="GET" data-w2p_target="box" h'
                  'ref="/h">cid</a>')),
    pytest.param(lambda: BUTTON('go', _type='submit'),
                 '<button type="submit">go</button>'),
    pytest.param(lambda: UL('a', LI('b', _class='c'), 3),
                 '<ul><li>a</li><li class="c">b</li><li>3</li></ul>'),
    pytest.param(lambda: OL('a', 'b'),
                 '<ol><li>a</li><li>b</li></ol>'),
    pytest.param(lambda: TABLE(['a', 'b'], TR('c', TD('d'))),
                 '<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>'),
    pytest.param(lambda: TABLE(THEAD(TR('h1', 'h2')), TBODY(TR('a', 'b')), TFOOT(TR('f'))),
                 ('<table><thead><tr><td>h1</td><td>h2</td></tr></thead><tbody><tr><td>a</td><td>b<'
                  '/td></tr></tbody><tfoot><tr><td>f</td></tr></tfoot></table>')),
    pytest.param(lambda: THEAD('x'),
                 '<thead><tr><th>x</th></tr></thead>'),
    pytest.param(lambda: LABEL('Name', _for='n'),
                 '<label for="n">Name</label>'),
    pytest.param(lambda: FIELDSET(LEGEND('L'), 'x'),
                 '<fieldset><legend>L</legend>x</fieldset>'),
    pytest.param(lambda: CAT(H1('t'), H2('t'), H3('t'), H4('t'), H5('t'), H6('t')),
                 '<h1>t</h1><h2>t</h2><h3>t</h3><h4>t</h4><h5>t</h5><h6>t</h6>'),
    pytest.param(lambda: CAT(EM('e'), STRONG('s'), TT('t'), PRE('p<'), CENTER('c'), I('i'), B('b'), SPAN('s')),  # noqa: E501
                 ('<em>e</em><strong>s</strong><tt>t</tt><pre>p&lt;</pre><center>c</center><i>i</i>'
                  '<b>b</b><span>s</span>')),
    pytest.param(lambda: CAT(IFRAME(_src='/x'), OBJECT(_data='x'), EMBED(_src='x'), COL(_span=2), COLGROUP(COL())),  # noqa: E501
                 ('<iframe src="/x"></iframe><object data="x"></object><embed src="x" /><col span="'
                  '2" /><colgroup><col /></colgroup>')),
    pytest.param(lambda: CAT(HEAD(TITLE('t')), BODY('b')),
                 '<head><title>t</title></head><body>b</body>'),
    pytest.param(lambda: HTML(BODY('x')),
                 ('<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.or'
                  'g/TR/html4/loose.dtd">\n<html lang="en"><body>x</body></html>')),
    pytest.param(lambda: HTML(BODY('x'), doctype='html5', lang='it'),
                 '<!DOCTYPE HTML>\n<html lang="it"><body>x</body></html>'),
    pytest.param(lambda: HTML('x', doctype=''),
                 '<html lang="en">x</html>'),
    pytest.param(lambda: XHTML(BODY('x')),
                 ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.or'
                  'g/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html lang="en" xml:lang="en" xmlns="h'
                  'ttp://www.w3.org/1999/xhtml"><body>x</body></html>')),
    pytest.param(lambda: XHTML('x', doctype='strict', lang='de'),
                 ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/x'
                  'html1/DTD/xhtml1-strict.dtd">\n<html lang="de" xml:lang="de" xmlns="http://www.w3'
                  '.org/1999/xhtml">x</html>')),
]


@pytest.mark.parametrize(("build", "expected"), WEB2PY_BYTES)
def test_renders_web2pys_bytes(build, expected):
    assert build().xml() == expected


def test_a_callback_without_an_id_gets_one():
    link = A("x", callback="/cb").xml()
    assert 'data-w2p_method="POST"' in link and ' id="' in link


def test_tables_wrap_bare_rows_and_cells():
    table = TABLE(["a"], TR("b"))
    assert all(isinstance(row, TR) for row in table.components)
    assert isinstance(table[0][0], TD) and isinstance(UL("x")[0], LI)
