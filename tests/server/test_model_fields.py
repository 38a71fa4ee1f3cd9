"""The models' Field: a field made again from remembered arguments is the field pydal makes of
them, with objects of its own; arguments that are the model's objects are pydal's to make."""

from __future__ import annotations

import inspect

import pydal
import pytest
from pydal.validators import IS_NOT_EMPTY, DefaultValidatorProxy

from server import model_fields
from server.dal import DAL
from server.execution import BASE_GLOBALS
from server.model_fields import Field

PLAIN = [
    (("name",), {}),
    (("quantity", "integer"), {}),
    (("code", "string", 20), {"notnull": True, "unique": True, "label": "The code"}),
    (("born", "date"), {"default": "2026-12-01", "comment": "when"}),
    (("tags", "list:string"), {"writable": False}),
    (("owner", "reference person"), {"ondelete": "SET NULL"}),
    (("price",), {"type": "decimal(10,2)", "default": 1.5, "custom_flag": 3}),
]


def pydals(args: tuple, kwargs: dict) -> pydal.Field:
    return pydal.Field(*args, **kwargs)


def validator_kind(field) -> tuple:
    made = field.requires.obj
    return type(made).__name__, type(getattr(made, "other", None)).__name__


@pytest.mark.parametrize(("args", "kwargs"), PLAIN)
def test_a_field_made_again_is_the_field_pydal_makes(args, kwargs):
    first, again, expected = Field(*args, **kwargs), Field(*args, **kwargs), pydals(args, kwargs)
    assert type(again) is pydal.Field
    assert again.__dict__.keys() == expected.__dict__.keys()
    for key, value in expected.__dict__.items():
        if key != "requires":
            assert again.__dict__[key] == value, key
    assert isinstance(again.requires, DefaultValidatorProxy)
    assert validator_kind(again) == validator_kind(expected)
    assert again.requires is not first.requires
    assert again.requires.obj is not first.requires.obj


def test_what_a_model_changes_on_its_field_stays_on_that_field():
    first = Field("name", length=40)
    first.label, first.readable = "Changed", False
    first.requires.obj.other.error_message = "changed"
    again = Field("name", length=40)
    assert (again.label, again.readable, again.length) == ("Name", True, 40)
    assert again.requires("")[0] is None and again.requires.obj.other is not first.requires.obj.other
    assert getattr(again.requires.obj.other, "error_message", None) != "changed"


def test_equal_arguments_of_other_types_make_their_own_fields():
    made = [Field("flag", default=value) for value in (True, 1, 1.0, True, 1.0, 1)]
    assert [type(field.default) for field in made] == [bool, int, float, bool, float, int]
    assert [type(Field("n", "integer", 0 if kind is int else False).length)
            for kind in (int, bool)] == [int, bool]


def test_the_models_own_objects_are_pydals_to_make_every_time():
    shown = lambda value: value  # noqa: E731
    check = IS_NOT_EMPTY()
    made = [Field("name", requires=check), Field("name", represent=shown),
            Field("name", options=["a", "b"]), Field("name", requires=None),
            Field("name", "string", 512, None, False, check)]
    assert made[0].requires is check and made[4].requires is check
    assert made[1].represent is shown and made[2].options == ["a", "b"]
    assert made[3].requires == [] and Field("name", requires=None).requires is not made[3].requires
    assert model_fields.plain_key(("name",), {"represent": shown}) is None
    assert model_fields.plain_key(("name",), {"requires": None}) is None


def test_field_is_every_pydal_field_and_an_apps_subclass_is_its_own():
    class Own(Field):
        def extra(self) -> str:
            return "own " + self.name

    own = Own("name")
    assert isinstance(pydal.Field("x"), Field) and issubclass(pydal.Field, Field)
    assert type(own) is Own and own.extra() == "own name" and own.label == "Name"
    assert isinstance(own, pydal.Field) and not isinstance("name", Field)
    assert Field.Virtual is pydal.Field.Virtual and Field.Method is pydal.Field.Method
    assert BASE_GLOBALS["Field"] is Field and BASE_GLOBALS["SQLField"] is Field
    assert inspect.signature(Field) == inspect.signature(pydal.Field)
    assert Field.__doc__ == pydal.Field.__doc__


def test_a_table_of_remembered_fields_works_as_one_of_pydals(tmp_path):
    for _ in range(2):  # the second request's fields are remembered ones
        db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
        fields = [Field(*args, **kwargs) for args, kwargs in PLAIN if args[0] != "owner"]
        db.define_table("person", Field("name"))
        db.define_table("thing", Field("owner", "reference person"), *fields)
        db.commit()
    assert db.thing.owner.requires.obj.other.dbset.db is db
    assert db.thing.quantity.requires("x")[1] is not None
    person = db.person.insert(name="p")
    assert db.thing.insert(owner=person, name="n", code="c", quantity=2) == 1
    assert db(db.thing).select().first().price == 1.5
    db.close()


def test_remembered_arguments_are_bounded(monkeypatch):
    monkeypatch.setattr(model_fields, "_MAX_REMEMBERED", 3)
    monkeypatch.setattr(model_fields, "_MADE", {})
    for number in range(10):
        Field("name", default=f"value {number}")
    assert 1 <= len(model_fields._MADE) <= 3
    assert Field("name", default="value 9").default == "value 9"
