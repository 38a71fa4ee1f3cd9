"""web2py's HTML helpers (``gluon.html``): real classes apps can subclass, rendering web2py's
markup. See ``base`` for DIV and its API, ``tags``/``controls`` for the named tags,
``display`` for helpers that build markup from data, ``components`` for LOAD."""

from server.helpers import yatl_escape  # noqa: F401 - makes yatl (under the forms) escape attributes
from server.helpers.base import CAT, DIV, ON, TAG, XML, XmlComponent, xmlescape
from server.helpers.components import LOAD
from server.helpers.controls import INPUT, OPTGROUP, OPTION, SELECT, TEXTAREA
from server.helpers.display import ASSIGNJS, BEAUTIFY, CODE, MARKMIN, MENU, SAFEJSON, embed64
from server.helpers.tags import (
    BODY,
    BR,
    BUTTON,
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
    TH,
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

__all__ = [
    "A", "ASSIGNJS", "B", "BEAUTIFY", "BODY", "BR", "BUTTON", "CAT", "CENTER", "CODE", "COL",
    "COLGROUP", "DIV", "EM", "EMBED", "FIELDSET", "H1", "H2", "H3", "H4", "H5", "H6", "HEAD",
    "HR", "HTML", "I", "IFRAME", "IMG", "INPUT", "LABEL", "LEGEND", "LI", "LINK", "LOAD",
    "MARKMIN", "MENU", "META", "OBJECT", "OL", "ON", "OPTGROUP", "OPTION", "P", "PRE",
    "SAFEJSON", "SCRIPT", "SELECT", "SPAN", "STRONG", "STYLE", "TABLE", "TAG", "TBODY", "TD",
    "TEXTAREA", "TFOOT", "TH", "THEAD", "TITLE", "TR", "TT", "UL", "XHTML", "XML",
    "XmlComponent", "embed64", "xmlescape",
]
