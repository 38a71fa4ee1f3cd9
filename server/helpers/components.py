"""``LOAD``: another action's output embedded in a page (a component), now or by fetch."""

from __future__ import annotations

import json
import uuid
from typing import Any

from server.current import current
from server.helpers.base import CAT, DIV, XML
from server.helpers.tags import SCRIPT
from server.routing import URL


def _script_json(value) -> str:
    return json.dumps(value).replace("</", "<\\/")


def LOAD(c: str | None = None, f: str = "index", args: Any = None,  # noqa: N802
         vars: dict | None = None, extension: str = "load",  # noqa: A002
         target: str | None = None, ajax: bool = False, ajax_trap: bool = False,
         url: str | None = None, user_signature: bool = False, content: Any = "loading...",
         **attributes: Any) -> Any:
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
