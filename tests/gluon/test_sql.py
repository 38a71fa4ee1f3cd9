"""gluon.sql: web2py 1.x names for the DAL."""

from gluon.sql import SQLDB, SQLField, SQLRows


def test_old_names_are_the_dal():
    db = SQLDB("sqlite:memory")
    db.define_table("t", SQLField("x", "integer"))
    db.t.insert(x=3)
    assert isinstance(db(db.t).select(), SQLRows) and db(db.t).select().first().x == 3
