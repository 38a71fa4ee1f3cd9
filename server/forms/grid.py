"""SQLFORM.grid: list, search, sort, page, view, add, edit, delete, export (smartgrid builds on it).

The grid lives at its action's URL; its sub-pages follow the action's own ``args``:
``.../new/<table>``, ``.../view/<table>/<id>``, ``.../edit/<table>/<id>``,
``.../delete/<table>/<id>``. With ``user_signature=True`` (the default) those links carry an
HMAC made with a per-session key, so a link copied to another user's session is refused (403).
Deleting always goes through a confirmation page whose POST form carries a single-use key;
a GET never deletes. Listing state travels in ``keywords``, ``order`` and ``page`` variables.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn

from pydal.helpers.methods import smart_query
from yatl.helpers import TAGGER

from server.current import current
from server.forms.exporters import export_choices
from server.forms.form import FORM, translate
from server.forms.sqlform import SQLFORM
from server.forms.sqltable import represent_value
from server.headers import content_disposition_header
from server.helpers import DIV, H2, INPUT, LABEL, LI, SPAN, TABLE, TBODY, TD, TH, THEAD, TR, UL, A, P
from server.helpers.base import TagDiv
from server.http import HTTP, client_error, redirect
from server.routing import URL
from server.transactions import quiet_rollback

if TYPE_CHECKING:
    from pydal.objects import Field, Query, Row, Rows, Table

Callback = Callable[..., Any] | None

TEXT_TYPES = ("string", "text", "list:string")
ACTIONS = ("new", "view", "edit", "delete")


def grid(query: Query | Table, **options: Any) -> TAGGER:
    """web2py's ``SQLFORM.grid(query, fields=None, ...)``; returns a DIV with the page."""
    return Grid(query, **options).render()


class Grid:
    """One grid request: decides from ``request.args`` which page to build."""

    def __init__(self, query: Query | Table, fields: list[Field] | None = None,
                 field_id: Field | None = None, left: object = None,
                 headers: dict | None = None, orderby: object = None, groupby: object = None,
                 searchable: bool = True, sortable: bool = True, paginate: int = 20,
                 deletable: object = True, editable: object = True, details: object = True,
                 selectable: Callback = None, create: object = True, csv: bool = True,
                 links: list | None = None, upload: str | None = "<default>",
                 args: list | None = None, user_signature: bool = True,
                 maxtextlength: int = 20, maxtextlengths: dict | None = None,
                 onvalidation: Callback = None, oncreate: Callback = None,
                 onupdate: Callback = None, ondelete: Callback = None,
                 formname: str = "web2py_grid", formstyle: object = None,
                 ignore_rw: bool = False, formargs: dict | None = None,
                 createargs: dict | None = None, editargs: dict | None = None,
                 viewargs: dict | None = None, _class: str = "web2py_grid",
                 selectable_submit_button: str = "Submit", represent_none: object = None,
                 exportclasses: dict | None = None, **ignored: object) -> None:
        if hasattr(query, "_tablename") and hasattr(query, "fields"):
            query = query._id > 0
        self.query, self.db = query, query._db
        self.left = left
        self.tables = list(self.db._adapter.tables(query).values())
        self.field_id = field_id or self.tables[0]._id
        self.table = self.field_id.table
        self.fields = list(fields or [f for t in self.tables for f in t if f.readable])
        shown = {str(f) for f in self.fields}  # not ``in``: Field == Field builds a Query
        self.fields_selected = self.fields if str(self.field_id) in shown else \
            [*self.fields, self.field_id]
        self.headers, self.orderby, self.groupby = headers or {}, orderby, groupby
        self.searchable, self.sortable, self.paginate = searchable, sortable, paginate
        self.permissions = dict(new=create, view=details, edit=editable, delete=deletable)
        self.selectable, self.selectable_submit_button = selectable, selectable_submit_button
        self.csv, self.links, self.user_signature = csv, links or [], user_signature
        self.exporters = export_choices(exportclasses)
        self.maxtextlength, self.maxtextlengths = maxtextlength, maxtextlengths or {}
        self.callbacks = dict(onvalidation=onvalidation, oncreate=oncreate,
                              onupdate=onupdate, ondelete=ondelete)
        self.formname, self.formstyle, self.ignore_rw = formname, formstyle, ignore_rw
        self.formargs = dict(formargs or {})
        self.createargs, self.editargs = createargs or {}, editargs or {}
        self.viewargs = viewargs or {}
        self.css_class, self.represent_none = _class, represent_none
        self.request = current.request
        self.base_args = [str(a) for a in args or []]
        self.action_args = list(self.request.args[len(self.base_args):])
        self.upload = URL("download") if upload == "<default>" else upload

    # ----------------------------------------------------------------- URLs

    def url(self, *extra: object, variables: dict | None = None, signed: bool = False) -> str:
        return URL(args=[*self.base_args, *extra], vars=variables or {},
                   user_signature=bool(signed and self.user_signature), hash_vars=False)

    def listing_vars(self, **changes: str | None) -> dict:
        """The current keywords/order/page, with ``changes`` applied (None drops a var)."""
        variables = {k: _single(self.request.vars.get(k)) for k in ("keywords", "order", "page")}
        variables.update(changes)
        return {k: v for k, v in variables.items() if v not in (None, "")}

    def _check_signature(self):
        if self.user_signature and not URL.verify(self.request, user_signature=True,
                                                   hash_vars=False):
            raise HTTP(403, "not authorized: this link is not signed for your session")

    # ----------------------------------------------------------------- dispatch

    def render(self) -> TAGGER:
        action = self.action_args[0] if self.action_args else None
        if action is None:
            return self.listing()
        if action not in ACTIONS:
            raise HTTP(404, "unknown grid page")
        self._check_signature()
        if len(self.action_args) < 2 or self.action_args[1] != self.table._tablename:
            raise HTTP(404, "unknown table")
        if action == "new":
            return self.create_page()
        record = self._record(self.action_args[2] if len(self.action_args) > 2 else None)
        self._require(action, record)
        return getattr(self, f"{action}_page")(record)

    def _record(self, record_id):
        if record_id is None or not str(record_id).isdigit():
            raise HTTP(404, "record not found")
        found = self.db(self.query)(self.table._id == int(record_id)).select(
            self.table.ALL, left=self.left, limitby=(0, 1)).first()
        if found is None:
            raise HTTP(404, "record not found")
        return found

    def allowed(self, action: str, row: Row | None = None) -> bool:
        permission = self.permissions[action]
        if callable(permission) and action != "new":
            return bool(permission(row)) if row is not None else True
        return bool(permission)

    def _require(self, action, row=None):
        if not self.allowed(action, row):
            raise HTTP(403, "not authorized")

    # ----------------------------------------------------------------- record pages

    def _form_args(self, specific) -> dict:
        args = dict(formstyle=self.formstyle, ignore_rw=self.ignore_rw, upload=self.upload)
        args.update(self.formargs)
        args.update(specific)
        return args

    def _page(self, title, *content, **attributes):
        back = A(translate("Back"), _href=self.url(variables=self.listing_vars()),
                 _class="button btn btn-default w2p_back")
        page = DIV(DIV(back, _class="w2p_grid_nav"), _title(title), *content,
                   _class=self.css_class)
        for name, value in attributes.items():
            setattr(page, name, value)
        return page

    def create_page(self) -> TAGGER:
        self._require("new")
        form = SQLFORM(self.table, **self._form_args(self.createargs))
        form.process(formname=self.formname, onvalidation=self.callbacks["onvalidation"])
        if form.accepted:
            self._call("oncreate", form)
            self._done(translate("Record created"))
        return self._page(translate("New record"), form, create_form=form)

    def edit_page(self, record: Row) -> TAGGER:
        deletable = self.allowed("delete", record)
        form = SQLFORM(self.table, record, deletable=deletable, **self._form_args(self.editargs))
        form.process(formname=self.formname, onvalidation=self._edit_validation(record))
        if form.accepted:
            if form.vars.get(SQLFORM.FIELDNAME_REQUEST_DELETE):
                self._done(translate("Record deleted"))
            self._call("onupdate", form)
            self._done(translate("Record updated"))
        return self._page(translate("Edit record"), form, update_form=form)

    def _edit_validation(self, record):
        def check(form):
            if self.callbacks["onvalidation"]:
                self.callbacks["onvalidation"](form)
            if not form.errors and form.vars.get(SQLFORM.FIELDNAME_REQUEST_DELETE):
                self._call("ondelete", self.table, record[self.table._id.name])
        return check

    def view_page(self, record: Row) -> TAGGER:
        form = SQLFORM(self.table, record, readonly=True, **self._form_args(self.viewargs))
        buttons = []
        record_id = record[self.table._id.name]
        if self.allowed("edit", record):
            buttons.append(self.button("Edit", "edit", record_id))
        return self._page(translate("View record"), form, DIV(*buttons, _class="w2p_buttons"),
                          view_form=form)

    def delete_page(self, record: Row) -> TAGGER:
        """Ask first; only the confirmation's POST (with its form key) deletes."""
        record_id = record[self.table._id.name]
        form = FORM(P(translate("Delete record %s?") % record_id),
                    INPUT(_type="submit", _value=translate("Delete"), _class="btn btn-danger"),
                    A(translate("Cancel"), _href=self.url(variables=self.listing_vars()),
                      _class="button btn"))
        if form.process(formname=f"{self.formname}_delete", message_onsuccess="").accepted:
            self._call("ondelete", self.table, record_id)
            self.db(self.table._id == record_id).delete()
            self._done(translate("Record deleted"))
        return self._page(translate("Delete record"), form, delete_form=form)

    def _call(self, name, *args):
        callback = self.callbacks[name]
        if callback:
            callback(*args)

    def _done(self, message):
        current.session.flash = message
        redirect(self.url(variables=self.listing_vars()))

    # ----------------------------------------------------------------- listing

    def listing(self) -> TAGGER:
        query, search_error = self.search_query()
        export_type = _single(self.request.vars.get("_export_type"))
        if self.csv and export_type:
            self.export(query, export_type)
        total, rows, select_error = self._select(query)
        page = DIV(self.console(), _class=self.css_class)
        message = search_error or select_error
        if message:
            page.append(DIV(message, _class="w2p_grid_error error", _role="alert"))
        page.append(P(translate("%s records found") % total, _class="w2p_counter",
                      _role="status"))
        page.append(self.selection_form(self.table_of(rows)) if self.selectable else
                    DIV(self.table_of(rows), _class="web2py_table"))
        page.append(self.paginator(total))
        if self.csv and total:
            page.append(self.export_link())
        page.rows = rows
        return page

    def export_link(self) -> TAGGER:
        """One link per export format, each for everything the current search finds."""
        links = [A(translate(label), _title=translate(title), _class="button btn w2p_export",
                   _href=self.url(variables=self.listing_vars(_export_type=name, page=None)))
                 for name, (_cls, label, title) in sorted(self.exporters.items())]
        return DIV(translate("Export:"), " ", *links, _class="w2p_export_menu")

    def search_fields(self) -> list[Field]:
        return [f for f in self.fields if f.readable and f.type != "password"]

    def search_query(self) -> tuple[Query, object]:
        """The grid query narrowed by ``keywords``: web2py's ``field op value`` syntax, else text.

        Returns ``(query, error message or None)``; a query that cannot be understood narrows
        nothing and shows the message instead of failing.
        """
        keywords = _single(self.request.vars.get("keywords"))
        if not self.searchable or not keywords:
            return self.query, None
        try:
            narrowing = smart_query(self.search_fields(), keywords)
        except Exception:
            narrowing = None
        if narrowing is None:
            narrowing = self.text_query(keywords)
        if narrowing is None:
            return self.query, translate("Nothing to search in")
        return self.query & narrowing, None

    def text_query(self, keywords: str) -> Query | None:
        fields = [f for f in self.search_fields() if f.type in TEXT_TYPES]
        if not fields:
            return None
        query = None
        for word in keywords.split():
            matches = [f.contains(word) for f in fields]
            any_field = matches[0]
            for match in matches[1:]:
                any_field |= match
            query = any_field if query is None else query & any_field
        return query

    def sort_order(self) -> tuple[object, str | None, bool]:
        """``(orderby expression, column name, descending)`` from the ``order`` variable."""
        order = _single(self.request.vars.get("order")) or ""
        descending = order.startswith("~")
        wanted = order.lstrip("~")
        for field in self.fields:
            if self.sortable and str(field) == wanted:
                return (~field if descending else field), wanted, descending
        return self.orderby, None, False

    def current_page(self) -> int:
        page = _single(self.request.vars.get("page"))
        return int(page) if page and str(page).isdigit() and int(page) > 0 else 1

    def _select(self, query):
        orderby = self.sort_order()[0]
        limitby = None
        if self.paginate:
            start = (self.current_page() - 1) * self.paginate
            limitby = (start, start + self.paginate)
        try:
            dbset = self.db(query)
            total = dbset.count(distinct=self.field_id if self.left else None)
            rows = dbset.select(*self.fields_selected, left=self.left, orderby=orderby,
                                groupby=self.groupby, limitby=limitby)
        except Exception:
            quiet_rollback(self.db)
            return 0, self.db(self.table._id < 0).select(*self.fields_selected), \
                translate("Invalid query")
        return total, rows, None

    def export(self, query: Query, export_type: str) -> NoReturn:
        """Answer with the whole search result in ``export_type``'s format (an HTTP 200)."""
        if export_type not in self.exporters:
            raise client_error(400, "unknown export type")
        fields = list(self.fields)
        if export_type.endswith("with_hidden_cols"):
            shown = {str(f) for f in fields}
            fields += [f for t in self.tables for f in t if f.readable and str(f) not in shown]
        try:
            rows = self.db(query).select(*fields, left=self.left,
                                         orderby=self.sort_order()[0], groupby=self.groupby)
        except Exception as exc:
            quiet_rollback(self.db)
            raise HTTP(400, "invalid query") from exc
        exporter = self.exporters[export_type][0](rows)
        filename = _single(self.request.vars.get("_export_filename")) or "rows"
        raise HTTP(200, exporter.export() or "", **{
            "Content-Type": exporter.content_type,
            "Content-Disposition": content_disposition_header(f"{filename}.{exporter.file_ext}")})

    # ----------------------------------------------------------------- listing parts

    def console(self) -> TAGGER:
        parts = []
        if self.searchable:
            parts.append(self.search_form())
        if self.allowed("new"):
            parts.append(A(translate("Add record"),
                           _href=self.url("new", self.table._tablename, signed=True),
                           _class="button btn btn-default w2p_add"))
        return DIV(*parts, _class="web2py_console")

    def search_form(self) -> TAGGER:
        keywords = _single(self.request.vars.get("keywords")) or ""
        search_id = f"{self.formname}_keywords"
        example = str((self.search_fields() or [self.field_id])[-1])
        hint = translate('Words, or e.g. %s contains "x"') % example
        order = _single(self.request.vars.get("order"))
        hidden = [INPUT(_type="hidden", _name="order", _value=order)] if order else []
        return TagDiv("form",
            LABEL(translate("Search"), _for=search_id),
            INPUT(_type="search", _name="keywords", _id=search_id, _value=keywords,
                  _title=hint, _class="form-control"),
            *hidden,
            INPUT(_type="submit", _value=translate("Search"), _class="btn btn-default"),
            A(translate("Clear"), _href=self.url(), _class="button btn"),
            _action=self.url(), _method="get", _role="search", _class="web2py_search")

    def header(self, field: Field) -> TAGGER:
        label = self.headers.get(str(field), field.label)
        if not self.sortable:
            return TH(label, _scope="col")
        _expr, column, descending = self.sort_order()
        is_sorted = column == str(field)
        next_order = f"~{field}" if is_sorted and not descending else str(field)
        marker = (" ▼" if descending else " ▲") if is_sorted else ""
        link = A(label, marker, _href=self.url(variables=self.listing_vars(order=next_order,
                                                                          page=None)))
        sort_state = ("descending" if descending else "ascending") if is_sorted else None
        return TH(link, _scope="col", **({"_aria-sort": sort_state} if sort_state else {}))

    def table_of(self, rows: Rows) -> TAGGER:
        heads = [self.header(f) for f in self.fields]
        heads += [TH(_link_header(link), _scope="col") for link in self.links]
        if self._has_buttons():
            heads.append(TH(SPAN(translate("Actions"), _class="w2p_sr_only"), _scope="col"))
        if self.selectable:
            heads.insert(0, TH(SPAN(translate("Select"), _class="w2p_sr_only"), _scope="col"))
        body = [self.table_row(row, number) for number, row in enumerate(rows)]
        return TABLE(THEAD(TR(*heads)), TBODY(*body), _class="table w2p_grid_table")

    def _has_buttons(self) -> bool:
        return any(self.permissions[a] for a in ("view", "edit", "delete"))

    def table_row(self, row: Row, number: int) -> TAGGER:
        record_id = row[str(self.field_id)]
        cells = [TD(self.cell(f, row)) for f in self.fields]
        cells += [TD(_link_body(link, row)) for link in self.links]
        if self._has_buttons():
            buttons = [self.button(label, action, record_id)
                       for label, action in (("View", "view"), ("Edit", "edit"),
                                             ("Delete", "delete"))
                       if self.allowed(action, _table_row(row, self.table))]
            cells.append(TD(*buttons, _class="row_buttons"))
        if self.selectable:
            box_id = f"{self.formname}_select_{record_id}"
            cells.insert(0, TD(INPUT(_type="checkbox", _name="records", _value=record_id,
                                     _id=box_id, **{"_aria-label": f"Select {record_id}"})))
        return TR(*cells, _class="w2p_odd odd" if number % 2 else "w2p_even even")

    def cell(self, field: Field, row: Row) -> object:
        value = row[str(field)]
        if value is None and self.represent_none is not None:
            return self.represent_none
        limit = self.maxtextlengths.get(str(field), self.maxtextlength)
        return represent_value(field, value, row, upload=self.upload, truncate=limit)

    def button(self, label: str, action: str, record_id: int) -> TAGGER:
        href = self.url(action, self.table._tablename, record_id, signed=True)
        return A(translate(label), _href=href, _class=f"button btn btn-default w2p_{action}",
                 **{"_aria-label": f"{translate(label)} {record_id}"})

    def paginator(self, total: int) -> TAGGER | str:
        if not self.paginate or total <= self.paginate:
            return ""
        pages = (total + self.paginate - 1) // self.paginate
        page = min(self.current_page(), pages)
        items = []
        if page > 1:
            items.append(LI(self._page_link(translate("Previous"), page - 1)))
        for number in range(max(1, page - 5), min(pages, page + 5) + 1):
            if number == page:
                items.append(LI(SPAN(str(number), _class="current",
                                     **{"_aria-current": "page"})))
            else:
                items.append(LI(self._page_link(str(number), number)))
        if page < pages:
            items.append(LI(self._page_link(translate("Next"), page + 1)))
        return DIV(UL(*items), _class="web2py_paginator", _role="navigation",
                   **{"_aria-label": translate("Pages")})

    def _page_link(self, text, number):
        return A(text, _href=self.url(variables=self.listing_vars(page=str(number))))

    def selection_form(self, table: TAGGER) -> FORM:
        """Checkbox per row and one submit; ``selectable(ids)`` gets the ids of this grid."""
        form = FORM(DIV(table, _class="web2py_table"),
                    INPUT(_type="submit", _value=translate(self.selectable_submit_button)))
        processed = form.process(formname=f"{self.formname}_select", message_onsuccess="")
        if processed.accepted and self.selectable:
            chosen = [int(v) for v in self.request.post_vars.getlist("records")
                      if isinstance(v, str) and v.isdigit()]
            allowed = {r[self.table._id.name] for r in self.db(self.query)(
                self.table._id.belongs(chosen)).select(self.table._id)} if chosen else set()
            self.selectable([i for i in chosen if i in allowed])
        return form


def _title(text):
    return H2(text, _class="w2p_grid_title")


def _single(value):
    if isinstance(value, (list, tuple)):
        return value[-1] if value else None
    return value if isinstance(value, str) or value is None else None


def _table_row(row, table):
    """The main table's part of a (possibly joined) row, for permission callbacks."""
    try:
        return row[table._tablename]
    except (KeyError, AttributeError):
        return row


def _link_header(link):
    return link.get("header", "") if isinstance(link, dict) else ""


def _link_body(link, row):
    return link["body"](row) if isinstance(link, dict) else link(row)
