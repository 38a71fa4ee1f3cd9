"""Small form helpers web2py apps import from ``gluon.tools``: run ``onaccept``-style callbacks,
resolve a ``next`` URL after a form, add a row to an already built form."""

from __future__ import annotations

from typing import Any

from server.forms.form import resolve_next
from server.forms.formstyles import apply as apply_formstyle
from server.helpers import LABEL
from server.routing import URL


def callback(actions: Any, form: Any, tablename: str | None = None) -> None:
    """Call ``actions`` (a callable, a list of them, or a dict of them by table name) with
    ``form``."""
    if not actions:
        return
    if tablename and isinstance(actions, dict):
        actions = actions.get(tablename, [])
    for action in actions if isinstance(actions, (list, tuple)) else [actions]:
        action(form)


def replace_id(url: str | None, form: Any) -> str:
    """The URL to go to after ``form``: ``[id]`` becomes the record's id; a path or full URL is
    kept, a bare name is a function of the current controller."""
    if not url:
        return URL(url)
    return resolve_next(url, {"id": form.vars.id})


def addrow(form: Any, a: Any, b: Any, c: Any, style: Any, _id: str, position: int = -1) -> None:
    """Insert a row (label ``a``, control ``b``, comment ``c``) into ``form``'s first component
    (its table or div of fields), laid out like the form's ``style``."""
    label = LABEL(a) if a and not hasattr(a, "xml") else a
    laid_out = apply_formstyle(style, form, [(_id, label, b, c)])
    rows = getattr(laid_out, "components", None) or getattr(laid_out, "children", [laid_out])
    for offset, row in enumerate(list(rows)):
        form[0].insert(position if position < 0 else position + offset, row)
