"""SQLFORM: a FORM built from a pydal table that inserts, updates or deletes a record.

``SQLFORM(db.thing, record)`` renders one labelled row per field (widget chosen by type and
validators), validates each posted value with the field's ``requires`` (or web2py's defaults for
its type), stores uploads, and writes to the database when accepted. ``SQLFORM.factory(*fields)``
does the same on a throw-away table with no database io.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydal import DAL
from pydal.objects import Row

from server.current import current
from server.forms import formstyles, uploads
from server.forms.form import FORM, run_validators, tag_of, translate, walk
from server.forms.widgets import (
    PASSWORD_PLACEHOLDER,
    WIDGETS,
    effective_requires,
    field_id,
    format_value,
    length_guard,
    takes_list,
    widget_for,
)
from server.helpers import CAT, INPUT, LABEL, SPAN, A
from server.http import HTTP
from server.storage import Storage
from server.transactions import quiet_rollback

if TYPE_CHECKING:
    from pydal.objects import Field, Query, Table

    from server.forms.formstyles import Formstyle

#: Marks a field whose stored value stays as it is (password placeholder, upload not replaced).
UNCHANGED = object()


class SQLFORM(FORM):
    """web2py's SQLFORM (see the book, chapter "Forms and validators").

    ``linkto`` and ``keepopts`` are accepted so web2py code runs, and have no effect.
    """

    widgets = Storage(WIDGETS)
    formstyles = formstyles.FORMSTYLES
    FIELDNAME_REQUEST_DELETE = "delete_this_record"
    FIELDKEY_DELETE_RECORD = "delete_record"
    ID_LABEL_SUFFIX = "__label"
    ID_ROW_SUFFIX = "__row"

    def __init__(self, table: Table, record: Row | int | str | None = None,
                 deletable: bool = False, linkto: str | None = None, upload: str | None = None,
                 fields: list[str] | None = None, labels: dict | None = None,
                 col3: dict | None = None, submit_button: str = "Submit",
                 delete_label: str = "Check to delete", showid: bool = True,
                 readonly: bool = False, comments: bool = True, keepopts: list | None = None,
                 ignore_rw: bool = False, record_id: int | str | None = None,
                 formstyle: Formstyle = None, buttons: list | None = None,
                 separator: str | None = None, extra_fields: list[Field] | None = None,
                 **attributes: Any) -> None:
        self.table = table
        self.record = _load_record(table, record if record is not None else record_id)
        self.record_id = self.record[table._id.name] if self.record else None
        self.deletable, self.readonly, self.ignore_rw = deletable, readonly, ignore_rw
        self.upload, self.showid = upload, showid
        self.labels, self.col3, self.comments = labels or {}, col3 or {}, comments
        self.separator = separator or ""
        self.submit_button, self.delete_label = submit_button, delete_label
        self.custom_parts = Storage(widget=Storage(), label=Storage(), comment=Storage(),
                                    dspval=Storage(), inpval=Storage())
        self.shown_fields = self._choose_fields(fields) + list(extra_fields or [])
        self.input_fields = [f for f in self.shown_fields if self._is_input(f)]
        rows = [self._field_row(field) for field in self.shown_fields]
        rows += self._delete_rows() + self._button_rows(buttons)
        style = formstyle or getattr(getattr(current, "response", None), "formstyle", None)
        super().__init__(formstyles.apply(style, self, rows), **attributes)
        self.default_formname = f"{table._tablename}/{self.record_id or 'create'}"
        if self.record is not None:
            self.hidden["id"] = self.record_id
            self.record_hash = record_hash(table, self.record)
            self.hidden["_record_hash"] = self.record_hash

    # ----------------------------------------------------------------- building

    def _choose_fields(self, names):
        table = self.table
        if names is None:
            names = [f.name for f in table if self._visible(f)]
        fields = [table[name] for name in names if name in table.fields]
        if self.record is None or not self.showid:
            fields = [f for f in fields if f.type != "id"]
        return fields

    def _visible(self, field) -> bool:
        if field.type == "id":  # shown on update forms (see _choose_fields) when readable
            return field.readable
        if self.ignore_rw:
            return True
        if field.compute:
            return self.record is not None and field.readable
        # as web2py: a create form also shows a read-only field that has a value to show
        shows_value = self.record is not None or self.readonly or bool(field.default)
        return field.writable or (field.readable and shows_value)

    def _is_input(self, field) -> bool:
        if self.readonly or field.type in ("id", "blob") or field.compute:
            return False
        return self.ignore_rw or field.writable

    def _initial_value(self, field):
        if self.record is not None and field.name in self.record:
            return self.record[field.name]
        default = field.default
        return default() if callable(default) else default

    def _field_row(self, field):
        """One ``(row_id, label, control, comment)`` tuple for the formstyle."""
        ident = field_id(field)
        value = self._initial_value(field)
        text = self.labels.get(field.name, field.label)
        if self._is_input(field):
            control = self._widget(field, value)
            bound = {"_for": ident} if _has_control(control, ident) else {}
            label = LABEL(text, self.separator, _id=ident + self.ID_LABEL_SUFFIX, **bound)
            self.custom_parts.inpval[field.name] = format_value(field, value)
        else:
            control = SPAN(self._represent(field, value), _id=ident)
            label = LABEL(text, self.separator, _id=ident + self.ID_LABEL_SUFFIX)
        comment = self.col3.get(field.name, field.comment) if self.comments else ""
        self.custom_parts.widget[field.name] = control
        self.custom_parts.label[field.name] = label
        self.custom_parts.comment[field.name] = comment or ""
        self.custom_parts.dspval[field.name] = self._represent(field, value)
        return (ident + self.ID_ROW_SUFFIX, label, control, comment or "")

    def _widget(self, field, value):
        if field.widget:
            return field.widget(field, value)
        widget = widget_for(field)
        if field.type == "upload":
            return widget.widget(field, value, download_url=self.upload)
        return widget.widget(field, value)

    def _represent(self, field, value):
        """What a read-only field shows: its ``represent``, a file link, or the formatted value."""
        if field.type == "upload" and value:
            return A(translate("file"), _href=f"{self.upload}/{value}") if self.upload else value
        if field.represent:
            try:
                return field.represent(value, self.record)
            except Exception:
                pass
        if field.type == "boolean":
            return translate("True") if value else translate("False")
        if field.type == "password":
            return PASSWORD_PLACEHOLDER if value else ""
        return format_value(field, value)

    def _delete_rows(self):
        if not (self.deletable and self.record is not None and not self.readonly):
            return []
        key = self.FIELDKEY_DELETE_RECORD
        checkbox = INPUT(_type="checkbox", _class="delete", _id=key,
                         _name=self.FIELDNAME_REQUEST_DELETE)
        label = LABEL(self.delete_label, self.separator, _for=key, _id=key + self.ID_LABEL_SUFFIX)
        self.custom_parts.delete = checkbox
        return [(key + self.ID_ROW_SUFFIX, label, checkbox, "")]

    def _button_rows(self, buttons):
        if self.readonly:
            return []
        controls = []
        for button in buttons or ["submit"]:
            if button == "submit":
                button = INPUT(_type="submit", _value=translate(self.submit_button))
                self.custom_parts.submit = button
            controls.append(button)
        return [("submit_record" + self.ID_ROW_SUFFIX, "", controls[0] if len(controls) == 1
                 else SPAN(*controls), "")]

    # ----------------------------------------------------------------- validation

    def accepts(  # type: ignore[override]  # web2py's own: dbio comes before hideerror
            self, request_vars: Any, session: Any = None, formname: Any = None,
            keepvalues: bool | None = None, onvalidation: Any = None, dbio: bool = True,
            hideerror: bool = False, detect_record_change: bool = False,
            **kwargs: Any) -> bool:
        """As FORM.accepts; on success inserts / updates / deletes unless ``dbio=False``."""
        formname = formname if formname is not None else self.default_formname
        if keepvalues is None:
            keepvalues = self.record is not None
        self.detect_record_change = detect_record_change
        return super().accepts(request_vars, session, formname, keepvalues=keepvalues,
                               onvalidation=onvalidation, hideerror=hideerror, dbio=dbio,
                               **kwargs)

    def _validate(self, request_vars: Storage, skip: frozenset = frozenset()) -> None:
        self._pending_uploads: dict = {}  # posted files to store once the form is accepted
        if self.readonly:
            self.errors._form = translate("This form is read only")
            return
        if self.record is not None and str(request_vars.get("id")) != str(self.record_id):
            self.errors.id = translate("This form does not belong to that record")
            return
        if self.detect_record_change and self.record is not None:
            stored = self.table._db(self.table._id == self.record_id).select().first()
            posted = request_vars.get("_record_hash")
            if stored is None or posted != record_hash(self.table, stored):
                self.record_changed = True
                return
        if self.record is not None and self.deletable and \
                request_vars.get(self.FIELDNAME_REQUEST_DELETE):
            self.vars[self.FIELDNAME_REQUEST_DELETE] = True
            self.vars.id = self.record_id
            return
        for field in self.input_fields:
            value, error = self._validate_field(field, request_vars)
            if error:
                self.errors[field.name] = error
            elif value is not UNCHANGED:
                self.vars[field.name] = value
        self._validate_extra_elements(request_vars)

    def _validate_extra_elements(self, request_vars):
        """Inputs an app added to the form (``form[0].insert(...)``) validate as in FORM."""
        skip = {f.name for f in self.input_fields} | {f"{f.name}__delete" for f in
                                                       self.input_fields if f.type == "upload"}
        super()._validate(request_vars, skip | {self.FIELDNAME_REQUEST_DELETE})

    def _show_errors(self) -> None:
        """Also attach each message to ``form.custom.widget`` for hand-written views."""
        super()._show_errors()
        for name, message in self.error_messages.items():
            if name in self.custom_parts.widget:
                self.custom_parts.widget[name] = CAT(self.custom_parts.widget[name], message)

    def _validate_field(self, field, request_vars):
        kind = field.type
        if kind == "upload":
            return self._validate_upload(field, request_vars)
        raw = self._raw_value(field, request_vars)
        if kind == "password" and self.record is not None and raw == PASSWORD_PLACEHOLDER:
            return UNCHANGED, None
        value, error = run_validators(effective_requires(field), raw, self.record_id)
        guard = length_guard(field)
        if not error and guard is not None and isinstance(value, str):
            value, error = guard(value)
        if not error and kind == "boolean":
            value = raw not in (None, "", "off", "false", "False", "0")
        if not error and kind.startswith("list:"):
            value, error = _as_list_value(field, value)
        return value, error

    @staticmethod
    def _raw_value(field, request_vars):
        name = field.name
        if field.type.startswith("list:") or takes_list(field):
            return [v for v in request_vars.getlist(name) if isinstance(v, str) and v != ""]
        value = request_vars.get(name)
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        return value if isinstance(value, str) else ""

    def _validate_upload(self, field, request_vars):
        """A posted file is checked now and saved once the form is accepted; without one the
        stored file stays unless ``<name>__delete`` is posted. (The value counts only when
        there is no error.)"""
        posted = request_vars.get(field.name)
        if uploads.is_file_upload(posted):
            limit = uploads.upload_limit(field)
            if limit is not None and uploads.upload_size(posted) > limit:
                return UNCHANGED, translate("File is too large (at most %s bytes)") % limit
            error = run_validators(field.requires, posted)[1]
            if not error:
                self._pending_uploads[field.name] = posted
            return UNCHANGED, error
        deleting = bool(request_vars.get(f"{field.name}__delete"))
        if self.record is not None and self.record[field.name] and not deleting:
            return UNCHANGED, None
        return "", run_validators(field.requires, "")[1]

    # ----------------------------------------------------------------- database io

    def _keep_shown_values(self) -> bool:
        return self.record is not None and not self.vars.get(self.FIELDNAME_REQUEST_DELETE)

    def _on_accepted(self, dbio: bool) -> bool:
        if not dbio:
            self.vars.update(self._pending_uploads)
            return True
        db = self.table._db
        try:
            self._write(db)
        except HTTP:
            raise
        except Exception as exc:
            quiet_rollback(db)
            self.errors._form = translate("The record could not be saved: %s") % exc
            return False
        return True

    def _write(self, db):
        table = self.table
        if self.vars.get(self.FIELDNAME_REQUEST_DELETE):
            db(table._id == self.record_id).delete()
            return
        for name, posted in self._pending_uploads.items():
            self.vars.update(uploads.store(table[name], posted))
        if _is_factory(table):
            return
        values = {k: v for k, v in self.vars.items() if k in table.fields and k != table._id.name}
        if self.record is not None:
            if values:
                db(table._id == self.record_id).update(**values)
            self._remove_replaced_files(values)
            self.vars.id = self.record_id
        else:
            self.vars.id = table.insert(**values)

    def _remove_replaced_files(self, values):
        """With ``autodelete=True``, a file replaced or cleared by this update is removed."""
        for name, value in values.items():
            field, old = self.table[name], self.record[name]
            if field.type == "upload" and field.autodelete and old and value != old:
                uploads.remove(field, old)

    # ----------------------------------------------------------------- web2py extras

    @property
    def custom(self) -> Storage:
        parts = super().custom
        parts.update(self.custom_parts)
        return parts

    @staticmethod
    def factory(*fields: Field, **attributes: Any) -> SQLFORM:
        """A SQLFORM on a throw-away ``no_table``: validation and uploads, no database."""
        table_name = attributes.pop("table_name", "no_table")
        db = DAL(None)
        table = db.define_table(table_name, *[field.clone() for field in fields])
        return SQLFORM(table, **attributes)

    @staticmethod
    def dictform(dictionary: Mapping[str, object], **kwargs: Any) -> SQLFORM:
        """A factory form whose fields are the keys of ``dictionary`` (values as defaults)."""
        from pydal import Field

        fields = [Field(str(key), default=value) for key, value in dictionary.items()]
        return SQLFORM.factory(*fields, **kwargs)

    @staticmethod
    def grid(query: Query | Table, **kwargs: Any) -> Any:
        from server.forms.grid import grid

        return grid(query, **kwargs)

    @staticmethod
    def smartgrid(table: Table, **kwargs: Any) -> Any:
        from server.forms.smartgrid import smartgrid

        return smartgrid(table, **kwargs)


def _has_control(widget, ident) -> bool:
    """Whether a LABEL ``for=ident`` would point at a form control inside ``widget``.

    Radio and checkbox groups have no such control; they are named by the label's id instead.
    """
    candidates = [widget, *(child for _parent, _index, child in walk(widget))]
    return any(getattr(c, "attributes", {}).get("_id") == ident and
               tag_of(c) in ("input", "select", "textarea") for c in candidates)


def record_hash(table: Table, row: Row | dict) -> str:
    """A digest of a record's stored values, to notice edits made while a form was open."""
    values = [(name, repr(row.get(name))) for name in table.fields]
    return hashlib.sha256(repr(values).encode()).hexdigest()


def _load_record(table, record):
    """A Row for ``record`` (a Row, an id or None); HTTP 404 for an id that is not there."""
    if record is None or record == "":
        return None
    if isinstance(record, Row):
        return record
    if not str(record).isdigit():
        raise HTTP(404, "Object not found")
    row = table._db(table._id == int(record)).select().first()
    if row is None:
        raise HTTP(404, "Object not found")
    return row


def _as_list_value(field, value):
    if value is None:
        return [], None
    items = value if isinstance(value, (list, tuple)) else [value]
    if field.type in ("list:integer",) or field.type.startswith("list:reference"):
        try:
            return [int(v) for v in items], None
        except ValueError:
            return value, translate("Enter a list of integers")
    return [str(v) for v in items], None


def _is_factory(table) -> bool:
    """Whether ``table`` lives in ``SQLFORM.factory``'s database-less ``DAL(None)``."""
    return table._db._uri is None
