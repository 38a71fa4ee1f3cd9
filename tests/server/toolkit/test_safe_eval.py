"""server.toolkit.safe_eval: what a typed query may and may not do."""

import pytest
from pydal import DAL, Field

from server.toolkit.safe_eval import safe_eval_expression


@pytest.fixture
def db():
    database = DAL("sqlite:memory")
    database.define_table("thing", Field("name"), Field("size", "integer"))
    database.thing.insert(name="box", size=3)
    database.thing.insert(name="bag", size=9)
    return database


def test_queries_combine_and_orderby_negates(db):
    query = safe_eval_expression("(db.thing.size > 2) & ~(db.thing.name == 'bag')", {"db": db})
    assert [r.name for r in db(query).select()] == ["box"]
    orderby = safe_eval_expression("~db.thing.size", {"db": db})
    assert [r.name for r in db(db.thing).select(orderby=orderby)] == ["bag", "box"]
    assert db(safe_eval_expression("db.thing.name.belongs(('box',))", {"db": db})).count() == 1


@pytest.mark.parametrize("text", [
    "db.thing._db", "db.thing.name.startswith.__globals__", "lambda: 1", "db.thing['name']",
    "unknown_name", "db.thing.drop()", "(1).__class__", "db(",
])
def test_refused(db, text):
    with pytest.raises(ValueError):
        safe_eval_expression(text, {"db": db})


def test_a_failing_expression_is_a_value_error(db):
    with pytest.raises(ValueError, match="failed"):
        safe_eval_expression("db.nosuchtable.x == 1", {"db": db})
