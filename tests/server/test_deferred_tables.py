"""Tables built on first use keep web2py's contract: what a model defines on a warm request is
the table it would have built at once, with this request's values, and nothing of an earlier
request or another app leaks in. Real apps, real requests over cheroot, real SQLite."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from pydal import Field
from support import assert_answer, write_app

from server.dal import DAL
from server.deferred_tables import (
    BuiltDefinitions,
    DiscardedResults,
    definition_shape,
    referenced_names,
)

WARM = 3  # the first request builds at once; the later ones may build on first use


def answers(http, url: str, times: int = WARM) -> list[str]:
    return [http(url).text for _ in range(times)]


def make_app(root: Path, model: str, controller: str, name: str = "a") -> Path:
    return write_app(root, name, {"models/db.py": model, "controllers/default.py": controller})


def rewrite(path: Path, text: str) -> None:
    """Write a model anew with a later modification time, as an editor's save."""
    stamp = path.stat().st_mtime_ns
    path.write_text(text)
    os.utime(path, ns=(stamp + 10**9, stamp + 10**9))


# -- the pieces ------------------------------------------------------------------------------

def test_a_result_counts_as_discarded_only_when_the_caller_pops_it():
    results = DiscardedResults()
    seen = []

    def probe():
        seen.append(results.at(sys._getframe(1)))
        return 1

    def caller():
        probe()
        kept = probe()
        print(probe(), end="")
        return probe() + kept

    caller()
    assert seen == [True, False, False, False]
    assert results.at(None) is False


def test_a_definition_that_runs_code_or_has_custom_columns_has_no_shape(tmp_path):
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    plain = definition_shape(db, "thing", (Field("name"),), {})
    assert plain == definition_shape(db, "thing", (Field("name"),), {"format": "%(name)s"})
    assert plain != definition_shape(db, "thing", (Field("name", length=32),), {})
    assert plain != definition_shape(db, "thing", (Field("name"), Field("size")), {})
    assert definition_shape(db, "thing", (Field("name"),), {"on_define": print}) is None
    assert definition_shape(db, "thing", (Field("name"),), {"redefine": True}) is None
    assert definition_shape(db, "thing", (Field.Virtual("v", lambda row: 1),), {}) is None
    db._common_fields.append(Field("tenant"))
    assert definition_shape(db, "thing", (Field("name"),), {}) is None
    other = DAL("sqlite://storage.sqlite", folder=str(tmp_path / "b"))
    assert definition_shape(other, "thing", (Field("name"),), {}) != plain
    db.close()
    other.close()


def test_references_are_read_from_columns_and_signature_tables(tmp_path):
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    signature = db.Table(db, "sig", Field("created_by", "reference person"))
    assert referenced_names([Field("a", "reference one"), Field("b", "list:reference two.id"),
                             Field("c", "big-reference three"), Field("d"), signature]) == {
        "one", "two", "three", "person"}
    db.close()


def test_a_built_definition_holds_until_its_migration_file_changes(tmp_path):
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    table = db.define_table("thing", Field("name"))
    built = BuiltDefinitions()
    built.remember(("shape",), table)
    assert built.holds(("shape",)) and not built.holds(("other",))
    Path(table._dbt).write_bytes(Path(table._dbt).read_bytes() + b"\n")
    assert not built.holds(("shape",))
    db.close()


# -- warm requests ---------------------------------------------------------------------------

VALUES_MODEL = '''db = DAL("sqlite://storage.sqlite")
db.define_table("thing", Field("name", default="%s", label="%s", requires=%s),
                Field("made_in", default=request.controller),
                Field("made_at", "datetime", default=request.now))
'''
VALUES_CONTROLLER = '''
def show():
    name = db.thing.name
    return "%s %s %s" % (name.default, name.label, type(name.requires).__name__)

def made():
    row = db.thing(db.thing.insert(name="x"))
    return "%s %s" % (row.made_in, str(row.made_at)[:19] == str(request.now)[:19])
'''


def test_remembered_builds_are_bounded(tmp_path, monkeypatch):
    from server import deferred_tables

    monkeypatch.setattr(deferred_tables, "_MAX_BUILT", 3)
    built = BuiltDefinitions()
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    shapes = []
    for number in range(10):
        fields = (Field(f"name{number}"),)
        shapes.append(definition_shape(db, "thing", fields, {}))
        built.remember(shapes[-1], db.define_table(f"thing{number}", *fields))
    assert not built.holds(shapes[0]) and built.holds(shapes[-1])
    db.close()


def test_a_changed_default_label_or_validator_takes_effect_on_the_next_request(
        root, wsgi_server, http):
    app = make_app(root, VALUES_MODEL % ("one", "One", "IS_NOT_EMPTY()"), VALUES_CONTROLLER)
    base = wsgi_server(root) + "/a/default"
    assert answers(http, base + "/show") == ["one One IS_NOT_EMPTY"] * WARM
    rewrite(app / "models" / "db.py", VALUES_MODEL % ("two", "Two", "IS_LENGTH(5)"))
    assert answers(http, base + "/show") == ["two Two IS_LENGTH"] * WARM


def test_defaults_read_from_the_request_are_each_requests_own(root, wsgi_server, http):
    make_app(root, VALUES_MODEL % ("one", "One", "IS_NOT_EMPTY()"), VALUES_CONTROLLER)
    write_app(root, "a", {"controllers/other.py": VALUES_CONTROLLER})
    base = wsgi_server(root) + "/a"
    seen = [http(f"{base}/{controller}/made").text
            for controller in ("default", "other", "default", "other", "default")]
    assert seen == ["default True", "other True", "default True", "other True", "default True"]


FAMILY_MODEL = '''db = DAL("sqlite://storage.sqlite")
db.define_table("parent", Field("name"))
%s
db.define_table("child", Field("parent", "reference parent"), Field("name"))
'''
FAMILY_CONTROLLER = '''
def children():
    if not db(db.parent).count():
        db.child.insert(parent=db.parent.insert(name="p"), name="c")
    row = db(db.parent).select().first()
    names = [field.tablename for field in db.parent._referenced_by]
    return "%s %d" % (" ".join(names), len(row.child.select()))

def raw():
    return str(db.executesql("SELECT count(*) FROM child")[0][0])

def lookups():
    return " ".join([type(db.get("child")).__name__, str("child" in db), " ".join(db.tables),
                     type(db["parent"]).__name__])
'''


def test_a_referenced_table_lists_the_tables_that_reference_it(root, wsgi_server, http):
    make_app(root, FAMILY_MODEL % "", FAMILY_CONTROLLER)
    base = wsgi_server(root) + "/a/default"
    assert answers(http, base + "/children") == ["child 1"] * WARM


def test_a_table_used_between_definitions_still_learns_of_later_references(
        root, wsgi_server, http):
    make_app(root, FAMILY_MODEL % 'db.parent.name.default = "used"', FAMILY_CONTROLLER)
    base = wsgi_server(root) + "/a/default"
    assert answers(http, base + "/children") == ["child 1"] * WARM


def test_tables_never_used_in_python_exist_for_raw_sql_and_every_lookup(
        root, wsgi_server, http):
    make_app(root, FAMILY_MODEL % "", FAMILY_CONTROLLER)
    base = wsgi_server(root) + "/a/default"
    assert answers(http, base + "/raw") == ["0"] * WARM
    assert answers(http, base + "/lookups") == ["Table True parent child Table"] * WARM


def test_a_kept_define_table_result_is_the_table(root, wsgi_server, http):
    model = ('db = DAL("sqlite://storage.sqlite")\n'
             'thing = db.define_table("thing", Field("name"))\n')
    make_app(root, model, "def kind():\n    return type(thing).__name__ + thing._tablename\n")
    base = wsgi_server(root) + "/a/default"
    assert answers(http, base + "/kind") == ["Tablething"] * WARM


def test_two_apps_with_differently_defined_same_named_tables_keep_their_own(
        root, wsgi_server, http):
    controller = 'def columns():\n    return " ".join(db.thing.fields)\n'
    make_app(root, 'db = DAL("sqlite://storage.sqlite")\n'
                   'db.define_table("thing", Field("name"))\n', controller, "a")
    make_app(root, 'db = DAL("sqlite://storage.sqlite")\n'
                   'db.define_table("thing", Field("name"), Field("size", "integer"))\n',
             controller, "b")
    base = wsgi_server(root)
    seen = [http(f"{base}/{app}/default/columns").text for app in "abab"]
    assert seen == ["id name", "id name size", "id name", "id name size"]


def test_a_failing_request_on_a_table_built_on_first_use_rolls_back(root, wsgi_server, http):
    controller = ('def add():\n    db.thing.insert(name="kept")\n    return "ok"\n'
                  'def fail():\n    db.thing.insert(name="lost")\n    raise RuntimeError("no")\n'
                  'def count():\n    return str(db(db.thing).count())\n')
    app = make_app(root, 'db = DAL("sqlite://storage.sqlite")\n'
                         'db.define_table("thing", Field("name"))\n', controller)
    base = wsgi_server(root) + "/a/default"
    assert answers(http, base + "/add", 2) == ["ok", "ok"]
    assert_answer(http(base + "/fail"), 500, "Ticket issued")
    assert answers(http, base + "/count") == ["2"] * WARM
    with sqlite3.connect(app / "databases" / "storage.sqlite") as connection:
        assert connection.execute("SELECT count(*) FROM thing").fetchone() == (2,)


AUTH_MODEL = '''db = DAL("sqlite://storage.sqlite")
auth = Auth(db)
%s
auth.define_tables(username=True)
db.define_table("item", Field("name"), auth.signature)
'''
AUTH_CONTROLLER = '''
def tables():
    user = auth.settings.table_user
    return "%s %s %s %s" % (type(user).__name__, user._tablename, " ".join(user.fields),
                            user.first_name.label)

def membership():
    return " ".join(field.tablename for field in db.auth_user._referenced_by)
'''


def test_auth_tables_follow_the_models_changes_on_the_next_request(root, wsgi_server, http):
    app = make_app(root, AUTH_MODEL % "", AUTH_CONTROLLER)
    base = wsgi_server(root) + "/a/default"
    plain = ("Table auth_user id first_name last_name email username password registration_key "
             "reset_password_key registration_id First name")
    assert answers(http, base + "/tables") == [plain] * WARM
    rewrite(app / "models" / "db.py", AUTH_MODEL % (
        'auth.settings.extra_fields["auth_user"] = [Field("nickname")]\n'
        'auth.messages.label_first_name = "Given name"'))
    grown = plain.replace("registration_id First name", "registration_id nickname Given name")
    assert answers(http, base + "/tables") == [grown] * WARM
    with sqlite3.connect(app / "databases" / "storage.sqlite") as connection:
        assert "nickname" in [row[1] for row in connection.execute("PRAGMA table_info(auth_user)")]


def test_auth_user_lists_every_table_referencing_it(root, wsgi_server, http):
    make_app(root, AUTH_MODEL % "", AUTH_CONTROLLER)
    base = wsgi_server(root) + "/a/default"
    first, *warm = answers(http, base + "/membership")
    assert set(first.split()) >= {"auth_membership", "auth_event", "auth_cas", "item"}
    assert warm == [first] * (WARM - 1)


def test_an_in_memory_databases_tables_are_created_on_every_request(root, wsgi_server, http):
    make_app(root, 'db = DAL("sqlite:memory")\ndb.define_table("thing", Field("name"))\n',
             'def raw():\n    return str(db.executesql("SELECT count(*) FROM thing")[0][0])\n')
    base = wsgi_server(root) + "/a/default"
    assert answers(http, base + "/raw") == ["0"] * WARM


CHAIN_MODEL = '''db = DAL("sqlite://storage.sqlite")
db.define_table("owner", Field("name")%s)
db.define_table("pet", Field("name"), Field("owner", "reference owner"))
db.define_table("visit", Field("pet", "reference pet"), Field("owner", "reference owner"))
'''
CHAIN_CONTROLLER = '''
def chain():
    pet = db.pet(db.pet.insert(name="c", owner=db.owner.insert(name="p")))
    db.visit.insert(pet=pet.id, owner=pet.owner)
    owner = db.owner(pet.owner)
    return " | ".join([
        " ".join(field.tablename + "." + field.name for field in db.owner._referenced_by),
        " ".join(field.tablename + "." + field.name for field in db.pet._referenced_by),
        type(db.visit.pet.requires).__name__, type(db.pet.owner.requires).__name__,
        str(len(owner.visit.select())), str(len(pet.visit.select()))])
'''


def test_a_table_whose_build_builds_others_links_them_all(root, wsgi_server, http):
    """Using pet builds owner first (pet's reference), then visit (it references both)."""
    make_app(root, CHAIN_MODEL % "", CHAIN_CONTROLLER)
    base = wsgi_server(root) + "/a/default"
    first, *warm = answers(http, base + "/chain")
    assert first == ("pet.owner visit.owner | visit.pet | DefaultValidatorProxy | "
                     "DefaultValidatorProxy | 1 | 1")
    assert warm == [first] * (WARM - 1)


def test_a_changed_table_that_waiting_ones_reference_lists_them(root, wsgi_server, http):
    """owner changes (built at once, as define_table runs), pet and visit wait: both still
    join owner's references."""
    app = make_app(root, CHAIN_MODEL % "", CHAIN_CONTROLLER)
    base = wsgi_server(root) + "/a/default"
    first = http(base + "/chain").text
    rewrite(app / "models" / "db.py", CHAIN_MODEL % ', Field("age", "integer")')
    assert answers(http, base + "/chain") == [first] * WARM
