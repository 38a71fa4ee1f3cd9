"""server.row_parsing gives exactly pydal's Rows: every select here is parsed by both, from the
same driver rows, and the two results are compared item by item, in order, with their types
(Row, Reference, RecordUpdater, LazySet...), on real SQLite and a real PostgreSQL."""

from __future__ import annotations

import datetime
import decimal
import types
import uuid

import pytest
from pydal import Field
from pydal.adapters.base import BaseAdapter
from pydal.helpers.classes import RecordOperator
from pydal.objects import Row, Rows, SQLCustomType, Table

from server import row_parsing
from server.dal import DAL

EVERY_TYPE = (
    ("integer", 7), ("bigint", 2**40), ("string", "a < b & 'c'"), ("text", "long\ntext"),
    ("boolean", True), ("date", datetime.date(2026, 12, 1)),
    ("datetime", datetime.datetime(2026, 12, 1, 23, 5, 18)),
    ("time", datetime.time(23, 5, 18)), ("decimal(10,2)", decimal.Decimal("12.34")),
    ("double", 2.5), ("json", {"a": [1, 2]}), ("list:integer", [1, 2, 3]),
    ("list:string", ["x", "y|z"]), ("upload", "thing.file.abc.txt"), ("blob", b"\x00\xffbytes"),
    ("password", "secret"),
)


def shape(value, ancestors=()):
    """``value`` as plain data that compares equal only when pydal would show no difference:
    types, values, the order of a Row's items, and what each operator, set and method points
    at (a row it sits in is named by how far up it is)."""
    for depth, ancestor in enumerate(reversed(ancestors)):
        if value is ancestor:
            return ("the row", depth)
    inner = (*ancestors, value)
    if isinstance(value, Rows):
        return ("Rows", type(value), [shape(row) for row in value.records], value.colnames,
                [id(field) for field in value.fields], id(value.response), value.compact)
    if isinstance(value, (DAL, Table, Field, type, types.FunctionType, types.MethodType,
                          types.BuiltinFunctionType)):
        return ("same object", id(value))
    if isinstance(value, Row):
        return (type(value), [(key, shape(item, inner)) for key, item in value.__dict__.items()])
    if hasattr(value, "_table") and isinstance(value, int):  # a Reference
        return (type(value), int(value), id(value._table), value._record)
    if isinstance(value, (list, tuple)):
        return (type(value), [shape(item, inner) for item in value])
    if isinstance(value, dict):
        return (type(value), [(key, shape(item, inner)) for key, item in value.items()])
    if hasattr(value, "__dict__"):  # RecordUpdater, LazySet, a Field.Method's VirtualCommand
        return (type(value), [(key, shape(item, inner)) for key, item in vars(value).items()])
    return (type(value), value)


def both(query, *fields, **attributes):
    """Select through ``server.row_parsing`` and, from the same driver rows, through pydal."""
    db = query.db
    seen = {}

    def processor(rows, fields, colnames, cacheable=False):
        seen["pydal"] = BaseAdapter.parse(db._adapter, rows, fields, colnames, cacheable=cacheable)
        return db._adapter.parse(rows, fields, colnames, cacheable=cacheable)

    ours = query.select(*fields, processor=processor, **attributes)
    return ours, seen["pydal"]


def assert_same(query, *fields, **attributes):
    ours, pydals = both(query, *fields, **attributes)
    assert shape(ours) == shape(pydals)
    return ours


def define_every_type(db, prefix=""):
    db.define_table(f"{prefix}owner", Field("name"))
    db.define_table(f"{prefix}thing",
                    *[Field(f"f_{i}", field_type) for i, (field_type, _) in enumerate(EVERY_TYPE)],
                    Field("owner", f"reference {prefix}owner"),
                    Field("owners", f"list:reference {prefix}owner"))
    db.define_table(f"{prefix}note", Field("thing", f"reference {prefix}thing"), Field("body"))
    owner = db[f"{prefix}owner"].insert(name="ann")
    values = {f"f_{i}": value for i, (_, value) in enumerate(EVERY_TYPE)}
    db[f"{prefix}thing"].insert(**values, owner=owner, owners=[owner])
    db[f"{prefix}thing"].insert()  # every field None (or its empty default)
    db[f"{prefix}note"].insert(thing=1, body="first")
    return db[f"{prefix}thing"]


@pytest.fixture
def db(tmp_path):
    database = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    yield database
    database.close()


def test_the_adapter_our_dal_builds_parses_with_row_parsing(db):
    assert db._adapter.parse.__func__ is row_parsing.parse


def test_every_field_type_parses_as_pydal_parses_it_on_sqlite(db):
    thing = define_every_type(db)
    rows = assert_same(db(thing))
    first = rows.first()
    assert first.f_0 == 7 and first.f_10 == {"a": [1, 2]} and first.owner.name == "ann"
    assert isinstance(first.update_record, RecordOperator) and first.note.count() == 1


def test_every_field_type_parses_as_pydal_parses_it_on_postgresql(postgres_uri):
    database = DAL(postgres_uri, pool_size=0)
    prefix = f"rp{uuid.uuid4().hex[:8]}_"
    try:
        thing = define_every_type(database, prefix)
        rows = assert_same(database(thing))
        assert rows.first()[f"f_{len(EVERY_TYPE) - 1}"] == "secret"
        assert_same(database(thing.id == database[f"{prefix}note"].thing))
    finally:
        database.rollback()
        for name in ("note", "thing", "owner"):
            database[prefix + name].drop()
        database.commit()
        database.close()


def test_joins_partial_selects_and_interleaved_tables(db):
    thing = define_every_type(db)
    note, owner = db.note, db.owner
    assert_same(db(thing.id == note.thing))
    assert_same(db(thing.id == note.thing), note.body, thing.f_2, note.id, thing.id)
    assert_same(db(thing.owner == owner.id), owner.name, thing.f_1)
    assert_same(db(thing), thing.f_2, thing.f_3)  # no id: no update_record, no sets
    assert_same(db(thing), thing.id, note.body, left=note.on(note.thing == thing.id))


def test_columns_that_are_no_field_are_left_to_pydal(db):
    thing = define_every_type(db)
    ours = assert_same(db(thing), thing.id.count(), thing.f_2, groupby=thing.f_2)
    assert ours.first()[thing.id.count()] == 1
    assert_same(db(thing), thing.f_0.sum().with_alias("total"))
    assert_same(db(thing), thing.id, thing.id)  # one column twice


def test_cacheable_rows_have_no_operators(db):
    thing = define_every_type(db)
    rows = assert_same(db(thing), cacheable=True)
    assert "update_record" not in rows.first()


def test_lazy_tables_rows_get_the_lazy_reference_getter(tmp_path):
    database = DAL("sqlite://lazy.sqlite", folder=str(tmp_path), lazy_tables=True)
    define_every_type(database)
    rows = assert_same(database(database.thing))
    assert "__get_lazy_reference__" in rows.first().__dict__
    database.close()


def test_an_id_field_of_another_name_is_also_the_row_s_id(db):
    db.define_table("custom", Field("key", "id"), Field("name"))
    db.custom.insert(name="x")
    rows = assert_same(db(db.custom))
    assert rows.first().id == rows.first().key == 1
    db.define_table("target", Field("name"))
    db.define_table("referrer", Field("target", "reference target"), Field("target_",
                                                                           "reference target"))
    db.target.insert(name="t")
    assert_same(db(db.target))  # two fields of one table link to it under one name
    fields_virtual, fields_lazy, columns = db._adapter._parse_expand_colnames(list(db.target))
    assert row_parsing.table_plans(db._adapter, columns, ["target.id", "target.name"], True,
                                   False) is not None  # and they are parsed here, not by pydal


def test_a_field_named_as_a_referencing_table_keeps_its_value(db):
    db.define_table("person", Field("pet"))
    db.define_table("pet", Field("owner", "reference person"))
    db.person.insert(pet="rex")
    rows = assert_same(db(db.person))
    assert rows.first().pet == "rex"
    assert list(rows.first().__dict__) == ["id", "update_record", "delete_record", "pet"]


def test_filters_custom_types_and_virtual_fields(db):
    upper = SQLCustomType(type="string", native="TEXT",
                          encoder=lambda v: v if v is None else v.lower(),
                          decoder=lambda v: "no shout" if v is None else v.upper())
    db.define_table("styled", Field("name", filter_out=lambda v: f"<{v}>"),
                    Field("shout", upper), Field("size", "integer"),
                    Field.Virtual("double", lambda row: row.styled.size * 2
                                  if row.styled.size else row.styled.no_such_field),
                    Field.Method("triple", lambda row: row.styled.size * 3))
    db.styled.insert(name="a", shout="quiet", size=2)
    db.styled.insert(name=None, shout=None, size=None)
    rows = assert_same(db(db.styled), orderby=db.styled.id)
    assert rows.first().name == "<a>" and rows.first().shout == "QUIET"
    assert rows.first().double == 4 and rows.first().triple() == 6
    assert rows.last().shout == "no shout"  # a custom type's decoder sees None too
    assert "double" not in rows.last()  # the virtual field failed on None

    class Old:
        def plus(self):
            return self.styled.size + 1
    db.styled.virtualfields.append(Old())
    assert assert_same(db(db.styled.size != None)).first().plus == 3  # noqa: E711


def test_a_record_operator_the_app_adds_is_made_per_row(db):
    made = []

    def tagger(colset, table, rid):
        made.append(rid)
        return f"tag {table._tablename} {rid}"

    db.record_operators = {**db.record_operators, "tag": tagger}
    define_every_type(db)
    rows = assert_same(db(db.thing))
    assert rows.first().tag == "tag thing 1" and made == [1, 2, 1, 2]


def test_blobs_left_encoded_when_asked(db):
    thing = define_every_type(db)
    sql = db(thing)._select(thing.id, thing.f_14)
    raw = db.executesql(sql)
    fields = [thing.id, thing.f_14]
    colnames = [f.longname for f in fields]
    for decode in (True, False):
        assert shape(db._adapter.parse(raw, fields, colnames, blob_decode=decode)) == \
            shape(BaseAdapter.parse(db._adapter, raw, fields, colnames, blob_decode=decode))


def test_an_adapter_with_its_own_parse_keeps_it(db):
    class Custom(type(db._adapter)):
        def parse(self, *args, **kwargs):
            return "its own"

    adapter = object.__new__(Custom)
    adapter.parser = db._adapter.parser
    adapter.db = db
    row_parsing.speed_up_parsing(adapter)
    assert "parse" not in vars(adapter)
    row_parsing.speed_up_parsing(None)  # a DAL without an adapter: nothing to do


def test_a_row_class_that_stores_items_its_own_way_keeps_pydals_parse(db):
    class LoudRow(Row):
        def __setitem__(self, key, value):
            super().__setitem__(key, str(value).upper())

    for row_class, ours in ((LoudRow, False), (Row, True)):
        adapter = object.__new__(type(db._adapter))
        adapter.parser, adapter.db = db._adapter.parser, types.SimpleNamespace(Row=row_class)
        row_parsing.speed_up_parsing(adapter)
        assert ("parse" in vars(adapter)) is ours
