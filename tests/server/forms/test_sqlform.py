"""SQLFORM, what a form shows: labels, widgets, which fields, ids, comments, formstyles,
buttons, readonly values, ``custom`` parts. (``server/forms/sqlform.py``; saving, uploads and
the HTTP round trips are in ``test_sqlform_*.py`` beside this file.)"""


import pytest
from form_support import post, row_html
from pydal import Field
from pydal.validators import IS_IN_SET, IS_NOT_EMPTY

from server.forms import SQLFORM
from server.http import HTTP


def test_every_field_has_a_bound_label_and_a_widget_of_its_type(web, tables):
    form = SQLFORM(tables.thing)
    form.process()
    expected = {
        "title": 'class="string" id="thing_title" maxlength="10" name="title" type="text"',
        "body": '<textarea class="text" cols="40" id="thing_body" name="body" rows="10">',
        "flag": 'class="boolean" id="thing_flag" name="flag" type="checkbox" value="on"',
        "qty": 'class="integer" id="thing_qty"',
        "price": 'class="double" id="thing_price"',
        "cost": 'class="decimal" id="thing_cost"',
        "day": 'class="date" id="thing_day"',
        "moment": 'class="datetime" id="thing_moment"',
        "at": 'class="time" id="thing_at"',
        "secret": 'id="thing_secret" name="secret" type="password"',
        "doc": 'class="upload" id="thing_doc" name="doc" type="file"',
        "tags": 'id="thing_tags" name="tags" type="text"',
        "owner": '<option value="1">Ann</option><option value="2">Bob</option>',
        "friends": 'id="thing_friends" multiple="multiple" name="friends"',
        "color": '<option value="red">red</option><option value="blue">blue</option>',
    }
    for name, markup in expected.items():
        row = row_html(form, name)
        assert f'<label for="thing_{name}" id="thing_{name}__label">' in row, name
        assert markup in row, name
    assert "short" in row_html(form, "title")
    assert "hidden_note" not in form.xml()
    assert "thing_id__row" not in form.xml()


def test_unknown_record_id_is_404_and_bad_id_too(web, tables):
    for record in (42, "abc", "1 or 1=1"):
        with pytest.raises(HTTP) as answer:
            SQLFORM(tables.thing, record)
        assert answer.value.status == 404


def test_readonly_shows_values_without_inputs_and_never_accepts(web, tables):
    thing_id = tables.thing.insert(title="Look", owner=1, flag=True)
    form = SQLFORM(tables.thing, thing_id, readonly=True, separator=":")
    form.process()
    html = form.xml()
    assert '<label id="thing_title__label">Title:</label>' in html
    assert '<span id="thing_title">Look</span>' in html
    assert 'type="submit"' not in html and "<select" not in html
    post(f"thing/{thing_id}", id=str(thing_id), title="Changed")
    assert not SQLFORM(tables.thing, thing_id, readonly=True).process().accepted
    assert tables.thing(thing_id).title == "Look"


def test_fields_labels_col3_submit_and_formstyles(web, tables):
    form = SQLFORM(tables.thing, fields=["title", "qty"], labels={"title": "Name"},
                   col3={"qty": "how many"}, submit_button="Save", formstyle="divs")
    html = form.xml()
    assert '<label for="thing_title" id="thing_title__label">Name</label>' in html
    assert '<div class="w2p_fc">how many</div>' in html
    assert 'type="submit" value="Save"' in html and "thing_body" not in html
    boot = SQLFORM(tables.thing, fields=["title"], formstyle="bootstrap").xml()
    assert 'class="form-group mb-3" id="thing_title__row"' in boot
    assert 'class="string form-control"' in boot


def test_custom_parts_for_hand_written_views(web, tables):
    form = SQLFORM(tables.thing, fields=["title"])
    assert 'id="thing_title"' in str(form.custom.widget.title)
    assert "Title" in str(form.custom.label.title)
    assert 'type="submit"' in str(form.custom.submit)


def test_required_fields_are_announced_and_dictform_edits_a_dict(web, tables):
    html = SQLFORM(tables.thing).xml()
    assert 'aria-required="true" class="string" id="thing_title"' in html
    assert 'aria-required' not in row_html(SQLFORM(tables.thing), "body")
    form = SQLFORM.dictform({"host": "localhost", "port": 8000})
    html = form.xml()
    assert 'id="no_table_host" maxlength="512" name="host" type="text" value="localhost"' in html
    assert 'value="8000"' in html


def test_a_record_form_shows_its_id_and_submit_but_no_delete_box_by_default(web, tables):
    thing_id = tables.thing.insert(title="Pen")
    html = SQLFORM(tables.thing, thing_id).xml()
    assert ('<tr id="thing_id__row"><td class="w2p_fl"><label id="thing_id__label">Id'
            f'</label></td><td class="w2p_fw"><span id="thing_id">{thing_id}</span>') in html
    assert '<input type="submit" value="Submit" />' in html
    assert "delete_record" not in html and "delete_this_record" not in html
    assert '<td class="w2p_fc">short</td>' in html  # comments are shown unless comments=False
    assert "hidden_note" not in html  # neither readable nor writable: left out
    deletable = SQLFORM(tables.thing, thing_id, deletable=True).xml()
    assert ('<label for="delete_record" id="delete_record__label">Check to delete</label>'
            '</td><td class="w2p_fw"><input class="delete" id="delete_record" '
            'name="delete_this_record" type="checkbox" value="on" />') in deletable
    assert "thing_id__row" not in SQLFORM(tables.thing, thing_id, showid=False).xml()
    renamed = SQLFORM(tables.thing, thing_id, labels={"id": "Number"}).xml()
    assert '<label id="thing_id__label">Number</label>' in renamed
    tables.thing.id.readable = False  # as in web2py, a hidden id is not shown
    assert "thing_id__row" not in SQLFORM(tables.thing, thing_id).xml()


def test_the_record_is_a_row_an_id_or_record_id_and_empty_means_create(web, tables):
    thing_id = tables.thing.insert(title="Pen")
    for form in (SQLFORM(tables.thing, record_id=thing_id),
                 SQLFORM(tables.thing, tables.thing(thing_id)),
                 SQLFORM(tables.thing, str(thing_id), record_id=thing_id + 5)):
        assert form.record_id == thing_id and 'value="Pen"' in form.xml()
        assert f'<input name="id" type="hidden" value="{thing_id}" />' in form.xml()
    for empty in ("", None):
        create = SQLFORM(tables.thing, empty)
        assert create.record is None and 'name="id"' not in create.xml()
        assert "thing_id__row" not in create.xml()
    for missing in (0, "0", "-1", thing_id + 1):
        with pytest.raises(HTTP) as answer:
            SQLFORM(tables.thing, missing)
        assert (answer.value.status, answer.value.body) == (404, "Object not found")


def test_separator_comments_off_col3_and_attributes(web, tables):
    form = SQLFORM(tables.thing, fields=["title", "qty"], separator=": ", comments=False,
                   _id="thing_form", _class="wide")
    html = form.xml()
    assert html.startswith('<form action="" class="wide" enctype="multipart/form-data" '
                           'id="thing_form" method="post">')
    assert '<label for="thing_title" id="thing_title__label">Title: </label>' in html
    assert "short" not in html and form.custom.comment.title == ""
    plain = SQLFORM(tables.thing, fields=["title"], col3={"title": "max ten"}).xml()
    assert '<label for="thing_title" id="thing_title__label">Title</label>' in plain
    assert '<td class="w2p_fc">max ten</td>' in plain and "short" not in plain


def test_the_formstyle_comes_from_response_unless_given(web, tables):
    web.response.formstyle = "divs"
    html = SQLFORM(tables.thing, fields=["title"]).xml()
    assert '<div id="thing_title__row"><div class="w2p_fl">' in html and "<table>" not in html
    ul = SQLFORM(tables.thing, fields=["title"], formstyle="ul").xml()
    assert '<ul><li id="thing_title__row"><div class="w2p_fl">' in ul


def test_fields_keep_their_order_and_unknown_names_are_ignored(web, tables):
    thing_id = tables.thing.insert(title="Pen", qty=2)
    form = SQLFORM(tables.thing, fields=["qty", "nope", "title"])
    ids = [row["_id"] for row in form[0].components]
    assert ids == ["thing_qty__row", "thing_title__row", "submit_record__row"]
    assert [f.name for f in form.input_fields] == ["qty", "title"]
    shown = SQLFORM(tables.thing, thing_id, fields=["id", "title"])
    assert [row["_id"] for row in shown[0].components][:2] == ["thing_id__row", "thing_title__row"]
    create = SQLFORM(tables.thing, fields=["id", "title"])
    assert [row["_id"] for row in create[0].components] == ["thing_title__row",
                                                             "submit_record__row"]


@pytest.fixture
def notes(db):
    return db.define_table(
        "note",
        Field("text", default=lambda: "fresh"),
        Field("born", writable=False, default="2020"),
        Field("stamp", writable=False),
        Field("code", compute=lambda row: "C-" + str(row.get("text"))),
        Field("secret_code", compute=lambda row: "S", readable=False),
        Field("internal", readable=False, writable=False, default="i"),
        Field("raw", "blob"),
        Field("mood", requires=IS_IN_SET(["up", "down"]), widget=SQLFORM.widgets.radio.widget),
        Field("shown", represent=lambda value, row: f"<{value}:{row.text}>"),
        Field("broken", represent=lambda value, row: 1 / 0),
        Field("done", "boolean"),
        Field("pw", "password"),
    )


def rows_of(form):
    return [row["_id"].removeprefix("note_").removesuffix("__row") for row in form[0].components]


def test_which_fields_a_create_an_update_and_a_readonly_form_show(web, notes):
    create = SQLFORM(notes)
    assert rows_of(create) == ["text", "born", "raw", "mood", "shown", "broken", "done", "pw",
                               "submit_record"]
    assert '<span id="note_born">2020</span>' in create.xml()
    note_id = notes.insert(text="t", raw=b"x", mood="up", shown="s", broken="b")
    update = SQLFORM(notes, note_id)
    assert rows_of(update) == ["id", "text", "born", "stamp", "code", "raw", "mood", "shown", "broken",
                               "done", "pw", "submit_record"]
    assert [f.name for f in update.input_fields] == ["text", "mood", "shown", "broken", "done",
                                                     "pw"]
    assert '<span id="note_born">2020</span>' in update.xml()
    assert '<span id="note_code">C-t</span>' in update.xml()
    assert rows_of(SQLFORM(notes, readonly=True)) == ["text", "born", "stamp", "raw", "mood", "shown",
                                                      "broken", "done", "pw"]
    everything = SQLFORM(notes, note_id, ignore_rw=True)
    assert "internal" in rows_of(everything) and "secret_code" in rows_of(everything)
    assert [f.name for f in everything.input_fields] == [
        "text", "born", "stamp", "internal", "mood", "shown", "broken", "done", "pw"]


def test_initial_values_come_from_the_record_or_the_fields_default(web, notes):
    assert 'id="note_text" maxlength="512" name="text" type="text" value="fresh"' in \
        SQLFORM(notes).xml()
    note_id = notes.insert(text="stored")
    form = SQLFORM(notes, note_id)
    assert 'value="stored"' in form.xml() and "fresh" not in form.xml()
    assert form.custom.inpval.text == "stored" and form.custom.dspval.text == "stored"


def test_a_radio_group_is_named_by_its_label_id_not_bound_with_for(web, notes):
    row = SQLFORM(notes).custom.label.mood.xml()
    assert row == '<label id="note_mood__label">Mood</label>'
    assert 'aria-labelledby="note_mood__label"' in SQLFORM(notes).custom.widget.mood.xml()


def test_readonly_values_use_represent_and_fall_back_when_it_fails(web, notes):
    note_id = notes.insert(text="t", shown="s", broken="b", done=False, pw="")
    html = SQLFORM(notes, note_id, readonly=True).xml()
    assert '<span id="note_shown">&lt;s:t&gt;</span>' in html
    assert '<span id="note_broken">b</span>' in html
    assert '<span id="note_done">False</span>' in html
    assert '<span id="note_pw"></span>' in html
    done = SQLFORM(notes, notes.insert(done=True, pw="x"), readonly=True)
    assert done.custom.dspval.done == "True" and done.custom.dspval.pw == "********"


def test_a_fields_own_widget_is_used(web, db):
    from server.helpers import INPUT

    table = db.define_table("w", Field("name", widget=lambda field, value: INPUT(
        _name=field.name, _id="mine", _value=f"[{value}]")), Field("other", default="o"),
        Field("text_only", widget=lambda field, value: "no control here"))
    form = SQLFORM(table, table.insert(name="n"))
    assert form.custom.label.text_only.xml() == '<label id="w_text_only__label">Text Only</label>'
    assert '<td class="w2p_fw">no control here</td>' in form.xml()
    assert '<input id="mine" name="name" type="text" value="[n]" />' in form.xml()
    assert form.custom.label.name.xml() == '<label id="w_name__label">Name</label>'
    assert form.custom.label.other.xml() == \
        '<label for="w_other" id="w_other__label">Other</label>'


def test_buttons_replace_the_submit_button(web, tables):
    from server.helpers import A

    both = SQLFORM(tables.thing, fields=["title"], buttons=["submit", A("Back", _href="/b")])
    assert ('<tr id="submit_record__row"><td class="w2p_fl"></td><td class="w2p_fw"><span>'
            '<input type="submit" value="Submit" /><a href="/b">Back</a></span>') in both.xml()
    assert both.custom.submit.xml() == '<input type="submit" value="Submit" />'
    alone = SQLFORM(tables.thing, fields=["title"], buttons=[A("Back", _href="/b")])
    assert '<td class="w2p_fw"><a href="/b">Back</a></td>' in alone.xml()
    assert 'type="submit"' not in alone.xml()
    thing_id = tables.thing.insert(title="T")
    readonly = SQLFORM(tables.thing, thing_id, readonly=True, deletable=True)
    assert "submit_record__row" not in readonly.xml() and "delete_record" not in readonly.xml()
    assert "delete_record" not in SQLFORM(tables.thing, deletable=True).xml()
    assert 'id="delete_record"' in SQLFORM(tables.thing, thing_id, deletable=True).custom.delete.xml()


def test_custom_has_the_form_parts_and_errors_only_on_field_widgets(web, db):
    from yatl.helpers import INPUT, TR

    table = db.define_table("pad", Field("title", requires=IS_NOT_EMPTY()))

    def build():
        form = SQLFORM(table, submit_button="Go")
        form[0].insert(-1, TR(INPUT(_name="agree", _type="checkbox", requires=IS_NOT_EMPTY())))
        return form

    form = build()
    assert form.custom.begin.xml().startswith('<form action="" enctype="multipart/form-data"')
    assert form.custom.end.xml().endswith("</form>")
    assert form.custom.submit.xml() == '<input type="submit" value="Go" />'
    form.process()
    post("pad/create", title="", agree="")
    form = build().process()
    assert set(form.errors) == {"title", "agree"} and "agree" not in form.custom.widget
    widget = form.custom.widget.title.xml()
    assert widget.startswith('<input aria-describedby="pad_title__error" aria-invalid="true" ')
    assert widget.endswith('<div class="error" id="pad_title__error" role="alert">Enter a value'
                           '</div>')


def test_grid_smartgrid_and_dictform_take_their_options(web, tables):
    web.request.update(application="a", controller="default", function="index",
                       extension="html", get_vars={})
    tables.thing.insert(title="Pen")
    tables.thing.insert(title="Ink")
    grid = SQLFORM.grid(tables.thing.title == "Pen", user_signature=False, create=False,
                        csv=False, fields=[tables.thing.title]).xml()
    assert '<p class="w2p_counter" role="status">1 records found</p>' in grid
    assert "<td>Pen</td>" in grid and "Ink" not in grid and "Add record" not in grid
    smart = SQLFORM.smartgrid(tables.owner, user_signature=False, create=False, csv=False).xml()
    assert '<a href="/a/default/index/owner">Owner</a>' in smart
    assert "<td>Ann</td>" in smart and "Add record" not in smart
    form = SQLFORM.dictform({"host": "h"}, submit_button="Keep", table_name="settings")
    assert 'id="settings_host"' in form.xml() and 'value="Keep"' in form.xml()


def test_a_form_outside_a_request_uses_the_default_formstyle(web, tables):
    response = web.response
    del web.response
    try:
        html = SQLFORM(tables.thing, fields=["title"]).xml()
    finally:
        web.response = response
    assert '<table><tr id="thing_title__row"><td class="w2p_fl">' in html


def test_rows_without_a_comment_leave_the_comment_cell_empty_and_labels_translate(
        web, tables, monkeypatch):
    words = {"True": "Yes", "False": "No", "Submit": "Send"}
    monkeypatch.setattr(web, "T", lambda text: words.get(text, text), raising=False)
    thing_id = tables.thing.insert(title="T", flag=True)
    form = SQLFORM(tables.thing, thing_id, fields=["title", "body", "flag"], deletable=True,
                   separator=":")
    html = form.xml()
    assert form.custom.comment.title == "short" and form.custom.comment.body == ""
    assert '<td class="w2p_fw"><textarea class="text" cols="40" id="thing_body" name="body" ' \
           'rows="10"></textarea></td><td class="w2p_fc"></td></tr>' in html
    assert ('<tr id="delete_record__row"><td class="w2p_fl"><label for="delete_record" '
            'id="delete_record__label">Check to delete:</label></td><td class="w2p_fw"><input '
            'class="delete" id="delete_record" name="delete_this_record" type="checkbox" '
            'value="on" /></td><td class="w2p_fc"></td></tr>') in html
    assert ('<tr id="submit_record__row"><td class="w2p_fl"></td><td class="w2p_fw"><input '
            'type="submit" value="Send" /></td><td class="w2p_fc"></td></tr>') in html
    shown = SQLFORM(tables.thing, thing_id, readonly=True)
    assert shown.custom.dspval.flag == "Yes" and '<span id="thing_flag">Yes</span>' in shown.xml()
    assert SQLFORM(tables.thing, tables.thing.insert(flag=False), readonly=True
                   ).custom.dspval.flag == "No"
