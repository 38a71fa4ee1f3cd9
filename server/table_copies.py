"""A copy of a ``Table`` that no db defines (``auth.signature``), for another request's db,
without building it again.

``auth.signature`` is a pydal ``Table`` made afresh by every request's ``Auth(db)``: five fields,
their default validators, the table's bookkeeping, a fifth of a hello action's time in an app
with Auth. The same table is built once per database shape and each request gets a copy: its
own ``Field`` objects (so a model that changes ``auth.signature.created_on.readable`` changes only
its own), bound to its own db and table, with the attributes the request gives (the callables
that read this request's ``auth.user_id``), pydal's default validators made anew (when first
used: a table that includes the copy replaces them unread, as pydal's ``bind`` does), and the
table's own hook lists and helpers (``ALL``, ``add_method``, the upload hooks) made for the copy
as ``Table.__init__`` makes them.
"""

from __future__ import annotations

from typing import Any

from pydal.helpers.classes import SQLALL, MethodAdder
from pydal.helpers.methods import (
    attempt_upload_on_insert,
    attempt_upload_on_update,
    delete_uploaded_files,
)
from pydal.objects import Field, Table, get_default_validator
from pydal.validators import DefaultValidatorProxy

# what Table.__init__ caches lazily on first use (``cachedprop``): made again by the copy
_CACHED = ("_upload_fieldnames",)


class LazyDefaultValidator(DefaultValidatorProxy):
    """pydal's default validator of a field, made when first used.

    It is a ``DefaultValidatorProxy``, so pydal (``has_default_validator``, a table's ``bind``)
    sees a default validator and replaces it without making it. What it makes is what
    ``get_default_validator`` gives for a field of the same type and ``notnull`` that names no
    defined table: all that function reads of a field whose db lacks the referenced table."""

    def __init__(self, field_type: str, notnull: bool) -> None:
        self.__dict__["like"] = _unbound_field(field_type, notnull)

    @property
    def obj(self) -> Any:
        made = self.__dict__.get("made")
        if made is None:
            made = self.__dict__["made"] = get_default_validator(self.__dict__["like"]).obj
        return made


_UNBOUND: dict[tuple[str, bool], Field] = {}


def _unbound_field(field_type: str, notnull: bool) -> Field:
    """A field no table holds, of this type and notnull (made once: nothing changes it)."""
    key = (field_type, bool(notnull))
    field = _UNBOUND.get(key)
    if field is None:
        field = _UNBOUND[key] = Field("x", field_type, notnull=notnull)
    return field


def default_validator(field: Field) -> DefaultValidatorProxy:
    """The field's default validator: at once when it names a table its db has (IS_IN_DB reads
    the table now), else when first used."""
    if not isinstance(field.type, str) or field.referenced_field() is not None:
        return get_default_validator(field)
    return LazyDefaultValidator(field.type, field.notnull)


def rebound_copy(template: Table, db: Any, attributes: dict[str, dict] | None = None) -> Table:
    """A copy of ``template`` bound to ``db``; ``attributes`` sets, per field name, attributes
    of that field's copy (e.g. ``{"created_by": {"default": user_id}}``)."""
    table = Table.__new__(type(template))
    state = {key: value for key, value in template.__dict__.items() if key not in _CACHED}
    for name in template.fields:
        original = template[name]
        field = object.__new__(type(original))  # copy.copy's result, without its detour
        field.__dict__.update(original.__dict__)
        field.__dict__.update((attributes or {}).get(name, {}))
        field.db = field._db = db
        field.table = field._table = table
        if isinstance(field.requires, DefaultValidatorProxy):  # its own, as bind() makes it
            field.requires = default_validator(field)
        state[name] = field
    state.update(
        _db=db, _fields=type(template._fields)(template._fields), _id=state[template._id.name],
        ALL=SQLALL(table), add_method=MethodAdder(table),
        _before_insert=[attempt_upload_on_insert(table)],
        _before_update=[delete_uploaded_files, attempt_upload_on_update(table)],
        _before_delete=[delete_uploaded_files], _after_insert=[], _after_update=[],
        _after_delete=[], _virtual_fields=[], _virtual_methods=[], virtualfields=[])
    table.__dict__.update(state)
    return table
