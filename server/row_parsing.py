"""A select's rows parsed into exactly pydal's ``Rows``, with the per-column decisions made once.

pydal's ``BaseAdapter.parse`` decides, for every value of every row, what the value's column is
(its table and field, whether it is an ``id``, a custom type, a blob), looks its parser up in a
dictionary, calls it through a wrapper, and tries ``value.decode()``, which a Python 3 ``str``
does not have. For 20 rows of three columns that was about a fifth of a page's time. The
answer to every one of those questions depends on the column, not on the row, so
:func:`parse` asks them once per select (:func:`column_plans`) and then only converts values
and builds rows, in pydal's order: the same ``Row`` keys in the same order, the same values
and objects (``update_record``, ``delete_record``, the lazy reference getter, referencing
``LazySet``\\ s), virtual fields and methods, and old-style ``virtualfields``.

A select with a column that is no field of a table (an expression, ``COUNT``, an alias), an
adapter or parser that overrides pydal's parsing, and anything else this module does not
know, is parsed by pydal itself. The one difference: pydal's ``decode`` attempt would call a
``decode`` method that a driver's own ``str`` subclass had; no driver Pocketweb uses returns one.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, NamedTuple

from pydal.adapters.base import BaseAdapter
from pydal.helpers.classes import BasicStorage, RecordOperator
from pydal.objects import LazyReferenceGetter, LazySet, Row, SQLCustomType
from pydal.parsers import Parser, ParserMethodWrapper
from pydal.parsers.base import BasicParser

_PYDALS_PARSING = ("parse", "_parse", "parse_value", "_parse_expand_colnames",
                   "_add_operators_to_parsed_row", "_add_reference_sets_to_parsed_row")
_BUILTIN_PARSERS = {BasicParser._declared_parsers_[name].f: builtin
                    for name, builtin in (("_id", int), ("_integer", int), ("_float", float))}


def speed_up_parsing(adapter: Any) -> None:
    """Make ``adapter`` parse selects with :func:`parse`, when its parsing is pydal's own."""
    adapter_class, parser = type(adapter), getattr(adapter, "parser", None)
    row_class = getattr(getattr(adapter, "db", None), "Row", None)
    if parser is not None and type(parser).parse is Parser.parse \
            and row_class is not None and _is_pydals_row(row_class) \
            and type(parser)._default is Parser._default \
            and all(getattr(adapter_class, name, None) is getattr(BaseAdapter, name)
                    for name in _PYDALS_PARSING):
        adapter.parse = types.MethodType(parse, adapter)


def _is_pydals_row(row_class: Any) -> bool:
    """``row_class`` stores items and attributes as pydal's ``Row`` does: in its ``__dict__``."""
    return isinstance(row_class, type) and issubclass(row_class, Row) \
        and getattr(row_class, "__init__", None) is BasicStorage.__init__ \
        and getattr(row_class, "__setitem__", None) is BasicStorage.__setitem__ \
        and getattr(row_class, "__setattr__", None) is object.__setattr__


class IdColumn(NamedTuple):
    """What pydal adds to a table's row beside its ``id`` value, in this order."""

    fieldname: str
    table: Any
    copy_as_id: bool  # an id field not named id, in a table without an "id" field
    operators: tuple | None  # (name, class, attributes) per record operator; None: cacheable
    lazy_getter: bool  # the table's db has lazy_tables: the row gets __get_lazy_reference__
    references: tuple[tuple[str, Any], ...]  # (name in the row, referencing field)


class Fix(NamedTuple):
    """A column whose value pydal changes: parsed (``convert``), then ``filter_out``."""

    position: int  # among its table's columns
    fieldname: str
    convert: Callable[[Any], Any] | None
    converts_none: bool  # a custom type's decoder sees None too
    filter_out: Callable[[Any], Any] | None


class TablePlan(NamedTuple):
    """How a select's columns of one table become that table's ``Row`` in each row."""

    tablename: str
    keys: dict[str, None]  # the Row's items in pydal's order, to be filled
    fieldnames: tuple[str, ...]
    pick: Callable[[Sequence], Sequence] | None  # its columns' values; None: all of them
    fixes: tuple[Fix, ...]
    id_column: IdColumn | None


def parse(adapter: Any, rows: Sequence, fields: list, colnames: list, blob_decode: bool = True,
          cacheable: bool = False) -> Any:
    """pydal's ``parse``: the driver's ``rows`` of ``fields`` (named ``colnames``) as ``Rows``."""
    fields_virtual, fields_lazy, columns = adapter._parse_expand_colnames(fields)
    db = adapter.db
    plans = table_plans(adapter, columns, colnames, blob_decode, cacheable)
    if plans is None:
        return BaseAdapter.parse(adapter, rows, fields, colnames, blob_decode, cacheable)
    virtuals = [(plan.tablename, fields_virtual[plan.tablename][1],
                 fields_lazy[plan.tablename][1]) for plan in plans
                if fields_virtual[plan.tablename][1] or fields_lazy[plan.tablename][1]]
    new_rows = [_row(db.Row, raw, plans, virtuals) for raw in rows]
    rows_object = db.Rows(db, new_rows, colnames, rawrows=rows, fields=fields)
    for tablename, (table, _) in fields_virtual.items():  # old-style virtual fields, as pydal
        for item in table.virtualfields:
            try:
                rows_object = rows_object.setvirtualfields(**{tablename: item})
            except (KeyError, AttributeError):
                pass  # a partial select lacks what the virtual field reads
    return rows_object


def table_plans(adapter: Any, columns: list, colnames: list, blob_decode: bool,
                cacheable: bool) -> list[TablePlan] | None:
    """A :class:`TablePlan` per table, in order of first appearance, from pydal's
    ``(tablename, fieldname, table, field, type, itype)`` of each column; None when pydal's
    own parse is needed (a column that is no table's field, a name that the row's extras
    would overwrite)."""
    if len(columns) != len(colnames) or any(column is None for column in columns):
        return None
    by_table: dict[str, list[int]] = {}
    for index, column in enumerate(columns):
        by_table.setdefault(column[0], []).append(index)
    plans = []
    for indices in by_table.values():
        plan = table_plan(adapter, [columns[index] for index in indices], indices,
                          len(columns), blob_decode, cacheable)
        if plan is None:
            return None
        plans.append(plan)
    return plans


def table_plan(adapter: Any, columns: list, indices: list[int], width: int, blob_decode: bool,
               cacheable: bool) -> TablePlan | None:
    tablename = columns[0][0]
    fieldnames = tuple(column[1] for column in columns)
    keys: dict[str, None] = {}
    fixes, id_column = [], None
    for position, (_, fieldname, table, field, field_type, field_itype) in enumerate(columns):
        keys[fieldname] = None
        convert, converts_none = converter(adapter.parser, field_itype, field_type, blob_decode)
        if convert is not None or field.filter_out:
            fixes.append(Fix(position, fieldname, convert, converts_none,
                             field.filter_out or None))
        if field_type == "id":
            id_column = IdColumn(fieldname, table, fieldname != "id" and "id" not in table.fields,
                                 None if cacheable else operators_of(table),
                                 bool(table._db._lazy_tables),
                                 referencing(table, tablename, adapter.db._referee_name))
            extras, links = id_extras(id_column)
            if len(set(extras)) < len(extras) or any(key in fieldnames for key in extras):
                return None  # an item pydal would set twice
            keys.update(dict.fromkeys(extras))
            id_column = id_column._replace(references=links)
    pick = None if indices == list(range(width)) else picker(indices)
    return TablePlan(tablename, keys, fieldnames, pick, tuple(fixes), id_column)


def id_extras(id_column: IdColumn) -> tuple[list[str], tuple[tuple[str, Any], ...]]:
    """The names pydal adds to a row after its id, in its order, and the ``LazySet``\\ s among
    them (pydal adds none under a name the row has already)."""
    extras = ["id"] if id_column.copy_as_id else []
    if id_column.operators is None:  # cacheable: no operators, no lazy getter, no sets
        return extras, ()
    extras += [key for key, _, _ in id_column.operators]
    extras += ["__get_lazy_reference__"] if id_column.lazy_getter else []
    links = []
    for link, rfield in id_column.references:
        if link not in extras:
            extras.append(link)
            links.append((link, rfield))
    return extras, tuple(links)


def picker(indices: list[int]) -> Callable[[Sequence], Sequence]:
    if len(indices) == 1:
        index = indices[0]
        return lambda raw: (raw[index],)
    return itemgetter(*indices)


def operators_of(table: Any) -> tuple[tuple[str, Any, dict | None], ...]:
    """How a row of ``table`` gets its ``update_record``, ``delete_record`` (and any other of
    ``db.record_operators``): pydal's ``RecordOperator`` classes, whose ``__init__`` only sets
    four attributes, as the class and those attributes (an instance is made with them, in the
    same order); anything else is called as pydal calls it."""
    operators = []
    record_operator: Any
    for key, record_operator in table._db.record_operators.items():
        attributes = None
        if isinstance(record_operator, type) and issubclass(record_operator, RecordOperator) \
                and getattr(record_operator, "__init__", None) is RecordOperator.__init__:
            attributes = dict(colset=None, db=table._db, tablename=table._tablename, id=None)
        operators.append((key, record_operator, attributes))
    return tuple(operators)


def referencing(table: Any, tablename: str, referee_name: str | None
                ) -> tuple[tuple[str, Any], ...]:
    """The ``LazySet`` names a row of ``table`` gets (``row.note.select()``), as pydal names
    them; a nested select's table has no ``_referenced_by``."""
    if not referee_name:
        return ()
    links = []
    for rfield in getattr(table, "_referenced_by", ()):
        link = referee_name % dict(table=rfield.tablename, field=rfield.name)
        if link and link != tablename:
            links.append((link, rfield))
    return tuple(links)


def converter(parser: Any, field_itype: Any, field_type: Any, blob_decode: bool
              ) -> tuple[Callable[[Any], Any] | None, bool]:
    """What pydal's ``parse_value`` does to a value of this column, as one callable (None when
    it returns the value unchanged), and whether it is called for None too."""
    if isinstance(field_type, SQLCustomType):
        return field_type.decoder, True
    if not isinstance(field_type, str) or (field_type == "blob" and not blob_decode):
        return None, False
    wrapper = parser.registered[field_itype]
    if getattr(wrapper, "__func__", None) is Parser._default:
        return None, False
    if type(wrapper) is not ParserMethodWrapper:
        return (lambda value: wrapper(value, field_type)), False
    function = wrapper.f
    if not hasattr(wrapper, "extra"):
        builtin = _BUILTIN_PARSERS.get(function)
        return (builtin or (lambda value: function(parser, value))), False
    try:
        extras = wrapper.extra(parser, field_type)
    except Exception:  # pydal would fail on the first value that is not None: let it
        return (lambda value: wrapper(value, field_type)), False
    return (lambda value: function(parser, value, **extras)), False


def _row(row_class: Any, raw: Sequence, plans: list[TablePlan], virtuals: list) -> Any:
    """One row as pydal's ``_parse`` builds it: a ``Row`` of one ``Row`` per table, their items
    set in its order. ``Row()`` is ``object.__new__``, since its ``__init__`` (BasicStorage's)
    adds nothing, and an item is a ``__dict__`` entry, as its ``__setitem__`` (object's
    ``__setattr__``) makes for a name that is no attribute of the class, as no field name is."""
    new = object.__new__
    new_row: Any = new(row_class)
    tables = new_row.__dict__
    for tablename, keys, fieldnames, pick, fixes, id_column in plans:
        values = raw if pick is None else pick(raw)
        items = keys.copy()
        items.update(zip(fieldnames, values))  # noqa: B905 - the driver's row, of this select
        for position, fieldname, convert, converts_none, filter_out in fixes:
            value = values[position]
            if convert is not None and (value is not None or converts_none):
                value = convert(value)
            if filter_out is not None:
                value = filter_out(value)
            items[fieldname] = value
        colset: Any = new(row_class)
        tables[tablename] = colset
        colset.__dict__ = items
        if id_column is not None:
            _add_id_parts(colset, items, id_column)
    for tablename, virtual_fields, virtual_methods in virtuals:
        for name, virtual in virtual_fields:
            try:
                new_row[tablename][name] = virtual.f(new_row)
            except (AttributeError, KeyError):
                pass  # not enough fields to compute the virtual field
        for name, method in virtual_methods:
            try:
                new_row[tablename][name] = method.handler(method.f, new_row)
            except (AttributeError, KeyError):
                pass
    return new_row


def _add_id_parts(colset: Any, items: dict, id_column: IdColumn) -> None:
    fieldname, table, copy_as_id, operators, lazy_getter, references = id_column
    rid = items[fieldname]
    if copy_as_id:
        items["id"] = rid
    if operators is None:
        return
    for key, record_operator, attributes in operators:
        if attributes is None:
            items[key] = record_operator(colset, table, rid)
        else:
            operator = items[key] = object.__new__(record_operator)
            operator.__dict__ = state = attributes.copy()
            state["colset"], state["id"] = colset, rid
    if lazy_getter:
        items["__get_lazy_reference__"] = LazyReferenceGetter(table, rid)
    for link, rfield in references:
        items[link] = LazySet(rfield, rid)
