"""yatl's HTML helpers as Pocketweb's apps see them: one safety fix applied on import, and the
web2py helpers yatl lacks (BR, HR, MENU, LOAD, ASSIGNJS, ...).

yatl escapes an attribute value only when it is a ``str``; any other object is written with
``str(value)`` unescaped. A lazy ``T(...)`` (or any object whose text may carry user input, e.g.
``INPUT(_placeholder=T('Hi %s', name))``) would then break out of its attribute. The fix makes
yatl escape the text of every value that is not a number, so the helpers can't emit unescaped
attribute text.
"""

from __future__ import annotations

import json
import uuid

import yatl.helpers
from yatl.helpers import CAT, DIV, LI, SCRIPT, SPAN, TAG, UL, XML, A
from yatl.sanitizer import xmlescape

from server.current import current
from server.routing import URL

_yatl_escape = yatl.helpers.escape


def escape_attribute(value) -> str:
    """The escaped text of any attribute value (numbers need none)."""
    if isinstance(value, (str, bytes)):
        return _yatl_escape(value)
    if isinstance(value, (int, float)):
        return str(value)
    return xmlescape(str(value))


if yatl.helpers.escape is not escape_attribute:
    yatl.helpers.escape = escape_attribute


# --------------------------------------------------------------------------------------------
# web2py helpers that yatl does not have
# --------------------------------------------------------------------------------------------
B = TAG.b
CENTER = TAG.center
COLGROUP = TAG.colgroup
FIELDSET = TAG.fieldset
IFRAME = TAG.iframe
LEGEND = TAG.legend
OBJECT = TAG.object
OPTGROUP = TAG.optgroup
TFOOT = TAG.tfoot
BR = TAG["br/"]
HR = TAG["hr/"]
COL = TAG["col/"]
EMBED = TAG["embed/"]


def MENU(data, **attributes):  # noqa: N802 - web2py's name
    """Nested lists from ``[(title, active, url, [submenu...]), ...]`` as web2py's MENU makes them."""
    li_class = attributes.pop("li_class", "web2py-menu-expand")
    li_active = attributes.pop("li_active", "web2py-menu-active")
    ul_class = attributes.pop("ul_class", "web2py-menu-vertical")
    attributes.setdefault("_class", "web2py-menu web2py-menu-vertical")

    def items(entries):
        for entry in entries:
            title, active, link = entry[0], entry[1], entry[2]
            submenu = entry[3] if len(entry) > 3 else None
            label = A(title, _href=link) if link else SPAN(title)
            classes = [li_active] if active else []
            if submenu:
                classes.append(li_class)
                yield LI(label, UL(*items(submenu), _class=ul_class), _class=" ".join(classes))
            else:
                yield LI(label, _class=" ".join(classes) or None)

    return UL(*items(data), **attributes)


def ASSIGNJS(**variables):  # noqa: N802 - web2py's name
    """``var name = <json>;`` lines, safe inside a <script> element."""
    lines = "".join(f"var {name} = {_script_json(value)};\n" for name, value in variables.items())
    return XML(lines)


def _script_json(value) -> str:
    return json.dumps(value).replace("</", "<\\/")


def LOAD(c=None, f="index", args=None, vars=None, extension="load", target=None,  # noqa: N802,A002
         ajax=False, ajax_trap=False, url=None, user_signature=False, content="loading...",
         **attributes):
    """Embed the output of another action (a component) in a page.

    ``ajax=True`` sends a placeholder that fetches ``url`` in the browser (no library needed);
    otherwise the action runs now, inside this request, sharing its models, db and session.
    """
    target = target or f"c{uuid.uuid4().hex[:12]}"
    if ajax or url is not None:
        url = url or URL(c=c, f=f, args=args, vars=vars, extension=extension,
                         user_signature=user_signature)
        return CAT(DIV(content, _id=target, **attributes), SCRIPT(_fetch_into(url, target)))
    html = current.component(c or current.request.controller, f, args or [], vars or {},
                             extension, target)
    return DIV(XML(html), _id=target, **attributes)


def _fetch_into(url: str, target: str) -> str:
    box, address = _script_json(target), _script_json(url)
    return ("(function(){var box=document.getElementById(" + box + ");"
            "fetch(" + address + ",{credentials:'same-origin',headers:{"
            "'web2py-component-location':location.href,'web2py-component-element':" + box + "}})"
            ".then(function(r){return r.text();})"
            ".then(function(html){box.innerHTML=html;});})();")


__all__ = ["ASSIGNJS", "B", "BR", "CENTER", "COL", "COLGROUP", "EMBED", "FIELDSET", "HR",
           "IFRAME", "LEGEND", "LOAD", "MENU", "OBJECT", "OPTGROUP", "TFOOT"]
