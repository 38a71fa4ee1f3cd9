"""SQLTABLE: pydal Rows as an HTML table (web2py's ``SQLTABLE``), values shown via ``represent``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from yatl.helpers import TAGGER

from server.forms.widgets import format_value
from server.helpers import INPUT, TBODY, TD, TH, THEAD, TR, A

if TYPE_CHECKING:
    from pydal import DAL
    from pydal.objects import Field, Row, Rows

REGEX_TABLE_DOT_FIELD = re.compile(r"^(\w+)\.(\w+)$")


def column_field(db: DAL | None, colname: str) -> Field | None:
    """The Field named by ``'table.field'`` in ``db``, or None (expressions, unknown names)."""
    match = REGEX_TABLE_DOT_FIELD.match(colname)
    if not match or db is None or match.group(1) not in db.tables:
        return None
    table = db[match.group(1)]
    return table[match.group(2)] if match.group(2) in table.fields else None


def truncated(text: object, length: int | None) -> str:
    text = str(text)
    if length and len(text) > length:
        return text[: max(length - 3, 1)] + "..."
    return text


def represent_value(field: Field | None, value: object, row: Row | None, upload: str | None = None,
                    linkto: str | None = None, truncate: int | None = 16) -> object:
    """How one cell shows a value: represent or text, a download link, a record link."""
    if field is None:
        return truncated("" if value is None else value, truncate)
    if field.type == "upload":
        return A("file", _href=f"{upload}/{value}") if upload and value else ""
    if field.type == "boolean" and not field.represent:
        return INPUT(_type="checkbox", _checked=bool(value), _disabled=True,
                     **{"_aria-label": field.label})
    shown = _shown(field, value, row, truncate)
    if linkto and value is not None and field.type == "id":
        return A(shown, _href=f"{linkto}/{field.tablename}/{value}")
    if linkto and value is not None and field.type.startswith("reference"):
        referenced = field.type[10:].split(".")[0]
        return A(shown, _href=f"{linkto}/{referenced}/{value}")
    return shown


def _shown(field, value, row, truncate):
    if field.represent:
        try:
            shown = field.represent(value, row)
        except Exception:
            shown = value
        return shown if hasattr(shown, "xml") else truncated("" if shown is None else shown,
                                                              truncate)
    return "" if value is None else truncated(format_value(field, value), truncate)


class SQLTABLE(TAGGER):
    """``SQLTABLE(rows, linkto=None, upload=None, orderby=None, headers={}, truncate=16, ...)``.

    ``headers`` maps ``'table.field'`` to a label (or is ``'fieldname:capitalize'`` /
    ``'labels'``); ``columns`` picks and orders the columns; ``extracolumns`` adds computed
    columns (``dict(label=..., content=lambda row, rc: ...)``); ``orderby=True`` links each header
    to ``th_link?orderby=<column>``; ``selectid`` marks one row as selected.
    """

    def __init__(self, sqlrows: Rows, linkto: str | None = None, upload: str | None = None,
                 orderby: object = None, headers: dict | str | None = None,
                 truncate: int | None = 16, columns: list[str] | None = None, th_link: str = "",
                 extracolumns: list[dict] | None = None, selectid: int | None = None,
                 renderstyle: bool = False, cid: str | None = None, colgroup: bool = False,
                 **attributes: Any) -> None:
        self.rows = sqlrows
        self.db = getattr(sqlrows, "db", None)
        self.columns = list(columns or getattr(sqlrows, "colnames", []))
        self.linkto, self.upload, self.truncate = linkto, upload, truncate
        self.extracolumns = extracolumns or []
        attributes.setdefault("_class", "web2py_sqltable")
        head = self._head(headers, orderby, th_link)
        body = TBODY(*[self._row(row, number, selectid) for number, row in enumerate(sqlrows)])
        super().__init__("table", head, body, **attributes)

    def _label(self, colname, headers):
        field = column_field(self.db, colname)
        if isinstance(headers, dict) and colname in headers:
            return headers[colname]
        if headers == "fieldname:capitalize":
            return colname.split(".")[-1].replace("_", " ").capitalize()
        if field is not None:
            return field.label
        return colname

    def _head(self, headers, orderby, th_link):
        cells = []
        for colname in self.columns:
            label = self._label(colname, headers or {})
            if orderby:
                label = A(label, _href=f"{th_link}?orderby={colname}")
            cells.append(TH(label, _scope="col"))
        cells += [TH(extra.get("label", ""), _scope="col") for extra in self.extracolumns]
        return THEAD(TR(*cells))

    def _row(self, row, number, selectid):
        cells = []
        for colname in self.columns:
            field = column_field(self.db, colname)
            try:
                value = row[colname]
            except (KeyError, AttributeError):
                value = None
            cells.append(TD(represent_value(field, value, row, self.upload, self.linkto,
                                            self.truncate)))
        for extra in self.extracolumns:
            cells.append(TD(extra["content"](row, self.columns), _class=extra.get("class")))
        css = "w2p_odd odd" if number % 2 else "w2p_even even"
        row_id = _row_id(row)
        if selectid is not None and str(row_id) == str(selectid):
            css += " w2p_selected"
        return TR(*cells, _class=css)


def _row_id(row):
    try:
        return row["id"]
    except (KeyError, AttributeError):
        return None
