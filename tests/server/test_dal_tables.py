"""Tables take the ``_filter_fields(id=...)`` keyword of older pydal, as apps still call it."""

import json

from pydal import Field
from pydal.objects import Table
from support import write_app

from server.dal import DAL

FILTER_APP = '''
db = DAL("sqlite://storage.sqlite")
db.define_table("person", Field("name"), Field("secret", writable=False))

def index():
    record = dict(id=7, name="Ann", secret="s", unknown=1)
    person = db.person
    return response.json(dict(old=person._filter_fields(record, id=True),
                              old_without=person._filter_fields(record, id=False),
                              new=person._filter_fields(record, allow_id=True),
                              writable=person._filter_fields(record, writable_only=True)))
'''


def test_filter_fields_takes_the_old_id_keyword_and_the_new_one(tmp_path):
    db = DAL(f"sqlite://{tmp_path / 'x.sqlite'}")
    table = db.define_table("person", Field("name"))
    assert type(table) is Table  # apps check the exact type (Sahana Eden does)
    record = {"id": 3, "name": "Ann", "other": 1}
    assert table._filter_fields(record, id=True) == {"id": 3, "name": "Ann"}
    assert table._filter_fields(record, id=False) == {"name": "Ann"}
    assert table._filter_fields(record) == {"name": "Ann"}
    assert table._filter_fields(record, allow_id=True) == {"id": 3, "name": "Ann"}
    db.close()


def test_lazy_tables_and_an_apps_own_table_class_take_it_too(tmp_path):
    class Mine(Table):
        pass

    db = DAL(f"sqlite://{tmp_path / 'x.sqlite'}", lazy_tables=True)
    db.define_table("lazy", Field("name"))
    db.define_table("own", Field("name"), table_class=Mine)
    assert type(db.lazy) is Table and type(db.own) is Mine
    for table in (db.lazy, db.own, db.lazy.with_alias("other")):
        assert table._filter_fields({"id": 1, "name": "x"}, id=True) == {"id": 1, "name": "x"}
    assert Table._filter_fields.__qualname__ == "Table._filter_fields"  # pydal's class untouched
    db.close()


def test_an_app_calls_filter_fields_as_sahana_eden_does(root, wsgi_server, http):
    write_app(root, "filters", {"controllers/default.py": FILTER_APP})
    answer = http(wsgi_server(root) + "/filters/default/index")
    assert answer.status == 200, answer.text
    assert json.loads(answer.text) == {
        "old": {"id": 7, "name": "Ann", "secret": "s"},
        "old_without": {"name": "Ann", "secret": "s"},
        "new": {"id": 7, "name": "Ann", "secret": "s"},
        "writable": {"name": "Ann"}}
