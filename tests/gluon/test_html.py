"""``gluon.html`` exports what web2py's does, as Pocketweb's own helper classes."""

import gluon.html
from gluon.html import DIV, FORM, SPAN, URL, XML, verifyURL
from server import helpers

WEB2PY_NAMES = (
    "A ASSIGNJS B BEAUTIFY BODY BR BUTTON CENTER CAT CODE COL COLGROUP DIV EM EMBED FIELDSET "
    "FORM H1 H2 H3 H4 H5 H6 HEAD HR HTML I IFRAME IMG INPUT LABEL LEGEND LI LINK OL UL MARKMIN "
    "MENU META OBJECT ON OPTION P PRE SCRIPT OPTGROUP SELECT SPAN STRONG STYLE TABLE TAG TD "
    "TEXTAREA TH THEAD TBODY TFOOT TITLE TR TT URL XHTML XML SAFEJSON xmlescape embed64"
).split()


def test_every_name_web2py_exports_is_there():
    missing = [name for name in WEB2PY_NAMES if not hasattr(gluon.html, name)]
    assert missing == []
    assert gluon.html.DIV is helpers.DIV and callable(verifyURL) and callable(URL)


def test_an_app_widget_subclasses_a_helper():
    class Badge(SPAN):
        def __init__(self, text, **attributes):
            super().__init__(text, _class="badge", **attributes)

    assert DIV(Badge("new")).xml() == '<div><span class="badge">new</span></div>'


def test_form_is_the_validating_form():
    assert hasattr(FORM(), "process") and XML("<b>x</b>").xml() == "<b>x</b>"
