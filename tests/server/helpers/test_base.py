"""DIV, CAT, XML, TAG and the API every helper shares: the bytes are web2py's for the same tree
(each expected string is what web2py 3.x's gluon.html renders)."""

import re

import pytest

from server.helpers import (
    CAT,
    DIV,
    INPUT,
    SPAN,
    TAG,
    XML,
    A,
    B,
    I,
    P,
    XmlComponent,
    xmlescape,
)
from server.translation.i18n import Translator


def rendered(value) -> str:
    return value.xml() if hasattr(value, "xml") else value


WEB2PY_BYTES = [
    pytest.param(lambda: DIV('a<', SPAN('b'), _class='x', _id='y'),
                 '<div class="x" id="y">a&lt;<span>b</span></div>'),
    pytest.param(lambda: DIV([1, 2, [3]], _x=True),
                 '<div x="x">12[3]</div>'),
    pytest.param(lambda: DIV('q"\'&'),
                 '<div>q&quot;&#x27;&amp;</div>'),
    pytest.param(lambda: DIV(None, 0, 1.5),
                 '<div>01.5</div>'),
    pytest.param(lambda: CAT('a', B('b'), 'c<'),
                 'a<b>b</b>c&lt;'),
    pytest.param(lambda: TAG.section(TAG.b('x'), _key=3),
                 '<section key="3"><b>x</b></section>'),
    pytest.param(lambda: TAG['svg:path/'](_d='M0'),
                 '<svg:path d="M0" />'),
    pytest.param(lambda: TAG.hr_(),
                 '<hr />'),
    pytest.param(lambda: XML('<b>x</b>'),
                 '<b>x</b>'),
    pytest.param(lambda: XML('<script>alert(1)</script><b>ok</b>', sanitize=True),
                 '&lt;script&gt;&lt;/script&gt;<b>ok</b>'),
    pytest.param(lambda: DIV(XML('<i>i</i>'), 'x'),
                 '<div><i>i</i>x</div>'),
    pytest.param(lambda: DIV('x') + SPAN('y'),
                 '<div>x</div><span>y</span>'),
    pytest.param(lambda: CAT('a') + CAT('b'),
                 'ab'),
    pytest.param(lambda: SPAN('r') * 3,
                 '<span>r</span><span>r</span><span>r</span>'),
    pytest.param(lambda: DIV(_class='a b c').remove_class('b'),
                 '<div class="a c"></div>'),
    pytest.param(lambda: DIV(_class='a').remove_class('a'),
                 '<div></div>'),
    pytest.param(lambda: DIV(data=dict(role='x', w2p='y')),
                 '<div data-role="x" data-w2p="y"></div>'),
    pytest.param(lambda: DIV(SPAN('x', _class='a'), P('y', _id='p')).element('span.a'),
                 '<span class="a">x</span>'),
    pytest.param(lambda: CAT(*DIV(SPAN('x', _class='a'), DIV(SPAN('y')), P('z', _id='p')).elements('span')),
                 '<span class="a">x</span><span>y</span>'),
    pytest.param(lambda: CAT(*DIV(SPAN('x', _class='a'), DIV(SPAN('y')), P('z', _id='p')).elements('span', 'p')),  # noqa: E501
                 '<span class="a">x</span><span>y</span><p id="p">z</p>'),
    pytest.param(lambda: CAT(*DIV(SPAN('x', _class='a b'), DIV(A('y', _href='/u')), P('z', _id='p')).elements('div a[href=/u], .b')),  # noqa: E501
                 '<a href="/u">y</a><a href="/u">y</a><span class="a b">x</span>'),
    pytest.param(lambda: DIV(INPUT(_name='a'), INPUT(_name='b')).element(_name='b'),
                 '<input name="b" type="text" />'),
    pytest.param(lambda: DIV(SPAN('x'), P('y'), SPAN('z')).element('p').sibling('span'),
                 '<span>x</span>'),
    pytest.param(lambda: CAT(*DIV(SPAN('x'), P('y'), SPAN('z')).element('p').siblings()),
                 '<span>x</span><span>z</span>'),
    pytest.param(lambda: DIV(DIV(SPAN('x', _class='abc'), DIV(SPAN('y', _class='abc')))),
                 '<div><div><span class="abc">x</span><div><span class="abc">y</span></div></div></div>'),
    pytest.param(lambda: DIV(B('x'), 'y', I('z')).flatten(),
                 'xyz'),
]


@pytest.mark.parametrize(("build", "expected"), WEB2PY_BYTES)
def test_renders_web2pys_bytes(build, expected):
    assert rendered(build()) == expected


def test_helpers_are_classes_apps_subclass():
    class Card(DIV):
        tag = "article"

        def _fixup(self):
            self.add_class("card")

    card = Card(B("title"), _id="c")
    assert isinstance(card, DIV) and isinstance(card, XmlComponent)
    assert card.xml() == '<article class="card" id="c"><b>title</b></article>'
    assert card.element("b").parent is card


def test_a_subclass_may_keep_its_own_name():
    """Sahana Eden's ICON stores its icon's name in ``self.name``, as web2py's DIV allows."""
    class Icon(I):
        def __init__(self, name, **attributes):
            self.name = name
            super().__init__(" ", **attributes)

        def xml(self):
            return self.add_class(f"icon-{self.name}") and super().xml()

    icon = Icon("down", _title="more")
    assert icon.name == "down" and DIV(icon).xml() == (
        '<div><i class="icon-down" title="more"> </i></div>')
    assert DIV().name == "div"


def test_components_attributes_and_item_access():
    div = DIV("a", SPAN("b"), _class="x")
    assert div.components[0] == "a" and div[1].tag == "span" and div["_class"] == "x"
    assert div["_missing"] is None and len(div) == 2 and bool(DIV()) is True
    div["_id"] = "d"
    div[0] = "z"
    del div["_class"]
    div.append(I("i"))
    div.insert(0, "first")
    assert div.xml() == '<div id="d">firstz<span>b</span><i>i</i></div>'
    assert div.update(_title="t")["_title"] == "t"


def test_a_single_list_argument_is_the_components():
    assert DIV(["a", B("b")]).components[1].tag == "b"
    assert len(DIV(("a", "b"))) == 2


def test_empty_tags_refuse_components():
    with pytest.raises(SyntaxError):
        INPUT("text")


def test_add_and_remove_class_keep_existing_order():
    div = DIV(_class="a b").add_class("c a")
    assert div["_class"] == "a b c"  # web2py's order is a set's: any order of the same names
    assert div.remove_class("a c")["_class"] == "b"


def test_elements_replace_and_remove():
    tree = DIV(DIV(SPAN("x", _class="abc"), SPAN("y")))
    tree.element("span.abc", replace=P("q"))
    assert tree.xml() == "<div><div><p>q</p><span>y</span></div></div>"
    tree.elements("span", replace=None)
    assert tree.xml() == "<div><div><p>q</p></div></div>"


def test_elements_with_regex_find_and_find_text():
    tree = DIV(SPAN("hello", _class="greeting big"), SPAN("bye"))
    assert tree.elements(_class=re.compile("big"))[0][0] == "hello"
    assert [s[0] for s in tree.elements("span", find="bye")] == ["bye"]
    tree.elements("span", find_text="hello", replace="hi")
    assert tree.xml() == '<div><span class="greeting big">hi</span><span>bye</span></div>'


def test_flatten_with_a_render_function():
    markdown = {"b": lambda t: f"**{t}**"}
    text = DIV(B("x"), " y").flatten(lambda t, tag=None, a=None: markdown.get(tag, lambda s: s)(t))
    assert text == "**x** y"


def test_xml_of_a_lazy_translation_is_its_text(tmp_path):
    T = Translator(tmp_path, None)  # noqa: N806 - web2py's name
    assert XML(T("<b>%s</b>", ("bold",))).xml() == "<b>bold</b>"
    assert XML(b"\xc3\xa8") == "è"


def test_attribute_values_are_always_escaped(tmp_path):
    T = Translator(tmp_path, None)  # noqa: N806 - web2py's name
    hostile = '"><script>x</script>'
    assert "<script>" not in DIV(_title=T("Hi %s", (hostile,))).xml()
    assert "<script>" not in DIV(_title=XML(hostile)).xml()
    assert DIV(_title=B("b")).xml() == '<div title="&lt;b&gt;b&lt;/b&gt;"></div>'


def test_invalid_attribute_names_are_refused():
    with pytest.raises(ValueError):
        DIV(**{'_a"b': 1}).xml()


def test_xmlescape_escapes_text_and_keeps_helpers():
    assert xmlescape('<a href="x">') == "&lt;a href=&quot;x&quot;&gt;"
    assert xmlescape(B("b")) == "<b>b</b>" and xmlescape(None) == ""


def test_tag_factory_and_helpers_pickle():
    import pickle

    made = TAG.custom(A("a", _href="/x"), _k=1)
    again = pickle.loads(pickle.dumps(made))
    assert again.xml() == made.xml() == '<custom k="1"><a href="/x">a</a></custom>'
    assert pickle.loads(pickle.dumps(XML("<i>x</i>"))).xml() == "<i>x</i>"
    assert CAT("a", B("b")).xml() == "a<b>b</b>"
