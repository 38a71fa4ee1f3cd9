"""web2py's Crud: ``crud = Crud(db)``; ``crud.create/read/update/delete/select/search`` and
``crud()`` which dispatches on ``request.args``: ``tables``, ``create/<t>``, ``read/<t>/<id>``,
``update/<t>/<id>``, ``delete/<t>/<id>``, ``select/<t>``, ``search/<t>``.

Through ``crud()`` a delete first asks for confirmation and deletes only on that form's POST
(with its single-use key); ``crud.delete(table, id)`` called by the app deletes at once, as in
web2py. With ``crud.settings.auth`` set, every action checks ``auth.has_permission``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NoReturn

from pydal.objects import Row
from yatl.helpers import TAGGER

from server.current import current
from server.forms.form import FORM, resolve_next, translate
from server.forms.sqlform import SQLFORM
from server.forms.sqltable import SQLTABLE
from server.forms.widgets import field_id
from server.helpers import INPUT, LABEL, OPTION, SELECT, TABLE, TD, TH, TR, A, P
from server.http import HTTP, redirect
from server.routing import URL
from server.storage import Storage
from server.transactions import quiet_rollback

if TYPE_CHECKING:
    from pydal import DAL
    from pydal.objects import Query, Rows, Table

Callback = Callable[..., Any] | dict | None  # one callback, or one per table name

#: The comparisons crud.search offers, and the query each one builds.
SEARCH_OPERATORS = {
    "equals": lambda field, value: field == value,
    "not equal": lambda field, value: field != value,
    "greater than": lambda field, value: field > value,
    "less than": lambda field, value: field < value,
    "starts with": lambda field, value: field.startswith(value),
    "contains": lambda field, value: field.contains(value),
}


class Crud:
    """Create/read/update/delete pages for any table of ``db``."""

    def __init__(self, environment: object = None, db: DAL | None = None,
                 controller: str = "default") -> None:
        if db is None and hasattr(environment, "define_table"):
            db = environment
        self.db: Any = db  # web2py lets an app set crud.db later
        self.settings = Storage(
            controller=controller, download_url=None, showid=False, keepvalues=False,
            create_next=None, update_next=None, delete_next=None, hideerror=False,
            create_onvalidation=None, update_onvalidation=None, create_onaccept=None,
            update_onaccept=None, update_ondelete=None, delete_onaccept=None,
            update_deletable=True, formstyle=None, label_separator=None, auth=None,
            detect_record_change=True)
        self.messages = Storage(
            submit_button="Submit", delete_label="Check to delete",
            record_created="Record Created", record_updated="Record Updated",
            record_deleted="Record Deleted", confirm_delete="Delete record %s?",
            delete_button="Delete", cancel="Cancel", search="Search", no_records="No records")

    # ----------------------------------------------------------------- dispatch

    def __call__(self) -> Any:
        args = list(current.request.args or [])
        action = args[0] if args else "tables"
        if action == "tables":
            return self.tables()
        if len(args) < 2 or args[1] not in self.db.tables:
            raise HTTP(404, "unknown table")
        table = self.db[args[1]]
        record_id = args[2] if len(args) > 2 else None
        if action == "create":
            return self.create(table)
        if action == "select":
            return self.select(table, linkto=self.url(args="read"))
        if action == "search":
            return self.search(table)[0]
        if action in ("read", "update", "delete") and record_id is not None:
            return getattr(self, f"_{action}_page")(table, record_id)
        raise HTTP(404, "unknown crud page")

    def _read_page(self, table, record_id):
        return self.read(table, record_id)

    def _update_page(self, table, record_id):
        return self.update(table, record_id)

    def _delete_page(self, table, record_id):
        """Confirm, then delete on the confirmation's own POST."""
        record = _existing(table, record_id)
        self._require("delete", table, record.id)
        form = FORM(P(translate(self.messages.confirm_delete) % record.id),
                    INPUT(_type="submit", _value=translate(self.messages.delete_button)),
                    A(translate(self.messages.cancel), _href=self.url(args=("read",
                      table._tablename, record.id))))
        if form.process(formname=f"crud_delete/{table._tablename}/{record.id}",
                        message_onsuccess="").accepted:
            self.delete(table, record.id)
        return form

    def url(self, f: str | None = None, args: str | int | Iterable[object] | None = None,
            vars: dict | None = None) -> str:  # noqa: A002 - web2py's keyword
        args = [args] if isinstance(args, (str, int)) else list(args or [])
        return URL(c=self.settings.controller, f=f or current.request.function, args=args,
                   vars=vars or {})

    def _require(self, action, table, record_id=0):
        auth = self.settings.auth
        if auth is not None and not auth.has_permission(action, table._tablename, record_id):
            auth.deny_access()  # web2py: on to auth.settings.on_failed_authorization

    # ----------------------------------------------------------------- pages

    def tables(self) -> TAGGER:
        rows = [TR(TH(translate("Table"), _scope="col"), TH(translate("Actions"), _scope="col"))]
        for name in self.db.tables:
            rows.append(TR(TD(name), TD(
                A(translate("Select"), _href=self.url(args=("select", name))), " ",
                A(translate("Create"), _href=self.url(args=("create", name))))))
        return TABLE(*rows, _class="web2py_crud_tables")

    def create(self, table: Table | str, next: str | None = None,  # noqa: A002
               onvalidation: Callback = None, onaccept: Callback = None, log: str | None = None,
               message: str | None = None, formname: str | None = None,
               **attributes: Any) -> SQLFORM:
        """A SQLFORM that inserts; on success ``onaccept(form)``, flash, redirect to ``next``."""
        self._require("create", table)
        return self._edit(table, None, next or self.settings.create_next,
                          onvalidation or self.settings.create_onvalidation,
                          onaccept or self.settings.create_onaccept, None,
                          message or self.messages.record_created, formname, False,
                          attributes)

    def read(self, table: Table | str, record: Row | int | str) -> SQLFORM:
        if isinstance(table, str):
            table = self.db[table]
        row = _existing(table, record)
        self._require("read", table, row.id)
        return SQLFORM(table, row, readonly=True, comments=False, showid=self.settings.showid,
                       upload=self.settings.download_url, formstyle=self.settings.formstyle)

    def update(self, table: Table | str, record: Row | int | str,
               next: str | None = None,  # noqa: A002
               onvalidation: Callback = None, onaccept: Callback = None,
               ondelete: Callback = None, log: str | None = None, message: str | None = None,
               deletable: bool | None = None, formname: str | None = None,
               **attributes: Any) -> SQLFORM:
        """A SQLFORM that updates (and, if deletable, deletes) ``record``."""
        if isinstance(table, str):
            table = self.db[table]
        row = _existing(table, record)
        self._require("update", table, row.id)
        deletable = self.settings.update_deletable if deletable is None else deletable
        if deletable and self.settings.auth is not None:
            deletable = self.settings.auth.has_permission("delete", table._tablename, row.id)
        return self._edit(table, row, next or self.settings.update_next,
                          onvalidation or self.settings.update_onvalidation,
                          onaccept or self.settings.update_onaccept,
                          ondelete or self.settings.update_ondelete,
                          message or self.messages.record_updated, formname, deletable,
                          attributes)

    def _edit(self, table, row, next_url, onvalidation, onaccept, ondelete, message,
              formname, deletable, attributes):
        if isinstance(table, str):
            table = self.db[table]
        options = dict(showid=self.settings.showid, upload=self.settings.download_url,
                       formstyle=self.settings.formstyle, deletable=deletable,
                       submit_button=translate(self.messages.submit_button),
                       delete_label=translate(self.messages.delete_label))
        options.update(attributes)
        form = SQLFORM(table, row, **options)
        form.process(formname=formname, onvalidation=_for_table(onvalidation, table),
                     keepvalues=self.settings.keepvalues, hideerror=self.settings.hideerror,
                     onsuccess=None)
        if not form.accepted:
            return form
        if form.vars.get(SQLFORM.FIELDNAME_REQUEST_DELETE):
            _callback(_for_table(ondelete, table), table, row.id)
            message = self.messages.record_deleted
            next_url = self.settings.delete_next or next_url
        else:
            _callback(_for_table(onaccept, table), form)
        if next_url:
            current.session.flash = translate(message)
            redirect(resolve_next(next_url, form.vars))
        current.response.flash = translate(message)
        return form

    def delete(self, table: Table | str, record_id: int | str,
               next: str | None = None, message: str | None = None) -> NoReturn:  # noqa: A002
        """Delete now (the app asked for it), flash, and go to ``next`` (default: tables)."""
        if isinstance(table, str):
            table = self.db[table]
        row = _existing(table, record_id)
        self._require("delete", table, row.id)
        self.db(table._id == row.id).delete()
        _callback(_for_table(self.settings.delete_onaccept, table), table, row.id)
        current.session.flash = translate(message or self.messages.record_deleted)
        redirect(next or self.settings.delete_next or self.url())

    def select(self, table: Table | str, query: Query | None = None,
               fields: list | None = None, orderby: object = None,
               limitby: tuple[int, int] | None = None, headers: dict | None = None,
               **attributes: Any) -> SQLTABLE | None:
        """SQLTABLE of the matching rows, or None when there are none (as web2py)."""
        if isinstance(table, str):
            table = self.db[table]
        self._require("select", table)
        rows = self.rows(table, query, fields, orderby, limitby)
        if not rows:
            return None
        attributes.setdefault("upload", self.settings.download_url)
        return SQLTABLE(rows, headers=headers or {}, **attributes)

    def rows(self, table: Table, query: Query | None = None, fields: list | None = None,
             orderby: object = None, limitby: tuple[int, int] | None = None) -> Rows:
        query = query if query is not None else table._id > 0
        fields = [table[f] if isinstance(f, str) else f for f in fields or
                  [f for f in table if f.readable]]
        return self.db(query).select(*fields, orderby=orderby, limitby=limitby)

    def search(self, *tables: Table | str, fields: list | None = None,
               field_labels: dict | None = None, **_ignored: object,
               ) -> tuple[FORM, Rows | None]:
        """A GET form with an operator and a value per field; returns ``(form, rows)``.

        ``rows`` is None until a search is submitted; a value the database cannot compare
        shows a form error instead of failing.
        """
        table = self.db[tables[0]] if isinstance(tables[0], str) else tables[0]
        self._require("select", table)
        chosen = [table[f] if isinstance(f, str) else f for f in fields or
                  [f for f in table if f.readable and f.type not in ("id", "password",
                                                                       "upload", "blob")]]
        form = _search_form(chosen, field_labels or {}, translate(self.messages.search))
        request_vars = current.request.get_vars if hasattr(current.request, "get_vars") \
            else current.request.vars
        if not form.accepts(request_vars, formname="crud_search"):
            return form, None
        query = _search_query(table, chosen, form.vars)
        try:
            return form, self.rows(table, query, [f.name for f in chosen])
        except Exception:
            quiet_rollback(self.db)
            form.errors.search = translate("Invalid search value")
            form._show_errors()
            return form, None


def _search_form(fields, labels, submit_label):
    rows = []
    for field in fields:
        ident = f"crud_search_{field_id(field)}"
        operator = SELECT(*[OPTION(translate(op), _value=op) for op in SEARCH_OPERATORS],
                          _name=f"op_{field.name}", _id=f"{ident}_op",
                          **{"_aria-label": f"{labels.get(field.name, field.label)}: "
                                            f"{translate('comparison')}"})
        rows.append(TR(TD(LABEL(labels.get(field.name, field.label), _for=ident)),
                       TD(operator), TD(INPUT(_name=f"value_{field.name}", _id=ident))))
    rows.append(TR(TD(), TD(), TD(INPUT(_type="submit", _value=submit_label))))
    form = FORM(TABLE(*rows), _method="get", _class="web2py_crud_search")
    form.formname = "crud_search"
    return form


def _search_query(table, fields, values):
    query = table._id > 0
    for field in fields:
        value = values.get(f"value_{field.name}")
        operator = SEARCH_OPERATORS.get(values.get(f"op_{field.name}") or "", None)
        if value not in (None, "") and operator is not None:
            query &= operator(field, value)
    return query


def _existing(table, record):
    if isinstance(record, Row):
        return record
    if record is None or not str(record).isdigit():
        raise HTTP(404, "record not found")
    row = table(int(record))
    if row is None:
        raise HTTP(404, "record not found")
    return row


def _for_table(callback, table):
    """web2py allows a dict of callbacks per table name."""
    if isinstance(callback, dict):
        return callback.get(table._tablename)
    return callback


def _callback(callback, *args):
    if callable(callback):
        callback(*args)
