"""dbinspect: safe query parsing, paging, validated writes, CSV round trip on real SQLite files."""

from __future__ import annotations

import base64
import datetime
import uuid
from contextlib import contextmanager

import pytest
from pydal import DAL, Field
from support import write_app

from server.manage import dbinspect
from server.manage.progress import Progress


def test_describe_tables_lists_fields_types_and_id(db):
    tables = {info.name: info for info in dbinspect.describe_tables(db)}
    person = tables["person"]
    assert person.field_names == ["id", "name", "age", "active", "born", "tags"]
    assert [f.type for f in person.fields][:3] == ["id", "string", "integer"]
    assert person.has_id and not person.fields[0].writable and person.fields[1].writable
    assert tables["pet"].fields[1].type == "reference person"


def test_blob_computed_and_unwritable_fields_are_not_editable(db):
    db.define_table("doc", Field("data", "blob"), Field("size", "integer", compute=lambda r: 1),
                    Field("locked", writable=False), Field("title"))
    editable = {f.name: f.writable for f in dbinspect.describe_table(db.doc).fields}
    assert editable == {"id": False, "data": False, "size": False, "locked": False, "title": True}


def test_table_without_id_field_is_read_only(db):
    db.define_table("code", Field("key"), Field("label"), primarykey=["key"])
    info = dbinspect.describe_table(db.code)
    assert not info.has_id
    assert "read-only" in dbinspect.update_cell(db, db.code, 1, "label", "x")
    assert dbinspect.insert_row(db, db.code, {"key": "a"})[0] is None


def test_page_orders_and_limits(db):
    rows = dbinspect.page(db, db.person, orderby="name", descending=True, offset=1, limit=1)
    assert rows == [(3, "Anna", 25, None, None, ["x", "y"])]
    assert [r[0] for r in dbinspect.page(db, db.person, limit=2)] == [1, 2]
    assert [r[0] for r in dbinspect.page(db, db.person, after_id=2)] == [3]
    assert [r[0] for r in dbinspect.page(db, db.person, descending=True, after_id=2)] == [1]


def test_page_through_100000_rows_by_id_reaches_every_row(tmp_path):
    db = DAL("sqlite://big.sqlite", folder=str(tmp_path))
    db.define_table("item", Field("label"))
    db.executesql("INSERT INTO item(label) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                  "SELECT i + 1 FROM n WHERE i < 100000) SELECT 'x' || i FROM n")
    db.commit()
    seen, last = 0, None
    while True:
        rows = dbinspect.page(db, db.item, after_id=last, limit=5000)
        if not rows:
            break
        assert rows[0][0] == (last or 0) + 1
        seen, last = seen + len(rows), rows[-1][0]
    assert seen == 100000 == dbinspect.count(db, db.item)
    assert dbinspect.count(db, db.item, dbinspect.parse_query(db, "db.item.label == 'x99999'")) == 1
    db.close()


def test_update_cell_applies_validators_and_commits(db):
    assert dbinspect.update_cell(db, db.person, 2, "age", "41") is None
    db.rollback()  # a committed change survives a rollback
    assert db.person[2].age == 41
    out_of_range = "Enter an integer between 0 and 149"
    assert dbinspect.update_cell(db, db.person, 2, "age", "200") == out_of_range
    assert dbinspect.update_cell(db, db.person, 2, "name", "") == "Enter a value"
    assert dbinspect.update_cell(db, db.person, 2, "active", "maybe").startswith("invalid boolean")
    assert db.person[2].age == 41 and db.person[2].name == "Bob"


def test_update_cell_parses_types(db):
    assert dbinspect.update_cell(db, db.person, 2, "active", "yes") is None
    assert dbinspect.update_cell(db, db.person, 2, "born", "2001-02-03") is None
    assert dbinspect.update_cell(db, db.person, 2, "tags", "a, b") is None
    row = db.person[2]
    assert (row.active, row.born, row.tags) == (True, datetime.date(2001, 2, 3), ["a", "b"])
    assert dbinspect.update_cell(db, db.person, 2, "born", "next week") is not None


def test_update_cell_reports_missing_rows_and_fields(db):
    assert dbinspect.update_cell(db, db.person, 999, "age", "3") == "The row no longer exists."
    assert dbinspect.update_cell(db, db.person, 1, "id", "3") == "invalid"


def test_database_error_is_rolled_back_and_reported(db):
    db.executesql("CREATE UNIQUE INDEX person_name ON person(name)")
    db.commit()
    message = dbinspect.update_cell(db, db.person, 2, "name", "Alice")
    assert message.startswith("Database error") and "UNIQUE" in message
    assert db.person[2].name == "Bob"


def test_insert_and_delete_row(db):
    new_id, errors = dbinspect.insert_row(db, db.person, {"name": "Cleo", "age": "7"})
    assert errors == {} and db.person[new_id].age == 7
    assert dbinspect.insert_row(db, db.person, {"name": "", "age": "x"}) == (
        None, {"name": "Enter a value", "age": "Enter an integer between 0 and 149"})
    assert dbinspect.count(db, db.person) == 4
    assert dbinspect.delete_row(db, db.person, new_id) is None
    assert dbinspect.delete_row(db, db.person, new_id) == "The row no longer exists."
    db.rollback()
    assert dbinspect.count(db, db.person) == 3


def test_csv_round_trip_keeps_values(db, tmp_path):
    path = tmp_path / "people.csv"
    query = dbinspect.parse_query(db, "db.person.name.startswith('A')")
    originals = dbinspect.page(db, db.person, query)
    assert dbinspect.export_csv(db, db.person, query, path) == 2
    report = dbinspect.import_csv(db, db.person, path)
    assert (report.inserted, report.rejected) == (2, [])
    copies = dbinspect.page(db, db.person, offset=3)
    assert [row[1:] for row in copies] == [row[1:] for row in originals]
    assert [row[0] for row in copies] == [4, 5]


BLOBS = [b"\x00\x01binary\xff\xfe", "caf\u00e9 text".encode(), b"", None, bytes(range(256))]


def define_documents(db):
    db.define_table("doc", Field("title"), Field("data", "blob"))
    for index, data in enumerate(BLOBS):
        db.doc.insert(title=f"d{index}", data=data)
    db.commit()


def expected_copies(originals):
    """The rows an import of ``originals`` makes: the same, except that an empty blob becomes
    NULL, as the blob field's default validator (IS_EMPTY_OR) has it for any form."""
    return [(title, None if data == "" else data) for _id, title, data in originals]


def test_csv_round_trip_of_a_blob_column(db, tmp_path):
    """pydal gives a UTF-8 blob back as text and its CSV writer wants bytes (and would write
    ``b'...'``): blobs are base64 in the file and the very same bytes after an import."""
    define_documents(db)
    path = tmp_path / "docs.csv"
    originals = dbinspect.page(db, db.doc)
    assert dbinspect.export_csv(db, db.doc, None, path) == len(BLOBS)
    text = path.read_text(encoding="utf-8")
    assert base64.b64encode(BLOBS[0]).decode() in text and "b'" not in text
    assert "d3,<NULL>" in text
    report = dbinspect.import_csv(db, db.doc, path)
    assert (report.inserted, report.rejected) == (len(BLOBS), [])
    copies = dbinspect.page(db, db.doc, offset=len(BLOBS))
    assert [row[1:] for row in copies] == expected_copies(originals)
    stored = [data for (data,) in db.executesql("SELECT data FROM doc ORDER BY id")]
    assert stored[len(BLOBS):] == [None if data == "" else data for data in stored[:len(BLOBS)]]
    assert base64.b64decode(stored[0]) == BLOBS[0]


def test_import_csv_rejects_a_blob_cell_that_is_not_base64(db, tmp_path):
    define_documents(db)
    path = tmp_path / "bad_blob.csv"
    path.write_text("doc.title,doc.data\nok,aGk=\nbad,not base64!\n", encoding="utf-8")
    report = dbinspect.import_csv(db, db.doc, path, atomic=False)
    assert report.inserted == 1 and report.rejected == [(3, "data: not base64-encoded data")]
    assert db(db.doc.title == "ok").select().first().data == "hi"


def test_import_csv_is_all_or_nothing_by_default(db, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("person.name,person.age\nDora,5\n,6\nEve,old\nFay,1,2\n", encoding="utf-8")
    report = dbinspect.import_csv(db, db.person, path)
    assert report.rolled_back and report.inserted == 0
    assert report.rejected == [
        (3, "name: Enter a value"),
        (4, "age: Enter an integer between 0 and 149"),
        (5, "expected 2 values, found 3"),
    ]
    assert dbinspect.count(db, db.person) == 3
    partial = dbinspect.import_csv(db, db.person, path, atomic=False)
    assert partial.inserted == 1 and len(partial.rejected) == 3 and not partial.rolled_back
    db.rollback()
    assert [row[1] for row in dbinspect.page(db, db.person, offset=3)] == ["Dora"]


def test_import_csv_refuses_unknown_columns(db, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("colour\nred\n", encoding="utf-8")
    report = dbinspect.import_csv(db, db.person, path)
    assert report.inserted == 0 and "unknown columns: colour" in report.rejected[0][1]


def test_insert_row_leaves_empty_defaulted_fields_to_their_default(db):
    db.define_table("note", Field("body", default="(empty)"), Field("stars", "integer"))
    new_id, errors = dbinspect.insert_row(db, db.note, {"body": "", "stars": ""})
    assert errors == {}
    assert (db.note[new_id].body, db.note[new_id].stars) == ("(empty)", None)


def test_app_databases_runs_the_models_and_finds_each_dal(root):
    write_app(root, "shop", {
        "models/db.py": """
            db = DAL('sqlite://storage.sqlite')
            db.define_table('product', Field('title'), Field('price', 'double'))
            if not db(db.product).count():
                db.product.insert(title='Tea', price=2.5)
                db.commit()
        """,
        "models/zz_logs.py": """
            logs = DAL('sqlite://logs.sqlite')
            logs.define_table('entry', Field('text'))
        """,
    })
    databases = dbinspect.app_databases(root, "shop")
    assert list(databases) == ["db", "logs"]
    db = databases["db"]
    assert dbinspect.page(db, db.product) == [(1, "Tea", 2.5)]
    assert [info.name for info in dbinspect.describe_tables(databases["logs"])] == ["entry"]
    assert (root / "applications" / "shop" / "databases" / "logs.sqlite").is_file()
    for database in databases.values():
        database.close()


# --- PostgreSQL: the same operations on a real server (``postgres_uri``, tests/conftest.py) ----

POSTGRES_ROWS = 3000
POSTGRES_MODEL = """
    db = DAL('URI')
    db.define_table('person',
                    Field('name', requires=IS_NOT_EMPTY()),
                    Field('age', 'integer', requires=IS_INT_IN_RANGE(0, 150)),
                    Field('active', 'boolean'),
                    Field('born', 'date'),
                    Field('tags', 'list:string'),
                    Field('profile', 'json'))
    if not db(db.person).count():
        db.executesql(
            "INSERT INTO person(name, age, born, profile) "
            "SELECT (ARRAY['Alice', 'bob', 'Anna', 'carl'])[1 + i % 4] || ' ' || i, i % 100, "
            "DATE '2000-01-01' + i, ('{\\"n\\": ' || i || '}')::json "
            "FROM generate_series(1, ROWS) AS i")
        db(db.person.id % 2 == 0).update(active=True)
        db(db.person.id % 2 == 1).update(active=False)
        db(db.person.id % 10 == 0).update(tags=['vip', 'x'])
        db.commit()
"""


@contextmanager
def fresh_postgres_database(postgres_uri):
    """A new database on the session's PostgreSQL server; dropped (connections and all) after."""
    import psycopg2

    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(postgres_uri)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        yield f"{postgres_uri.rsplit('/', 1)[0]}/{name}"
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        admin.close()


@contextmanager
def postgres_app(root, postgres_uri, scheme):
    """The app ``shop`` whose model connects to a fresh PostgreSQL database (``postgres3``: real
    BOOLEAN and array columns): its ``db`` as found by ``app_databases``, and a second, separate
    connection (plain psycopg2) that sees only what was committed."""
    import psycopg2

    with fresh_postgres_database(postgres_uri) as database_uri:
        uri = database_uri.replace("postgres://", f"{scheme}://", 1)
        model = POSTGRES_MODEL.replace("URI", uri).replace("ROWS", str(POSTGRES_ROWS))
        write_app(root, "shop", {"models/db.py": model})
        databases = dbinspect.app_databases(root, "shop")
        other = psycopg2.connect(database_uri)
        other.autocommit = True
        try:
            yield databases["db"], other
        finally:
            other.close()
            for database in databases.values():
                database.close()


@pytest.fixture(params=["postgres", "postgres3"])
def pg(request, root, postgres_uri):
    """A seeded PostgreSQL app of its own, for a test that writes."""
    with postgres_app(root, postgres_uri, request.param) as app:
        yield app


@pytest.fixture(scope="module", params=["postgres", "postgres3"])
def pg_read(request, tmp_path_factory, postgres_uri):
    """A seeded PostgreSQL app shared by the tests that only read."""
    root = tmp_path_factory.mktemp("pg_read")
    (root / "applications").mkdir()
    with postgres_app(root, postgres_uri, request.param) as app:
        yield app


def committed(other, sql, *params):
    """Rows seen through the second connection."""
    with other.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_postgres_app_databases_finds_the_dal_and_describes_its_tables(pg_read):
    db, other = pg_read
    assert db._adapter.dbengine == "postgres"
    [person] = dbinspect.describe_tables(db)
    assert person.name == "person" and person.has_id
    assert person.field_names == ["id", "name", "age", "active", "born", "tags", "profile"]
    assert [f.type for f in person.fields] == ["id", "string", "integer", "boolean", "date",
                                               "list:string", "json"]
    assert dbinspect.count(db, db.person) == POSTGRES_ROWS
    assert committed(other, "SELECT count(*) FROM person") == [(POSTGRES_ROWS,)]


def test_postgres_page_converts_values(pg_read):
    db, _ = pg_read
    assert dbinspect.page(db, db.person, limit=2) == [
        (1, "bob 1", 1, False, datetime.date(2000, 1, 2), None, {"n": 1}),
        (2, "Anna 2", 2, True, datetime.date(2000, 1, 3), None, {"n": 2}),
    ]
    assert dbinspect.page(db, db.person, offset=9, limit=1)[0][5] == ["vip", "x"]


def test_postgres_paging_by_id_and_by_offset_reaches_every_row_once(pg_read):
    db, _ = pg_read
    by_id, last = [], None
    while rows := dbinspect.page(db, db.person, after_id=last, limit=700):
        by_id += [row[0] for row in rows]
        last = rows[-1][0]
    assert by_id == list(range(1, POSTGRES_ROWS + 1))
    by_offset = [row[0] for offset in range(0, POSTGRES_ROWS, 700)
                 for row in dbinspect.page(db, db.person, descending=True, offset=offset,
                                           limit=700)]
    assert by_offset == by_id[::-1]


def test_postgres_sorting_pages_follow_the_column_then_id(pg_read):
    db, other = pg_read
    pages = [row for offset in range(0, POSTGRES_ROWS, 1000)
             for row in dbinspect.page(db, db.person, orderby="age", descending=True,
                                       offset=offset, limit=1000)]
    assert [(row[2], row[0]) for row in pages] == sorted(
        ((row[2], row[0]) for row in pages), key=lambda pair: (-pair[0], -pair[1]))
    assert len({row[0] for row in pages}) == POSTGRES_ROWS
    names = [row[1] for row in dbinspect.page(db, db.person, orderby="name", limit=5)]
    assert names == [name for (name,) in committed(
        other, "SELECT name FROM person ORDER BY name, id LIMIT 5")]


def test_postgres_sorting_a_json_column_sorts_its_text(pg_read):
    """PostgreSQL cannot order a json column ("could not identify an ordering operator")."""
    db, _ = pg_read
    rows = dbinspect.page(db, db.person, orderby="profile", descending=True, limit=3)
    assert [row[6] for row in rows] == [{"n": 9}, {"n": 99}, {"n": 999}]  # '}' > '9'


@pytest.mark.parametrize("text, expected", [
    ("db.person.name.startswith('Anna')", 750),
    ("db.person.name.startswith('anna')", 0),  # LIKE is case-sensitive on PostgreSQL
    ("db.person.name.contains('ANNA')", 750),  # contains() is not, by default
    ("db.person.name.contains('ANNA', case_sensitive=True)", 0),
    ("db.person.name.contains('nna 1')", 278),
    ("db.person.age.belongs([1, 2, 3])", 90),
    ("db.person.name.belongs(['bob 1', 'carl 3', 'nobody'])", 2),
    ("db.person.tags.contains('vip')", 300),
    ("db.person.active == True", 1500),
    ("(db.person.active == False) & (db.person.age < 10)", 150),
    ("db.person.born.year() == 2001", 365),
    ("~(db.person.id > 10) | (db.person.id == 3000)", 11),
    ("db.person.name.like('BOB 1%', case_sensitive=False)", 278),
    ("db.person.age + 1 == 100", 30),
])
def test_postgres_parse_query_filters(pg_read, text, expected):
    db, _ = pg_read
    assert dbinspect.count(db, db.person, dbinspect.parse_query(db, text)) == expected
    rows = dbinspect.page(db, db.person, dbinspect.parse_query(db, text), limit=POSTGRES_ROWS)
    assert len(rows) == expected


def test_postgres_quick_filters_ignore_case_and_reach_json(pg_read):
    db, _ = pg_read
    assert dbinspect.count(db, db.person, dbinspect.quick_filter(db.person, "name", "ANNA 12")) == 27
    assert dbinspect.count(db, db.person, dbinspect.quick_filter(db.person, "active", "yes")) == 1500
    profile = dbinspect.quick_filter(db.person, "profile", '"n": 2999')  # json has no LIKE
    assert [row[0] for row in dbinspect.page(db, db.person, profile)] == [2999]


def test_postgres_failed_statement_leaves_the_connection_usable(pg_read):
    """After a failed statement PostgreSQL refuses everything until a rollback."""
    db, _ = pg_read
    invalid = dbinspect.parse_query(db, "db.person.name.year() == 2000")  # EXTRACT of text
    with pytest.raises(Exception, match="extract"):
        dbinspect.page(db, db.person, invalid)
    assert len(dbinspect.page(db, db.person, limit=3)) == 3
    with pytest.raises(Exception, match="extract"):
        dbinspect.count(db, db.person, invalid)
    assert dbinspect.count(db, db.person) == POSTGRES_ROWS
    assert dbinspect.update_cell(db, db.person, 1, "age", "1") is None  # a write works too


def test_postgres_update_cell_refused_changes_nothing(pg):
    db, other = pg
    assert dbinspect.update_cell(db, db.person, 2, "age", "200") == (
        "Enter an integer between 0 and 149")
    assert dbinspect.update_cell(db, db.person, 2, "name", "") == "Enter a value"
    assert dbinspect.update_cell(db, db.person, 2, "active", "maybe").startswith("invalid boolean")
    assert dbinspect.update_cell(db, db.person, 99999, "age", "3") == "The row no longer exists."
    assert committed(other, "SELECT name, age FROM person WHERE id = 2") == [("Anna 2", 2)]
    assert dbinspect.page(db, db.person, limit=2)[1][1:4] == ("Anna 2", 2, True)


def test_postgres_update_cell_commits(pg):
    db, other = pg
    assert dbinspect.update_cell(db, db.person, 2, "age", " 41 ") is None
    assert dbinspect.update_cell(db, db.person, 2, "name", "Zoë") is None
    assert dbinspect.update_cell(db, db.person, 2, "active", "no") is None
    assert dbinspect.update_cell(db, db.person, 2, "born", "1999-12-31") is None
    assert dbinspect.update_cell(db, db.person, 2, "tags", "a, b") is None
    assert committed(other, "SELECT name, age, born FROM person WHERE id = 2") == [
        ("Zoë", 41, datetime.date(1999, 12, 31))]
    assert dbinspect.page(db, db.person, limit=2)[1][1:6] == (
        "Zoë", 41, False, datetime.date(1999, 12, 31), ["a", "b"])


def test_postgres_constraint_error_is_reported_rolled_back_and_recovered(pg):
    db, other = pg
    db.executesql("CREATE UNIQUE INDEX person_name ON person(name)")
    db.commit()
    message = dbinspect.update_cell(db, db.person, 2, "name", "bob 1")
    assert message.startswith("Database error: duplicate key value violates unique constraint")
    assert message == message.strip()
    assert committed(other, "SELECT name FROM person WHERE id = 2") == [("Anna 2",)]
    assert dbinspect.update_cell(db, db.person, 2, "name", "Anna the second") is None
    assert committed(other, "SELECT name FROM person WHERE id = 2") == [("Anna the second",)]


def test_postgres_insert_and_delete_row(pg):
    db, other = pg
    new_id, errors = dbinspect.insert_row(db, db.person, {"name": "Cleo", "age": "7",
                                                         "active": "yes", "tags": "p, q"})
    assert errors == {} and new_id == POSTGRES_ROWS + 1
    assert committed(other, "SELECT name, age FROM person WHERE id = %s", new_id) == [("Cleo", 7)]
    assert dbinspect.page(db, db.person, after_id=POSTGRES_ROWS)[0][1:6] == (
        "Cleo", 7, True, None, ["p", "q"])
    assert dbinspect.insert_row(db, db.person, {"name": "", "age": "x"}) == (
        None, {"name": "Enter a value", "age": "Enter an integer between 0 and 149"})
    assert dbinspect.delete_row(db, db.person, new_id) is None
    assert committed(other, "SELECT count(*) FROM person") == [(POSTGRES_ROWS,)]
    assert dbinspect.delete_row(db, db.person, new_id) == "The row no longer exists."


def test_postgres_csv_round_trip(pg, tmp_path):
    db, other = pg
    path = tmp_path / "vip.csv"
    query = dbinspect.parse_query(db, "db.person.tags.contains('vip') & (db.person.id <= 50)")
    originals = dbinspect.page(db, db.person, query)
    assert dbinspect.export_csv(db, db.person, query, path) == 5
    report = dbinspect.import_csv(db, db.person, path)
    assert (report.inserted, report.rejected) == (5, [])
    copies = dbinspect.page(db, db.person, after_id=POSTGRES_ROWS)
    assert [row[0] for row in copies] == list(range(POSTGRES_ROWS + 1, POSTGRES_ROWS + 6))
    assert [row[1:] for row in copies] == [row[1:] for row in originals]
    assert committed(other, "SELECT count(*) FROM person") == [(POSTGRES_ROWS + 5,)]


def test_postgres_import_reports_rejected_rows_and_keeps_the_rest_when_asked(pg, tmp_path):
    """A row the database refuses (unique index) must not abort the rows after it."""
    db, other = pg
    db.executesql("CREATE UNIQUE INDEX person_name ON person(name)")
    db.commit()
    path = tmp_path / "mixed.csv"
    path.write_text("person.name,person.age,person.active\n"
                    "Dora,5,True\n,6,False\nbob 1,7,True\nEve,old,True\nFay,8,False\n",
                    encoding="utf-8")
    report = dbinspect.import_csv(db, db.person, path)
    assert report.rolled_back and report.inserted == 0
    assert [line for line, _ in report.rejected] == [3, 4, 5]
    assert report.rejected[0][1] == "name: Enter a value"
    assert report.rejected[1][1].startswith("Database error: duplicate key value")
    assert report.rejected[2][1] == "age: Enter an integer between 0 and 149"
    assert committed(other, "SELECT count(*) FROM person") == [(POSTGRES_ROWS,)]
    partial = dbinspect.import_csv(db, db.person, path, atomic=False)
    assert (partial.inserted, len(partial.rejected), partial.rolled_back) == (2, 3, False)
    assert committed(other, "SELECT name, age, active FROM person WHERE id > %s ORDER BY id",
                     POSTGRES_ROWS) in ([("Dora", 5, "T"), ("Fay", 8, "F")],
                                        [("Dora", 5, True), ("Fay", 8, False)])
    assert dbinspect.count(db, db.person) == POSTGRES_ROWS + 2


def test_postgres_csv_round_trip_of_a_blob_column(pg, tmp_path):
    db, other = pg
    define_documents(db)
    path = tmp_path / "docs.csv"
    originals = dbinspect.page(db, db.doc)
    assert dbinspect.export_csv(db, db.doc, None, path) == len(BLOBS)
    report = dbinspect.import_csv(db, db.doc, path)
    assert (report.inserted, report.rejected) == (len(BLOBS), [])
    copies = dbinspect.page(db, db.doc, after_id=len(BLOBS))
    assert [row[1:] for row in copies] == expected_copies(originals)
    stored = [None if data is None else bytes(data)
              for (data,) in committed(other, "SELECT data FROM doc ORDER BY id")]
    assert len(stored) == 2 * len(BLOBS)
    assert stored[len(BLOBS):] == [data or None for data in stored[:len(BLOBS)]]


# --- progress and cancel ---------------------------------------------------------------------

def cancel_after(reports: int) -> tuple[Progress, list]:
    """A Progress that cancels itself once it has heard ``reports`` reports."""
    heard: list = []

    def report(done, total):
        heard.append((done, total))
        if len(heard) >= reports:
            progress.cancel()

    progress = Progress(report)
    return progress, heard


def people_csv(path, rows: int):
    path.write_text("person.name,person.age\n" + "".join(f"P{i},{i % 100}\n" for i in range(rows)),
                    encoding="utf-8")
    return path


def test_import_csv_reports_bytes_read_of_the_file_size(db, tmp_path):
    path = people_csv(tmp_path / "people.csv", 50)
    heard = []
    report = dbinspect.import_csv(db, db.person, path,
                                  progress=Progress(lambda *step: heard.append(step)))
    assert report.inserted == 50 and not report.cancelled
    assert heard[-1] == (path.stat().st_size, path.stat().st_size)


def test_a_cancelled_atomic_import_imports_nothing(db, tmp_path):
    path = people_csv(tmp_path / "people.csv", 5000)
    progress, _heard = cancel_after(1)
    report = dbinspect.import_csv(db, db.person, path, progress=progress)
    assert report.cancelled and report.rolled_back and report.inserted == 0
    assert db(db.person).count() == 3


def test_a_cancelled_import_keeping_valid_rows_commits_those_before_the_cancel(db, tmp_path):
    path = people_csv(tmp_path / "people.csv", 5000)

    def report(done, total):
        if done > total // 2:
            progress.cancel()

    progress = Progress(report)
    result = dbinspect.import_csv(db, db.person, path, atomic=False, progress=progress)
    assert result.cancelled and not result.rolled_back
    assert 0 < result.inserted < 5000
    db.rollback()  # only what was committed is left
    assert db(db.person).count() == 3 + result.inserted


def test_export_csv_reports_rows_and_a_cancel_leaves_the_old_file(db, tmp_path):
    path = tmp_path / "people.csv"
    heard = []
    assert dbinspect.export_csv(db, db.person, None, path,
                                Progress(lambda *step: heard.append(step))) == 3
    assert heard[-1] == (3, 3)
    before = path.read_bytes()
    db.person.bulk_insert([{"name": f"N{i}", "age": 1} for i in range(2000)])
    progress, _heard = cancel_after(1)
    with pytest.raises(dbinspect.Cancelled):
        dbinspect.export_csv(db, db.person, None, path, progress)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".partial"] == []


def test_a_cancelled_count_stops_the_statement_it_runs(tmp_path):
    """The cancel arrives while SQLite runs the COUNT (from its progress handler, standing for
    the window's thread): the statement is interrupted, not waited for."""
    big = DAL("sqlite://big.sqlite", folder=str(tmp_path))
    big.define_table("item", Field("label"))
    big.executesql("INSERT INTO item(label) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                   "SELECT i + 1 FROM n WHERE i < 20000) SELECT 'x' || i FROM n")
    big.commit()
    progress = Progress()
    inside = []
    big._adapter.connection.set_progress_handler(
        lambda: inside.append(1) or progress.cancel() or 0, 1000)
    try:
        with pytest.raises(dbinspect.Cancelled):
            dbinspect.count(big, big.item, big.item.label.like("%9%"), progress)
        assert inside  # it was cancelled while the statement ran
    finally:
        big._adapter.connection.set_progress_handler(None, 0)
        big.close()


def test_count_without_progress_counts(db):
    assert dbinspect.count(db, db.person, db.person.age > 26) == 2
