"""SQLFORM accepting a post against a real SQLite file: insert, update, delete, conversion,
validation, refused and stale forms, database errors."""


import pytest
from form_support import Upload, post
from pydal import Field
from pydal.validators import IS_IN_SET, IS_NOT_EMPTY

from server.forms import SQLFORM
from server.http import HTTP


def test_insert_converts_every_type(web, tables):
    SQLFORM(tables.thing).process()
    post("thing/create", title="Pen", body="long text", flag="on", qty="3", price="1.5",
         cost="2.25", day="2024-02-29", moment="2024-01-02 03:04:05", at="10:20:30",
         secret="pw", doc=Upload("notes.txt", b"hello"), tags=["a", "b", ""], owner="2",
         friends=["1", "2"], color="blue")
    form = SQLFORM(tables.thing).process()
    assert form.accepted, form.errors
    row = tables.thing(form.vars.id)
    assert (row.title, row.body, row.flag, row.qty, row.price) == ("Pen", "long text", True, 3, 1.5)
    assert str(row.cost) == "2.25" and str(row.day) == "2024-02-29"
    assert str(row.moment) == "2024-01-02 03:04:05" and str(row.at) == "10:20:30"
    assert row.tags == ["a", "b"] and row.owner == 2 and row.friends == [1, 2]
    assert row.color == "blue" and row.hidden_note == "n" and row.secret == "pw"
    assert row.doc.startswith("thing.doc.") and row.doc.endswith(".txt")
    stored = web.request.folder + "uploads/" + row.doc
    with open(stored, "rb") as handle:
        assert handle.read() == b"hello"


@pytest.mark.parametrize("field, bad, message", [
    ("title", "x" * 11, "Enter from 0 to 10 characters"),
    ("title", "", "Enter a value"),
    ("qty", "three", "Enter an integer"),
    ("price", "1,5,5", "Enter a number"),
    ("day", "2023-02-30", "Enter date as"),
    ("moment", "yesterday", "Enter date and time as"),
    ("at", "25:99", "Enter time as"),
    ("owner", "99", "Value not in database"),
    ("friends", ["1", "77"], "Value not in database"),
    ("color", "green", "Value not allowed"),
])
def test_bad_input_is_a_form_error_and_nothing_is_written(web, tables, field, bad, message):
    SQLFORM(tables.thing).process()
    values = {"title": "ok", field: bad}
    post("thing/create", **values)
    form = SQLFORM(tables.thing).process()
    assert not form.accepted
    assert message in form.errors[field]
    assert f'id="thing_{field}__error" role="alert">' in form.xml()
    assert tables(tables.thing).count() == 0


def test_update_keeps_password_and_upload_and_tampered_id_is_refused(web, tables):
    thing_id = tables.thing.insert(title="Old", secret="pw", doc="thing.doc.aa.bb.txt", qty=1)
    form = SQLFORM(tables.thing, thing_id)
    form.process()
    html = form.xml()
    assert f'name="id" type="hidden" value="{thing_id}"' in html
    assert 'value="********"' in html and "pw" not in html
    post(f"thing/{thing_id}", id=str(thing_id + 1), title="New", secret="********")
    form = SQLFORM(tables.thing, thing_id).process()
    assert not form.accepted and "id" in form.errors
    assert tables.thing(thing_id).title == "Old"
    post(f"thing/{thing_id}", id=str(thing_id), title="New", secret="********", qty="7")
    form = SQLFORM(tables.thing, thing_id).process()
    assert form.accepted, form.errors
    row = tables.thing(thing_id)
    assert (row.title, row.secret, row.doc, row.qty) == ("New", "pw", "thing.doc.aa.bb.txt", 7)
    assert 'value="New"' in form.xml()


def test_delete_with_checkbox_when_deletable(web, tables):
    thing_id = tables.thing.insert(title="Gone")
    form = SQLFORM(tables.thing, thing_id, deletable=True, delete_label="Remove it")
    form.process()
    assert '<label for="delete_record" id="delete_record__label">Remove it</label>' in form.xml()
    post(f"thing/{thing_id}", id=str(thing_id), title="", delete_this_record="on")
    form = SQLFORM(tables.thing, thing_id, deletable=True).process()
    assert form.accepted and form.vars.delete_this_record
    assert tables.thing(thing_id) is None


def test_delete_checkbox_is_ignored_when_not_deletable(web, tables):
    thing_id = tables.thing.insert(title="Stays")
    SQLFORM(tables.thing, thing_id).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="Stays", delete_this_record="on")
    assert SQLFORM(tables.thing, thing_id).process().accepted
    assert tables.thing(thing_id).title == "Stays"


def test_factory_validates_without_database(web, tables):
    def build():
        return SQLFORM.factory(Field("email", requires=IS_NOT_EMPTY()),
                               Field("n", "integer"), table_name="contact")

    build().process()
    post("contact/create", email="a@b.c", n="4")
    form = build().process()
    assert form.accepted and form.vars.email == "a@b.c" and form.vars.n == 4
    assert '<label for="contact_email"' in form.xml()


def test_detect_record_change_refuses_a_stale_form(web, tables):
    thing_id = tables.thing.insert(title="First")
    form = SQLFORM(tables.thing, thing_id)
    form.process(detect_record_change=True)
    stale_hash = form.hidden["_record_hash"]
    tables(tables.thing.id == thing_id).update(title="Other")  # someone else saved meanwhile
    post(f"thing/{thing_id}", id=str(thing_id), title="Mine", _record_hash=stale_hash)
    form = SQLFORM(tables.thing, thing_id).process(detect_record_change=True)
    assert not form.accepted and form.record_changed
    assert "Someone else changed this record" in form.xml()
    assert tables.thing(thing_id).title == "Other"
    post(f"thing/{thing_id}", id=str(thing_id), title="Mine",
         _record_hash=form.hidden["_record_hash"])
    assert SQLFORM(tables.thing, thing_id).process(detect_record_change=True).accepted
    assert tables.thing(thing_id).title == "Mine"


def test_form_rows_are_helpers_an_app_adds_a_validated_row_to(web, tables):
    """Sahana Eden's register page: find the row holding the password, add a confirmation row
    after it in ``form[0]``; the added input is validated like the table's own."""
    from pydal.validators import IS_EQUAL_TO

    from server.helpers import DIV, INPUT, TAG

    def rows_style(form, rows):
        container = TAG[""]()
        for row_id, label, control, _comment in rows:
            container.append(DIV(label, DIV(control), _id=row_id, _class=form.table._tablename))
        return container

    def confirmed_form(password):
        form = SQLFORM(tables.thing, fields=["title", "secret"], formstyle=rows_style)
        for i, row in enumerate(form[0].components):
            if row.element("input", _name="secret"):
                form[0].insert(i + 1, DIV(INPUT(_name="secret_two", _type="password",
                                                requires=IS_EQUAL_TO(password)),
                                          _id="secret_two__row"))
        return form

    form = confirmed_form("").process()
    ids = [row["_id"] for row in form[0].components]
    assert ids == ["thing_title__row", "thing_secret__row", "secret_two__row",
                   "submit_record__row"]
    assert '<input name="secret_two" type="password" />' in form.xml()
    assert '<div class="thing" id="thing_title__row">' in form.xml()  # the style got the form
    post("thing/create", title="A", secret="pw1", secret_two="pw2")
    form = confirmed_form("pw1")
    assert not form.process().accepted and "secret_two" in form.errors
    post("thing/create", title="A", secret="pw1", secret_two="pw1")
    assert confirmed_form("pw1").process().accepted


def test_an_accepted_create_form_is_shown_empty_again_unless_keepvalues(web, tables):
    SQLFORM(tables.thing, fields=["title"]).process()
    post("thing/create", title="Pen")
    form = SQLFORM(tables.thing, fields=["title"]).process()
    assert form.accepted and 'name="title" type="text" value="" />' in form.xml()
    post("thing/create", title="Ink")
    kept = SQLFORM(tables.thing, fields=["title"]).process(keepvalues=True)
    assert kept.accepted and 'name="title" type="text" value="Ink" />' in kept.xml()
    assert [r.title for r in tables(tables.thing).select(orderby=tables.thing.id)] == [
        "Pen", "Ink"]


def test_a_readonly_form_and_a_form_of_another_record_refuse_the_post(web, tables):
    thing_id = tables.thing.insert(title="Look")
    SQLFORM(tables.thing, thing_id, readonly=True).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="Changed")
    form = SQLFORM(tables.thing, thing_id, readonly=True).process()
    assert not form.accepted and form.errors == {"_form": "This form is read only"}
    assert '<div class="error" id="_form__error" role="alert">This form is read only</div>' \
        in form.xml()
    for forged in ({}, {"id": "999"}):
        SQLFORM(tables.thing, thing_id).process()
        post(f"thing/{thing_id}", title="Changed", **forged)
        form = SQLFORM(tables.thing, thing_id).process()
        assert not form.accepted
        assert form.errors == {"id": "This form does not belong to that record"}
    assert tables.thing(thing_id).title == "Look"


def test_a_stale_form_is_accepted_without_detect_record_change_and_refused_if_deleted(
        web, tables):
    thing_id = tables.thing.insert(title="First")
    form = SQLFORM(tables.thing, thing_id).process()
    stale = form.hidden["_record_hash"]
    tables(tables.thing.id == thing_id).update(title="Other")
    post(f"thing/{thing_id}", id=str(thing_id), title="Mine", _record_hash=stale)
    assert SQLFORM(tables.thing, thing_id).process().accepted
    assert tables.thing(thing_id).title == "Mine"
    form = SQLFORM(tables.thing, thing_id).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="Late",
         _record_hash=form.hidden["_record_hash"])
    form = SQLFORM(tables.thing, thing_id)
    tables(tables.thing.id == thing_id).delete()
    assert not form.process(detect_record_change=True).accepted and form.record_changed


def test_deleting_sets_vars_and_skips_validation(web, tables):
    thing_id = tables.thing.insert(title="Gone")
    SQLFORM(tables.thing, thing_id, deletable=True).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="x" * 50, qty="bad",
         delete_this_record="on")
    form = SQLFORM(tables.thing, thing_id, deletable=True).process()
    assert form.accepted and form.errors == {}
    assert form.vars == {"delete_this_record": True, "id": thing_id}
    assert tables.thing(thing_id) is None


def test_passwords_change_only_when_a_new_one_is_typed(web, tables):
    thing_id = tables.thing.insert(title="T", secret="old")
    for typed, stored in (("********", "old"), ("new", "new")):
        SQLFORM(tables.thing, thing_id).process()
        post(f"thing/{thing_id}", id=str(thing_id), title="T", secret=typed)
        form = SQLFORM(tables.thing, thing_id).process()
        assert form.accepted and tables.thing(thing_id).secret == stored
        assert ("secret" in form.vars) is (typed != "********")
    SQLFORM(tables.thing).process()
    post("thing/create", title="T", secret="********")  # on a new record it is just a value
    form = SQLFORM(tables.thing).process()
    assert tables.thing(form.vars.id).secret == "********"


@pytest.mark.parametrize("posted, stored", [
    ("on", True), ("yes", True), ("1", True), (None, False), ("", False), ("off", False),
    ("false", False), ("False", False), ("0", False)])
def test_a_checkbox_is_true_unless_posted_empty_or_as_a_false_word(web, tables, posted, stored):
    SQLFORM(tables.thing, fields=["title", "flag"]).process()
    post("thing/create", title="T", **({} if posted is None else {"flag": posted}))
    form = SQLFORM(tables.thing, fields=["title", "flag"]).process()
    assert form.accepted and form.vars.flag is stored
    assert tables.thing(form.vars.id).flag is stored


def test_list_values_are_converted_and_bad_integers_refused(web, db):
    table = db.define_table("lists", Field("n", "list:integer"), Field("s", "list:string"))
    SQLFORM(table).process()
    post("lists/create", n=["3", "", "4"], s=["a", "", "b"])
    form = SQLFORM(table).process()
    assert form.accepted and (form.vars.n, form.vars.s) == ([3, 4], ["a", "b"])
    assert (table(form.vars.id).n, table(form.vars.id).s) == ([3, 4], ["a", "b"])
    SQLFORM(table).process()
    post("lists/create", n=["3", "x"])
    form = SQLFORM(table).process()
    assert not form.accepted and form.errors == {"n": "Enter a list of integers"}
    SQLFORM(table).process()
    post("lists/create")
    form = SQLFORM(table).process()
    assert form.accepted and (form.vars.n, form.vars.s) == ([], [])


def test_a_field_posted_twice_takes_the_last_value_and_a_file_is_no_text(web, tables):
    from server.storage import Storage

    SQLFORM(tables.thing, fields=["title", "body"]).process()
    post("thing/create")
    web.request.post_vars = Storage(_formname="thing/create",
                                    _formkey=web.session["_formkey[thing/create]"][-1],
                                    title=["First", "Middle", "Last"],
                                    body=Upload("x.txt", b"data"))
    form = SQLFORM(tables.thing, fields=["title", "body"]).process()
    assert form.accepted and form.vars.title == "Last" and form.vars.body is None
    assert tables.thing(form.vars.id).body is None
    SQLFORM(tables.thing, fields=["title"]).process()
    post("thing/create", title=[])
    assert SQLFORM(tables.thing, fields=["title"]).process().errors == {"title": "Enter a value"}


def test_a_database_error_is_a_form_error_and_rolls_back(web, db):
    table = db.define_table("tag", Field("name", unique=True, requires=IS_NOT_EMPTY()))
    table.insert(name="a")
    db.commit()
    table.insert(name="uncommitted")
    SQLFORM(table).process()
    post("tag/create", name="a")
    form = SQLFORM(table).process()
    assert not form.accepted
    assert form.errors._form.startswith("The record could not be saved: ")
    assert "UNIQUE" in form.errors._form
    assert [r.name for r in db(table).select()] == ["a"]


def test_an_http_answer_raised_while_saving_goes_through(web, tables):
    def refuse(fields):
        raise HTTP(403, "not today")

    tables.thing._before_insert.append(refuse)
    SQLFORM(tables.thing, fields=["title"]).process()
    post("thing/create", title="T")
    with pytest.raises(HTTP) as answer:
        SQLFORM(tables.thing, fields=["title"]).process()
    assert (answer.value.status, answer.value.body) == (403, "not today")


def test_an_update_with_nothing_to_change_is_accepted_with_the_records_id(web, tables):
    thing_id = tables.thing.insert(title="T")
    SQLFORM(tables.thing, thing_id, fields=[]).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="ignored")
    form = SQLFORM(tables.thing, thing_id, fields=[]).process()
    assert form.accepted and form.vars.id == thing_id
    assert tables.thing(thing_id).title == "T"


def test_formname_onvalidation_and_hideerror_are_passed_on(web, tables):
    def no_pens(form):
        if form.vars.title == "Pen":
            form.errors.title = "No pens"

    SQLFORM(tables.thing, fields=["title"]).process(formname="mine")
    post("mine", title="Pen")
    form = SQLFORM(tables.thing, fields=["title"]).process(formname="mine", onvalidation=no_pens)
    assert not form.accepted and form.errors == {"title": "No pens"}
    assert 'id="thing_title__error" role="alert">No pens</div>' in form.xml()
    post("mine", title="Pen")
    quiet = SQLFORM(tables.thing, fields=["title"]).process(formname="mine", hideerror=True,
                                                             onvalidation=no_pens)
    assert quiet.errors and "No pens" not in quiet.xml()
    post("mine", title="Ink")
    assert SQLFORM(tables.thing, fields=["title"]).process(formname="mine").accepted
    assert tables(tables.thing).select().first().title == "Ink"


def test_only_the_forms_own_values_end_up_in_vars(web, tables):
    thing_id = tables.thing.insert(title="T", doc="thing.doc.aa.bb.txt")
    SQLFORM(tables.thing, thing_id, fields=["title", "doc"], deletable=True).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="New", doc__delete="")
    form = SQLFORM(tables.thing, thing_id, fields=["title", "doc"], deletable=True).process()
    assert form.accepted and form.vars == {"title": "New", "id": thing_id}
    assert tables.thing(thing_id).doc == "thing.doc.aa.bb.txt"


def test_web2py_style_accepts_writes_shows_errors_and_checks_the_key(web, tables):
    form = SQLFORM(tables.thing, fields=["title", "friends"])
    assert not form.accepts(web.request.post_vars, web.session)
    post("thing/create", title="", friends=["1"])
    form = SQLFORM(tables.thing, fields=["title", "friends"])
    assert not form.accepts(web.request.post_vars, web.session)
    assert 'id="thing_title__error" role="alert">Enter a value</div>' in form.xml()
    post("thing/create", title="Pen", friends=["1", "2"])
    form = SQLFORM(tables.thing, fields=["title", "friends"])
    assert form.accepts(web.request.post_vars, web.session)
    assert form.vars.friends == [1, 2] and tables.thing(form.vars.id).title == "Pen"
    post("thing/create", title="Ink")
    form = SQLFORM(tables.thing, fields=["title", "friends"])
    assert form.accepts(web.request, web.session) and form.vars.friends == []
    post("thing/create", title="Forged")
    web.request.post_vars._formkey = "forged"
    forged = SQLFORM(tables.thing)
    assert not forged.accepts(web.request.post_vars, web.session) and forged.expired
    thing_id = form.vars.id
    stale = SQLFORM(tables.thing, thing_id)
    stale.accepts({}, web.session)
    tables(tables.thing.id == thing_id).update(title="Other")
    post(f"thing/{thing_id}", id=str(thing_id), title="Mine",
         _record_hash=stale.hidden["_record_hash"])
    assert SQLFORM(tables.thing, thing_id).accepts(web.request.post_vars, web.session)
    assert tables.thing(thing_id).title == "Mine"


def test_an_updated_record_shows_the_saved_values_and_a_deleted_one_does_not(web, tables):
    thing_id = tables.thing.insert(title="Old")
    SQLFORM(tables.thing, thing_id, deletable=True).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="New")
    form = SQLFORM(tables.thing, thing_id, deletable=True).process(keepvalues=False)
    assert form.accepted and 'name="title" type="text" value="New" />' in form.xml()
    post(f"thing/{thing_id}", id=str(thing_id), title="Posted", delete_this_record="on")
    form = SQLFORM(tables.thing, thing_id, deletable=True).process(keepvalues=False)
    assert form.accepted and tables.thing(thing_id) is None
    assert 'name="title" type="text" value="New" />' in form.xml() and "Posted" not in form.xml()
    other_id = tables.thing.insert(title="Other")
    SQLFORM(tables.thing, other_id, deletable=True).process()
    post(f"thing/{other_id}", id=str(other_id), title="Posted", delete_this_record="on")
    form = SQLFORM(tables.thing, other_id, deletable=True).process()  # keepvalues: a record's
    assert form.accepted and 'name="title" type="text" value="Posted" />' in form.xml()


def test_validators_see_the_record_being_edited_and_keep_converted_values(web, db):
    from pydal.validators import IS_INT_IN_RANGE, IS_NOT_IN_DB

    table = db.define_table("tag", Field("name", requires=IS_NOT_IN_DB(db, "tag.name")),
                            Field("rank", requires=IS_INT_IN_RANGE(0, 10)))
    first, second = table.insert(name="a", rank=1), table.insert(name="b", rank=2)
    taken = "Value already in database or empty"
    for record, name, error in ((first, "a", None), (second, "a", taken)):
        SQLFORM(table, record).process()
        post(f"tag/{record}", id=str(record), name=name, rank="3")
        form = SQLFORM(table, record).process()
        assert form.errors.get("name") == error
    assert form.vars.rank == 3 and table(first).rank == "3"  # a string column keeps the text


def test_a_multiple_choice_takes_every_posted_value_and_an_added_id_input_is_ignored(web, db):
    from server.helpers import INPUT

    table = db.define_table("pick", Field("colors", "list:string", requires=IS_IN_SET(
        ["r", "g", "b"], multiple=True)), Field("one", requires=IS_IN_SET(["x", "y"],
                                                                          multiple=True)))

    def build():
        form = SQLFORM(table)
        form[0].append(INPUT(_name="id", _type="hidden"))
        return form

    build().process()
    post("pick/create", colors=["r", "g"], one=["x", "y"], id="77")
    form = build().process()
    assert form.accepted and form.vars.colors == ["r", "g"] and form.vars.one == ["x", "y"]
    assert form.vars.id == 1 and table(1).colors == ["r", "g"] and table(77) is None


def test_a_validator_that_makes_one_value_of_a_list_stores_a_one_item_list(web, db):
    def joined(value, record_id=None):
        return ",".join(value), None

    table = db.define_table("joined", Field("tags", "list:string", requires=joined))
    SQLFORM(table).process()
    post("joined/create", tags=["a", "b"])
    form = SQLFORM(table).process()
    assert form.accepted and form.vars.tags == ["a,b"] and table(form.vars.id).tags == ["a,b"]
