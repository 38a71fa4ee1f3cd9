"""gluon.contrib.populate: random records that fit each field and its requirements."""

import datetime

from pydal import DAL, Field
from pydal.validators import IS_IN_SET

from gluon.contrib.populate import populate


def test_records_fit_types_lengths_sets_and_references():
    db = DAL("sqlite:memory")
    db.define_table("company", Field("name", length=8))
    db.define_table("person", Field("first_name"), Field("email"), Field("bio", "text"),
                    Field("age", "integer"), Field("born", "date"), Field("active", "boolean"),
                    Field("level", requires=IS_IN_SET(["junior", "senior"])),
                    Field("tags", "list:string"), Field("company", "reference company"),
                    Field("status", default="new"))
    populate(db.company, 5, seed=1)
    populate(db.person, 40, seed=2)
    assert db(db.company).count() == 5 and db(db.person).count() == 40
    assert all(len(row.name) <= 8 for row in db(db.company).select())
    company_ids = {row.id for row in db(db.company).select()}
    for person in db(db.person).select():
        assert "@" in person.email and person.level in ("junior", "senior")
        assert isinstance(person.age, int) and isinstance(person.born, datetime.date)
        assert person.company in company_ids and person.status == "new"
        assert isinstance(person.tags, list) and person.bio


def test_generator_and_fixed_contents():
    db = DAL("sqlite:memory")
    db.define_table("t", Field("x", "integer"), Field("y"))
    records = populate(db.t, None, contents={"y": "fixed"}, seed=3)
    first = next(records)
    assert first["y"] == "fixed" and isinstance(first["x"], int) and db(db.t).count() == 0
