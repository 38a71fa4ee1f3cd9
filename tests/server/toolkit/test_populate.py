"""server.toolkit.populate: a seed makes the records repeatable."""

from pydal import DAL, Field

from server.toolkit.populate import populate


def test_same_seed_same_records():
    db = DAL("sqlite:memory")
    db.define_table("t", Field("name"), Field("n", "integer"))
    first = [next(populate(db.t, None, seed=7)) for _ in range(1)]
    second = [next(populate(db.t, None, seed=7)) for _ in range(1)]
    assert first == second
