"""Form controls: ``value=`` shown the way each kind of control shows it (each expected string
is what web2py 3.x's gluon.html renders)."""

import pytest

from server.forms import FORM
from server.helpers import INPUT, OPTGROUP, OPTION, SELECT, TEXTAREA
from server.storage import Storage

WEB2PY_BYTES = [
    pytest.param(lambda: INPUT(_name='n', value='Max'),
                 '<input name="n" type="text" value="Max" />'),
    pytest.param(lambda: INPUT(_type='checkbox', _name='c', value='on'),
                 '<input checked="checked" name="c" type="checkbox" value="on" />'),
    pytest.param(lambda: INPUT(_type='checkbox', _name='c', _value='a', value='a|b'),
                 '<input checked="checked" name="c" type="checkbox" value="a" />'),
    pytest.param(lambda: INPUT(_type='checkbox', _name='c', value=False),
                 '<input name="c" type="checkbox" value="on" />'),
    pytest.param(lambda: INPUT(_type='radio', _name='r', _value='yes', value='yes'),
                 '<input checked="checked" name="r" type="radio" value="yes" />'),
    pytest.param(lambda: INPUT(_type='radio', _name='r', _value='no', value='yes'),
                 '<input name="r" type="radio" value="no" />'),
    pytest.param(lambda: INPUT(_type='password', _name='p', value='secret'),
                 '<input name="p" type="password" />'),
    pytest.param(lambda: INPUT(_type='submit', _value='Send'),
                 '<input type="submit" value="Send" />'),
    pytest.param(lambda: INPUT(_type='hidden', _name='h', _value=3),
                 '<input name="h" type="hidden" value="3" />'),
    pytest.param(lambda: INPUT(_disabled=True, _name='d'),
                 '<input disabled="disabled" name="d" type="text" />'),
    pytest.param(lambda: TEXTAREA(_name='t', value='hello <b>'),
                 '<textarea cols="40" name="t" rows="10">hello &lt;b&gt;</textarea>'),
    pytest.param(lambda: TEXTAREA('body', _name='t', _rows=3),
                 '<textarea cols="40" name="t" rows="3">body</textarea>'),
    pytest.param(lambda: SELECT('a', 'b', _name='s', value='b'),
                 ('<select name="s"><option value="a">a</option><option selected="selected" value="'
                  'b">b</option></select>')),
    pytest.param(lambda: SELECT(OPTION('One', _value=1), OPTION('Two', _value=2), _name='s', value=2),
                 ('<select name="s"><option value="1">One</option><option selected="selected" value'
                  '="2">Two</option></select>')),
    pytest.param(lambda: SELECT(OPTGROUP('x', 'y', _label='g'), 'z', _name='s', _multiple=True, value=['y', 'z']),  # noqa: E501
                 ('<select multiple="multiple" name="s"><optgroup label="g"><option value="x">x</op'
                  'tion><option selected="selected" value="y">y</option></optgroup><option selected'
                  '="selected" value="z">z</option></select>')),
    pytest.param(lambda: OPTION('lbl'),
                 '<option value="lbl">lbl</option>'),
]


@pytest.mark.parametrize(("build", "expected"), WEB2PY_BYTES)
def test_renders_web2pys_bytes(build, expected):
    assert build().xml() == expected


def test_an_error_is_shown_after_the_control():
    field = INPUT(_name="n")
    field.errors = Storage(n="Enter a value")
    assert field.xml() == ('<input class="invalidinput" name="n" type="text" /><div '
                           'class="error_wrapper"><div class="error" id="n__error">Enter a value'
                           '</div></div>')


def test_the_forms_validate_these_controls():
    from pydal.validators import IS_NOT_EMPTY

    form = FORM(INPUT(_name="a", requires=IS_NOT_EMPTY()), SELECT("x", "y", _name="s"),
                TEXTAREA(_name="t"))
    posted = Storage(a="", s="y", t="hi", _formname="default")
    form.accepts(posted, session=None, formname="default")
    assert form.errors.a and form.element("select").element(_value="y")["_selected"]
    assert form.element("textarea").components == ["hi"]
