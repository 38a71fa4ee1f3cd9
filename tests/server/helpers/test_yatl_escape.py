"""yatl's helpers (under the forms) escape every attribute value, lazy translations included."""

from yatl.helpers import DIV, INPUT

from server.helpers import yatl_escape  # noqa: F401 - the fix under test
from server.translation.i18n import Translator


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
