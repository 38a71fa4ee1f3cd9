"""A copied table is a table of its own: nothing mutable is shared with the one it copies, its
fields are bound to the new db, and it builds the same columns into a defined table."""

from __future__ import annotations

from functools import partial

from pydal import Field
from pydal.objects import Table
from pydal.validators import DefaultValidatorProxy
from support import write_app

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


# -- tables made again by their recipe (TableMaker) -------------------------------------------

def definitions(db) -> dict[str, tuple[tuple, dict]]:
    """Definitions of every kind a recipe copies: name -> (fields, keywords), made afresh."""
    return {
        "plain": ((Field("name"), Field("quantity", "integer")), {}),
        "kinds": ((Field("born", "date"), Field("seen", "datetime", default=lambda: 1),
                   Field("secret", "password"), Field("tags", "list:string"),
                   Field("photo", "upload"), Field("price", "decimal(10,2)"),
                   Field("code", length=20, notnull=True, unique=True, label="The code"),
                   Field("renamed", rname="other_name")),
                  {"format": "%(code)s", "singular": "Kind", "plural": "Kinds"}),
        "linked": ((Field("owner", "reference person"), Field("up", "reference linked"),
                    Field("many", "list:reference person"), Field("name")), {}),
        "keyed": ((Field("my_id", "id"), Field("name")), {"migrate": "keyed_own.table"}),
        "signed": ((Field("name"), signature_like(db), Field("flag", "boolean")), {}),
    }


def comparable(table) -> list:
    """A table's state, in its order, with what belongs to each table (its db, itself, its
    fields, hooks, validators) named rather than compared by identity."""
    def plain(value, owner):
        if isinstance(value, Field):
            return ("field", value.name, value.table is owner)
        if isinstance(value, list):
            return [plain(item, owner) for item in value]
        if isinstance(value, DefaultValidatorProxy):
            value = value.obj
            return ("default", type(value).__name__, type(getattr(value, "other", None)).__name__)
        if callable(value) or not isinstance(value, IMMUTABLE):
            return type(value).__name__
        return value

    state = [(key, plain(value, table)) for key, value in table.__dict__.items() if key != "_db"]
    for field in table:
        assert field.db is table._db and field.table is table
        state.append((field.name, [(key, plain(value, table)) for key, value in
                                   field.__dict__.items() if key not in ("db", "_db")]))
    return state


def test_a_table_made_by_its_recipe_is_the_table_pydal_builds(tmp_path, monkeypatch):
    import pydal

    from server.table_copies import TABLE_RECIPES, TableRecipe

    built = []
    first, second, third = (DAL("sqlite://storage.sqlite", folder=str(tmp_path))
                            for _ in range(3))
    for db in (first, second, third):
        db.define_table("person", Field("name"))
        for name, (fields, keywords) in definitions(db).items():
            if db is second:  # the recipes exist: no Table.__init__ for any of these
                monkeypatch.setattr(Table, "__init__", lambda *args, **kwargs: built.append(1))
                db.define_table(name, *fields, **keywords)
                monkeypatch.undo()
            else:  # the third is built by pydal's define_table, as the second would be
                define = db.define_table if db is first else partial(pydal.DAL.define_table, db)
                define(name, *fields, **keywords)
    assert built == []
    for name in definitions(first):
        assert comparable(second[name]) == comparable(third[name]), name
    rows = {"plain": dict(name="a", quantity=1), "kinds": dict(code="c", born="2026-12-01"),
            "linked": dict(owner=second.person.insert(name="p"), name="x"),
            "keyed": dict(name="k"), "signed": dict(name="s", flag=True)}
    for name, values in rows.items():
        assert second(second[name]._id == second[name].insert(**values)).count() == 1
    assert [(field.table, field.name) for field in second.person._referenced_by] == \
        [(second.linked, "owner"), (second.signed, "owner")]
    assert second.person._referenced_by_list[0] is second.linked.many
    assert second.linked.up.referent is second.linked.id
    assert second.keyed._id is second.keyed.my_id is second.keyed.id
    assert second.linked.owner.requires.obj.other.dbset.db is second
    assert sum(isinstance(recipe, TableRecipe) for recipe in TABLE_RECIPES.values()) >= 5
    for db in (first, second, third):
        db.close()


def test_a_recipes_table_is_made_of_the_requests_own_fields_and_keywords(tmp_path):
    first = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    first.define_table("thing", Field("name"), format="%(name)s", singular="Thing")
    first.thing.name.readable = False
    first.thing.id.label = "Changed by the first request"
    first.thing.name.requires = []
    first.close()
    second = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    own = Field("name", default="second's")
    second.define_table("thing", own, format=lambda row: row.name,
                        common_filter=lambda query: second.thing.id > 1)
    assert second.thing.name is own and own.table is second.thing and own.db is second
    assert second.thing.name.readable is True and second.thing.id.label == "Id"
    assert isinstance(second.thing.name.requires, DefaultValidatorProxy)
    assert second.thing.id is not first.thing.id and second.thing.id.db is second
    assert callable(second.thing._format) and second.thing._singular == "Thing"
    assert second.thing._common_filter is not None
    second.thing.insert(name="one")
    second.thing.insert()
    assert [row.name for row in second(second.thing).select()] == ["second's"]
    second.close()


def test_a_definition_no_copy_could_make_is_built_by_pydal_each_time(tmp_path):
    from server.table_copies import TABLE_RECIPES

    tables = []
    for _ in range(2):
        db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
        tables.append(db.define_table("pair", Field("a"), Field("b"), primarykey=["a", "b"]))
        db.close()
    assert None in TABLE_RECIPES.values()
    assert [table._primarykey for table in tables] == [["a", "b"], ["a", "b"]]
    assert tables[1].a.notnull is True and tables[1].a is not tables[0].a


RECIPE_MODEL = '''db = DAL("sqlite://storage.sqlite")
db.define_table("item", Field("name", default=request.controller),
                Field("quantity", "integer"))
if request.function == "strict":
    db.item.name.requires = IS_NOT_EMPTY()
    db.item.id.readable = False
'''
RECIPE_CONTROLLER = '''
def strict():
    form = SQLFORM(db.item)
    form.accepts(dict(name="", quantity="1", _formname="item/create"), formname="item/create")
    return "%s %s" % (db.item.id.readable, sorted(form.errors))

def loose():
    form = SQLFORM(db.item)
    form.accepts(dict(name="", quantity="1", _formname="item/create"), formname="item/create")
    return "%s %s %s" % (db.item.id.readable, sorted(form.errors), db.item.name.default)
'''


def test_what_one_request_sets_on_its_tables_fields_stays_in_that_request(
        root, wsgi_server, http):
    write_app(root, "a", {"models/db.py": RECIPE_MODEL,
                          "controllers/default.py": RECIPE_CONTROLLER,
                          "controllers/other.py": RECIPE_CONTROLLER})
    base = wsgi_server(root) + "/a"
    seen = [http(f"{base}/{path}").text for path in
            ("default/loose", "default/strict", "other/loose", "default/strict",
             "default/loose")]
    assert seen == ["True [] default", "False ['name']", "True [] other", "False ['name']",
                    "True [] default"]


def test_recipes_are_bounded(tmp_path, monkeypatch):
    from server import table_copies

    monkeypatch.setattr(table_copies, "_MAX_RECIPES", 3)
    monkeypatch.setattr(table_copies, "TABLE_RECIPES", {})
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    for number in range(10):
        db.define_table(f"thing{number}", Field("name"))
    assert 1 <= len(table_copies.TABLE_RECIPES) <= 3
    assert db.thing9.fields == ["id", "name"]
    db.close()


LAZY_MODEL = '''db = DAL("sqlite://storage.sqlite", lazy_tables=True)
auth = Auth(db)
auth.define_tables(username=False, signature=False)
db.define_table("thing", Field("name", default=request.function))
'''
LAZY_CONTROLLER = '''
def use():
    unbuilt = [name for name in ("auth_user", "auth_group", "thing") if name not in db.__dict__]
    db.thing.insert()
    db.auth_user.insert(first_name="f", email="%d@example.com" % db(db.thing).count())
    built = [name for name in db.__dict__ if name in db.tables]
    return "%s | %s | %d %s %s" % (" ".join(unbuilt), " ".join(sorted(built)),
                                  db(db.auth_user).count(), db.thing(1).name,
                                  db.auth_user.email.requires is not None)
'''


def test_lazy_tables_stay_unbuilt_until_used_on_every_request(root, wsgi_server, http):
    write_app(root, "a", {"models/db.py": LAZY_MODEL, "controllers/default.py": LAZY_CONTROLLER})
    base = wsgi_server(root) + "/a/default"
    seen = [http(base + "/use").text for _ in range(3)]
    assert seen == [f"auth_user auth_group thing | auth_user thing | {count} use True"
                    for count in (1, 2, 3)]
