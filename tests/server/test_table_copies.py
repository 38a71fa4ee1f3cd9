"""A copied table is a table of its own: nothing mutable is shared with the one it copies, its
fields are bound to the new db, and it builds the same columns into a defined table."""

from __future__ import annotations

from pydal import Field
from pydal.objects import Table
from pydal.validators import DefaultValidatorProxy

from server.auth.auth import Auth
from server.dal import DAL
from server.storage import Storage
from server.table_copies import rebound_copy

IMMUTABLE = (str, int, float, bool, type(None), tuple, frozenset)


def signature_like(db) -> Table:
    return Table(db, "stamp", Field("flag", "boolean", default=True),
                 Field("owner", "reference person", default=None),
                 Field("made_on", "datetime"))


def test_a_copy_shares_nothing_mutable_with_its_template(tmp_path):
    first = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    second = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    template = signature_like(first)
    template._upload_fieldnames  # noqa: B018 -- a cached property the copy must not inherit
    copied = rebound_copy(template, second, {"owner": {"default": 7}})
    assert set(copied.__dict__) == set(template.__dict__) - {"_upload_fieldnames"}
    for key, value in copied.__dict__.items():
        if value is template.__dict__[key]:
            assert isinstance(value, IMMUTABLE), key
    assert copied._db is second and copied.fields == template.fields
    for field in copied:
        assert field is not template[field.name]
        assert field.db is second and field.table is copied and field.tablename == "stamp"
        assert isinstance(field.requires, DefaultValidatorProxy)
        assert field.requires is not template[field.name].requires
    assert copied._id is copied.id and copied.owner.default == 7
    assert template.owner.default is None and template.owner.db is first
    assert copied.ALL._table is copied and copied.add_method.table is copied
    copied.flag.readable = False
    copied._before_insert.append(print)
    assert template.flag.readable is True and len(template._before_insert) == 1
    first.close()
    second.close()


def test_a_copy_builds_the_templates_columns_into_a_table(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = DAL("sqlite://storage.sqlite", folder=str(tmp_path / "a"))
    second = DAL("sqlite://storage.sqlite", folder=str(tmp_path / "b"))
    template = signature_like(first)
    second.define_table("person", Field("name"))
    second.define_table("thing", Field("name"), rebound_copy(template, second))
    assert second.thing.fields == ["id", "name", "flag", "owner", "made_on"]
    assert second.thing.owner.referent is second.person.id
    assert second.thing.insert(name="x", owner=second.person.insert(name="p")) == 1
    assert second(second.thing).select().first().flag is True
    first.close()
    second.close()


def test_each_auths_signature_names_its_own_user(tmp_path):
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    one, other = Auth(db), Auth(db)
    one.user, other.user = Storage(id=5), Storage(id=7)
    assert one.signature.created_by.default() == 5
    assert other.signature.modified_by.update() == 7
    assert one.signature.modified_by.default() == 5
    one.signature.created_on.readable = True
    assert other.signature.created_on.readable is False
    assert other.signature.fields == ["id", "is_active", "created_on", "created_by",
                                      "modified_on", "modified_by"]
    db.close()


def test_a_copys_default_validators_are_pydals_for_the_field_as_it_was_copied(tmp_path):
    from pydal.validators import IS_DATETIME, IS_EMPTY_OR, IS_IN_DB, IS_INT_IN_RANGE

    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    before = rebound_copy(signature_like(db), db)
    db.define_table("person", Field("name"))
    after = rebound_copy(signature_like(db), db)  # "person" is defined now
    before.made_on.notnull = True  # a change after the copy does not change its validator
    assert isinstance(before.made_on.requires.obj, IS_EMPTY_OR)
    assert isinstance(before.made_on.requires.obj.other, IS_DATETIME)
    assert before.made_on.requires("2026-12-01 10:30:00")[1] is None
    assert before.made_on.requires("not a date")[1] is not None
    assert isinstance(before.owner.requires.obj.other, IS_INT_IN_RANGE)
    assert isinstance(after.owner.requires.obj.other, IS_IN_DB)
    assert after.owner.requires.obj.other.dbset.db is db
    db.close()
