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

A table the models define again is made the same way (:class:`TableMaker`): ``Table.__init__``
of a definition the process has built before is replaced by a copy of what that build left
(:class:`TableRecipe`), holding the request's own ``Field`` objects. pydal's ``define_table``
does all the rest itself (references, represents, the migration check, ``db[name]``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydal.helpers.classes import SQLALL, MethodAdder, SQLCallableList
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
    kind = field.type
    if not isinstance(kind, str) or (kind.startswith(REFERENCE_TYPES)
                                     and field.referenced_field() is not None):
        return get_default_validator(field)
    return LazyDefaultValidator(kind, field.notnull)


# the types whose field pydal's referenced_field looks up (any other names no table)
REFERENCE_TYPES = ("reference", "big-reference", "list:reference")


def rebound_copy(template: Table, db: Any, attributes: dict[str, dict] | None = None) -> Table:
    """A copy of ``template`` bound to ``db``; ``attributes`` sets, per field name, attributes
    of that field's copy (e.g. ``{"created_by": {"default": user_id}}``)."""
    table = Table.__new__(type(template))
    state = template.__dict__.copy()
    for key in _CACHED:
        state.pop(key, None)
    for name in template.fields:
        original = state[name]
        field = object.__new__(type(original))  # copy.copy's result, without its detour
        field_state = original.__dict__.copy()
        if attributes and name in attributes:
            field_state.update(attributes[name])
        object.__setattr__(field, "__dict__", field_state)
        bind(field, db, table, template._tablename)
        state[name] = field
    state.update(table_parts(table), _db=db, _fields=type(template._fields)(template._fields),
                 _id=state[template._id.name])
    object.__setattr__(table, "__dict__", state)
    return table


def bind(field: Field, db: Any, table: Table, tablename: str) -> None:
    """What pydal's ``Field.bind`` does, with the default validator made when first used."""
    field.db = field._db = db
    field.table = field._table = table
    field.tablename = field._tablename = tablename
    if isinstance(field.requires, DefaultValidatorProxy):  # its own, as bind() makes it
        field.requires = default_validator(field)


def table_parts(table: Table) -> dict[str, Any]:
    """The hook lists and helpers ``Table.__init__`` makes for each table."""
    return dict(
        ALL=SQLALL(table), add_method=MethodAdder(table),
        _before_insert=[attempt_upload_on_insert(table)],
        _before_update=[delete_uploaded_files, attempt_upload_on_update(table)],
        _before_delete=[delete_uploaded_files], _after_insert=[], _after_update=[],
        _after_delete=[], _virtual_fields=[], _virtual_methods=[], virtualfields=[])


# what a copy makes anew (besides its fields): from the request's keywords, or per table
_PER_COPY = frozenset({"_db", "_id", "id", "_fields", "_common_filter", "_format", "_singular",
                       "_plural", "ALL", "add_method", "_before_insert", "_before_update",
                       "_before_delete", "_after_insert", "_after_update", "_after_delete",
                       "_virtual_fields", "_virtual_methods", "virtualfields"})
_PLAIN = (str, int, bool, type(None))
_BOUND = ("db", "_db", "table", "_table", "tablename", "_tablename")


class TableRecipe:
    """What ``Table.__init__`` made of a definition, to make it again from another request's
    ``Field`` objects of the same shape: the table's plain attributes in their order, the SQL
    names it gave each column, and the ``id`` field it added (when it added one)."""

    __slots__ = ("state", "names", "rnames", "id_state")

    def __init__(self, table: Table, id_state: dict | None) -> None:
        # the table's attributes in their order: the plain ones as they are, the others
        # (None here) made for each copy
        self.state = {key: None if key in _PER_COPY or key in table.fields else value
                      for key, value in table.__dict__.items()}
        self.names = tuple(table.fields)
        self.rnames = tuple((table[name]._rname, table[name]._raw_rname) for name in self.names)
        self.id_state = id_state

    @classmethod
    def of(cls, table: Table, fields: tuple) -> TableRecipe | None:
        """The recipe of ``table`` just built from ``fields``, or None when a copy could not
        be told from it (a table class, keyed table, virtual field, upload blob...)."""
        state = table.__dict__
        if type(table) is not Table or any(type(table[name]) is not Field for name in
                                           table.fields):
            return None
        if any(key not in _PER_COPY and key not in table.fields and
               not isinstance(value, _PLAIN) for key, value in state.items()):
            return None
        made_id = all(field is not table._id for field in fields)
        id_state = None
        if made_id:
            id_state = dict(table._id.__dict__)
            id_state.update(dict.fromkeys(_BOUND))
        return cls(table, id_state)

    def make(self, db: Any, tablename: str, fields: tuple, args: dict) -> Table | None:
        """A table as ``Table(db, tablename, *fields, **args)`` makes it, or None when the
        fields do not come out as this recipe's (then pydal builds it)."""
        columns = self._columns(fields, tablename)
        if columns is None:
            return None
        table = Table.__new__(Table)
        state = self.state.copy()
        for field, (rname, raw_rname) in zip(columns, self.rnames, strict=True):
            bind(field, db, table, tablename)
            if field._rname is None:
                field._rname, field._raw_rname = rname, raw_rname
            state[field.name] = field
        state.update(
            table_parts(table), _db=db, _fields=SQLCallableList(self.names),
            _common_filter=args.get("common_filter"), _format=args.get("format"),
            _singular=args.get("singular", tablename.replace("_", " ").capitalize()),
            _plural=args.get("plural"))
        state["_id"] = state["id"] = [field for field in columns if field.type == "id"][-1]
        object.__setattr__(table, "__dict__", state)
        return table

    def _columns(self, fields: Iterable[Any], tablename: str) -> list[Field] | None:
        """The fields ``Table.__init__`` would include, in its order (None: not this recipe's,
        or one pydal would copy or refuse)."""
        columns: list[Field] = []
        if self.id_state is not None:
            made = object.__new__(Field)
            object.__setattr__(made, "__dict__", self.id_state.copy())
            columns.append(made)
        names = [field.name for field in columns]
        for item in fields:
            if type(item) is Field and item._table is None and item.db is None:
                if item.name not in names:
                    names.append(item.name)
                    columns.append(item)
            elif isinstance(item, Table):
                point_to = not item._actual and tablename
                for field in item:
                    if field.name not in names and field.type != "id":
                        names.append(field.name)
                        columns.append(field.clone(point_self_references_to=point_to))
            else:
                return None
        return columns if tuple(names) == self.names else None


# The recipe of each definition shape this process has built (see
# :func:`server.deferred_tables.definition_shape`; None: a shape no copy may make): the shape
# fixes what ``Table.__init__`` makes of it, so one recipe serves every request and database of
# that shape. A dict's get and set are atomic, and two threads remembering one shape agree.
TABLE_RECIPES: dict[tuple, TableRecipe | None] = {}
_MAX_RECIPES = 1024  # definitions made from request values must not grow it without end
_UNKNOWN = object()


class TableMaker:
    """The ``table_class`` Pocketweb's ``DAL`` gives pydal's ``define_table`` for a definition
    of a known shape: a copy by the shape's recipe, else pydal's ``Table`` (whose recipe it
    keeps for the next time)."""

    __slots__ = ("shape",)

    def __init__(self, shape: tuple) -> None:
        self.shape = shape

    def __call__(self, db: Any, tablename: str, *fields: Any, **args: Any) -> Table:
        args.pop("table_class", None)
        recipe = TABLE_RECIPES.get(self.shape, _UNKNOWN)
        if isinstance(recipe, TableRecipe):
            table = recipe.make(db, tablename, fields, args)
            if table is not None:
                return table
        table = Table(db, tablename, *fields, **args)
        if recipe is _UNKNOWN:
            if len(TABLE_RECIPES) >= _MAX_RECIPES:
                TABLE_RECIPES.clear()
            TABLE_RECIPES[self.shape] = TableRecipe.of(table, fields)
        return table
