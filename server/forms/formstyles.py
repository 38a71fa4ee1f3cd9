"""Form layouts (web2py's ``formstyle``): each turns ``(row_id, label, control, comment)`` rows
into markup made of web2py's helpers, so ``form[0]`` is the table (or div) of rows and each row
takes ``element()``, ``insert()`` and ``append()`` as apps expect. A formstyle may also be any
callable an app provides: ``style(form, rows)``, or web2py's older ``style(row_id, label,
control, comment)`` returning one row (or a tuple of rows), which are gathered in a TABLE.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import Any

from server.helpers import DIV, LI, TABLE, TD, TR, UL, P

# one form row as formstyles get it: (row_id, label, control, comment)
FormRows = Sequence[tuple[str, Any, Any, Any]]
Formstyle = str | Callable[..., Any] | None


def _label_control_comment(container, row, cell, rows):
    """One ``row`` per field holding three ``cell``s (label, control, comment) in ``container``."""
    return container(*[
        row(cell(label, _class="w2p_fl"), cell(control, _class="w2p_fw"),
            cell(comment, _class="w2p_fc"), _id=row_id)
        for row_id, label, control, comment in rows])


def table3cols(form: object, rows: FormRows) -> DIV:
    return _label_control_comment(TABLE, TR, TD, rows)


def table2cols(form: object, rows: FormRows) -> DIV:
    cells = []
    for row_id, label, control, comment in rows:
        cells.append(TR(TD(label, _class="w2p_fl"), TD(comment, _class="w2p_fc"),
                        _id=row_id + "1"))
        cells.append(TR(TD(control, _class="w2p_fw", _colspan="2"), _id=row_id))
    return TABLE(*cells)


def divs(form: object, rows: FormRows) -> DIV:
    return _label_control_comment(DIV, DIV, DIV, rows)


def ul(form: object, rows: FormRows) -> DIV:
    return _label_control_comment(UL, LI, DIV, rows)


def bootstrap(form: object, rows: FormRows) -> DIV:
    """Bootstrap-like groups: label above the control, the comment as help text below."""
    groups = []
    for row_id, label, control, comment in rows:
        _add_class(control, "form-control")
        if label:
            _add_class(label, "control-label form-label")
        help_text = P(comment, _class="help-block form-text") if comment else ""
        groups.append(DIV(label, DIV(control, help_text, _class="controls"),
                          _class="form-group mb-3", _id=row_id))
    return DIV(*groups)


def _add_class(element, css_class):
    """Add ``css_class`` to text-like controls (not checkboxes, radios or buttons)."""
    name = (getattr(element, "name", "") or "").rstrip("/")
    kind = (element["_type"] or "text") if name == "input" else ""
    if name in ("select", "textarea", "label") or (name == "input" and kind not in (
            "checkbox", "radio", "submit", "button", "hidden", "file")):
        element["_class"] = f"{element['_class'] or ''} {css_class}".strip()


FORMSTYLES = {
    "table3cols": table3cols,
    "table2cols": table2cols,
    "divs": divs,
    "ul": ul,
    "bootstrap": bootstrap,
    "bootstrap3_stacked": bootstrap,
    "bootstrap3_inline": bootstrap,
    "bootstrap4_stacked": bootstrap,
    "bootstrap4_inline": bootstrap,
}


def apply(style: Formstyle, form: object, rows: FormRows) -> Any:
    """Lay out ``rows`` with a named or callable formstyle (default: table3cols)."""
    if not callable(style):
        return FORMSTYLES.get(style or "table3cols", table3cols)(form, rows)
    if _takes_form_and_rows(style):
        return style(form, rows)
    table = TABLE()
    for row in rows:
        made = style(*row)
        for part in made if isinstance(made, tuple) else (made,):
            table.append(part)
    return table


def _takes_form_and_rows(style) -> bool:
    """Whether ``style`` is a ``(form, rows)`` formstyle rather than a per-row one."""
    try:
        inspect.signature(style).bind(None, None)
    except TypeError:
        return False
    except ValueError:  # no signature to read (a builtin): take it as the usual kind
        return True
    return True
