"""Helpers escape every attribute value, lazy translations included."""

from yatl.helpers import DIV, INPUT

from server import helpers  # noqa: F401 - the fix under test
from server.i18n import Translator


def test_a_lazy_translation_cannot_break_out_of_an_attribute(tmp_path):
    T = Translator(tmp_path, None)  # noqa: N806 - web2py's name
    html = INPUT(_placeholder=T('Hi %s', ('"><script>x</script>',))).xml()
    assert "<script>" not in html
    assert 'placeholder="Hi &quot;&gt;&lt;script&gt;' in html


def test_strings_and_numbers_render_as_before():
    assert DIV("a<b", _title='q"x', _tabindex=3).xml() == \
        '<div tabindex="3" title="q&quot;x">a&lt;b</div>'


def test_other_objects_as_children_are_escaped():
    class Shouty:
        def __str__(self):
            return "<b>loud</b>"

    assert DIV(Shouty()).xml() == "<div>&lt;b&gt;loud&lt;/b&gt;</div>"


def test_web2py_helpers_yatl_lacks():
    from server.helpers import ASSIGNJS, BR, HR, MENU, B

    assert (BR().xml(), HR().xml(), B("x").xml()) == ("<br/>", "<hr/>", "<b>x</b>")
    menu = MENU([("Home", True, "/a", []), ("More", False, None, [("Sub", False, "/b")])]).xml()
    assert '<li class="web2py-menu-active"><a href="/a">Home</a></li>' in menu
    assert '<span>More</span><ul class="web2py-menu-vertical"><li><a href="/b">Sub</a>' in menu
    assert ASSIGNJS(x="</script>").xml() == 'var x = "<\\/script>";\n'


COMPONENT_APP = {
    "models/db.py": "counter = ['model ran']\n",
    "controllers/default.py": """
        def index():
            return dict()

        def lazy():
            return dict()

        def box():
            counter.append('box')
            session.seen = True
            return SPAN('box %s %s %s' % (request.args(0), request.vars.k, len(counter)))
    """,
    "views/default/index.html": "<main>{{=LOAD('default', 'box', args=[7], vars=dict(k='v'))}}"
                                "</main>{{=request.function}}",
    "views/default/lazy.html": "{{=LOAD('default', 'box.load', ajax=True, target='here')}}",
}


def test_load_runs_a_component_inside_the_page(root, live_server, browser):
    from support import write_app

    write_app(root, "comp", COMPONENT_APP)
    base = live_server(root) + "/comp/default"
    page = browser.get(base + "/index").text
    # one model run shared with the page; the page's own request is intact afterwards
    assert '<div id="c' in page and "<span>box 7 v 2</span>" in page
    assert page.endswith("</main>index")


def test_load_with_ajax_fetches_the_component_in_the_browser(root, live_server, http):
    from support import write_app

    write_app(root, "comp", COMPONENT_APP)
    base = live_server(root) + "/comp/default"
    page = http(base + "/lazy").text
    assert '<div id="here">loading...</div><script>' in page
    assert 'fetch("/comp/default/box.load"' in page
    assert http(base + "/box.load/1").text == "<span>box 1 None 2</span>"
