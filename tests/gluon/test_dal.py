"""gluon.dal: pydal under web2py's names, SQLCustomType and geo helpers included."""

from gluon.dal import DAL, Field, Query, Row, Rows, SQLCustomType, Table, geoPoint


def test_define_insert_select():
    db = DAL("sqlite:memory")
    table = db.define_table("person", Field("name"))
    assert isinstance(table, Table)
    db.person.insert(name="Ann")
    query = db.person.name == "Ann"
    assert isinstance(query, Query)
    rows = db(query).select()
    assert isinstance(rows, Rows) and isinstance(rows.first(), Row) and rows.first().name == "Ann"


def test_sql_custom_type_converts_both_ways():
    upper = SQLCustomType(type="string", native="VARCHAR(32)",
                          encoder=lambda value: value.upper(),
                          decoder=lambda value: value.lower())
    db = DAL("sqlite:memory")
    db.define_table("t", Field("code", type=upper))
    db.t.insert(code="abc")
    assert db.executesql("SELECT code FROM t")[0][0] == "ABC"
    assert db(db.t).select().first().code == "abc"


def test_geo_point_is_well_known_text():
    assert geoPoint(1, 2) == "POINT (1.000000 2.000000)"
