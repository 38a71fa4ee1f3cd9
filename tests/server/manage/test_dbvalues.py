"""How the database browser turns typed text into values: one rule per field type."""

from __future__ import annotations

import datetime

import pytest
from pydal import DAL, Field
from pydal.validators import IS_INT_IN_RANGE

from server.manage.dbvalues import NULL_TEXT, as_text, parse_by_type, value_from_text


@pytest.fixture
def table(tmp_path):
    db = DAL("sqlite:memory", folder=str(tmp_path))
    db.define_table("item", Field("title"), Field("body", "text"), Field("count", "integer"),
                    Field("ranked", "integer", requires=IS_INT_IN_RANGE(0, 10)),
                    Field("price", "double"), Field("cost", "decimal(10,2)"),
                    Field("done", "boolean"), Field("due", "date"), Field("at", "datetime"),
                    Field("opens", "time"), Field("tags", "list:string"),
                    Field("codes", "list:integer"), Field("data", "json"),
                    Field("parent", "reference item"))
    for field in db.item:  # pydal's default validators would parse the text themselves
        if field.name != "ranked":
            field.requires = None
    yield db.item
    db.close()


@pytest.mark.parametrize("name, text, expected", [
    ("title", "  spaced  ", "  spaced  "),  # text types keep what was typed
    ("body", "", ""),
    ("count", " 42 ", 42),
    ("count", "", None),
    ("price", "2.5", 2.5),
    ("cost", "3.10", "3.10"),  # decimals stay text: the adapter parses them exactly
    ("done", "Yes", True),
    ("done", "off", False),
    ("done", " ", None),
    ("due", "2026-12-01", datetime.date(2026, 12, 1)),
    ("at", "2026-12-01 10:30:00", datetime.datetime(2026, 12, 1, 10, 30)),
    ("opens", "08:15", datetime.time(8, 15)),
    ("tags", "a, b,,c ", ["a", "b", "c"]),
    ("codes", "1, 2", [1, 2]),
    ("parent", " 7", 7),
    ("data", ' {"a": 1} ', ' {"a": 1} '),
])
def test_value_from_text_parses_by_field_type(table, name, text, expected):
    assert value_from_text(table[name], text) == expected


def test_null_text_and_none_are_null_for_every_type(table):
    for name in ("title", "count", "done", "due", "tags"):
        assert value_from_text(table[name], NULL_TEXT) is None
        assert value_from_text(table[name], None) is None


def test_fields_with_validators_get_the_stripped_text_to_parse_themselves(table):
    assert value_from_text(table.ranked, " 5 ") == "5"


@pytest.mark.parametrize("name, text", [
    ("count", "forty"), ("price", "cheap"), ("done", "maybe"), ("due", "1/12/2026"),
    ("codes", "1, two"),
])
def test_bad_text_raises_value_error(table, name, text):
    with pytest.raises(ValueError):
        value_from_text(table[name], text)


def test_a_bad_boolean_names_what_was_typed():
    with pytest.raises(ValueError, match="'maybe' is not yes/no"):
        parse_by_type("boolean", "maybe")


def test_unknown_types_keep_their_text():
    assert parse_by_type("geometry()", "POINT(1 2)") == "POINT(1 2)"
    assert parse_by_type("big-reference thing", "12") == 12
    assert parse_by_type("bigint", "-3") == -3


def test_as_text_casts_to_text_so_json_can_be_searched(table):
    table._db.item.insert(data={"k": "needle"})
    row = table._db(as_text(table.data).contains("needle")).select().first()
    assert row.data == {"k": "needle"}
