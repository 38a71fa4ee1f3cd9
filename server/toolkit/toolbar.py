"""``response.toolbar()``: web2py's debugging panel for a page under development.

Buttons show the request, the session, the response, the database tables and the queries this
request ran (with their times). It needs no JavaScript library: each button toggles its panel.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydal import DAL

from server.current import current
from server.helpers import BEAUTIFY, BUTTON, DIV, PRE, TABLE, TR, A

_TOGGLE = "var e=document.getElementById('{0}');e.style.display=e.style.display=='none'?'':'none';"


def _database_panels() -> tuple[dict, list]:
    tables, queries = {}, []
    for uri, info in DAL.get_instances().items():
        tables[uri] = {"defined": info["dbtables"]["defined"] or "[no defined tables]",
                       "lazy": info["dbtables"]["lazy"] or "[no lazy tables]"}
        queries.append(TABLE(*[TR(PRE(sql), f"{seconds * 1000:.2f}ms")
                               for sql, seconds in info["dbstats"]]))
    return tables, queries


def _request_snapshot(request) -> dict:
    """The request's public attributes, with its lazily parsed vars filled in."""
    shown = dict(request.items()) if hasattr(request, "items") else {}
    shown.update(vars=request.vars, get_vars=request.get_vars, post_vars=request.post_vars)
    shown.pop("environ", None)
    return shown


def toolbar(response: Any) -> DIV:
    """The panel for ``response`` (and ``current``'s request and session)."""
    marker = uuid.uuid4().hex
    tables, queries = _database_panels()
    panels = {
        "request": BEAUTIFY(_request_snapshot(current.request)),
        "session": BEAUTIFY(dict(current.session or {})),
        "response": BEAUTIFY(dict(response.items())),
        "db tables": BEAUTIFY(tables),
        "db stats": BEAUTIFY(queries),
    }
    back_to_top = A("Back to top", _href=f"#totop-{marker}")
    buttons = [BUTTON(name, _type="button",
                      _onclick=_TOGGLE.format(f"{name.replace(' ', '-')}-{marker}"))
               for name in panels]
    boxes = [DIV(panel, back_to_top, _class="w2p-toolbar-hidden", _style="display:none",
                 _id=f"{name.replace(' ', '-')}-{marker}") for name, panel in panels.items()]
    return DIV(*buttons, *boxes, _id=f"totop-{marker}")
