"""Widgets per field type: ids and names, values through formatters, options, groups."""

import datetime

import pytest
from form_support import post
from pydal import Field
from pydal.validators import IS_IN_SET, IS_NOT_EMPTY

from server.forms import SQLFORM
from server.forms.widgets import (
    BooleanWidget,
    CheckboxesWidget,
    DateWidget,
    ListWidget,
    OptionsWidget,
    PasswordWidget,
    RadioWidget,
    StringWidget,
    TextWidget,
    UploadWidget,
    effective_requires,
    widget_for,
)


@pytest.fixture
def table(db):
    db.define_table("ref", Field("name"), format="%(name)s")
    db.ref.insert(name="Zed")
    return db.define_table(
        "w",
        Field("name", length=5),
        Field("day", "date"),
        Field("note", "text"),
        Field("pw", "password"),
        Field("ok", "boolean"),
        Field("doc", "upload"),
        Field("needed_doc", "upload", requires=IS_NOT_EMPTY()),
        Field("entries", "list:string"),
        Field("ref", "reference ref"),
        Field("size", requires=IS_IN_SET([("s", "Small"), ("l", "Large")]),
              widget=RadioWidget.widget),
        Field("sizes", "list:string", requires=IS_IN_SET(["s", "l"], multiple=True),
              widget=CheckboxesWidget.widget),
    )


def test_default_validators_follow_web2py_for_untouched_fields(table):
    name_check = effective_requires(table.name)
    assert name_check("123456")[1] and not name_check("12345")[1]
    assert name_check("")[0] is None  # optional string: empty stores NULL
    assert table.ref.requires is not None and effective_requires(table.ref)("7")[1]


def test_widget_choice_by_type_and_validator(table):
    assert widget_for(table.name) is StringWidget
    assert widget_for(table.note) is TextWidget
    assert widget_for(table.ok) is BooleanWidget
    assert widget_for(table.doc) is UploadWidget
    assert widget_for(table.entries) is ListWidget
    assert widget_for(table.ref) is OptionsWidget
    assert widget_for(table.day) is DateWidget


def test_values_are_formatted_and_escaped(table):
    date_input = DateWidget.widget(table.day, datetime.date(2024, 5, 6)).xml()
    assert 'id="w_day"' in date_input and 'name="day"' in date_input
    assert 'value="2024-05-06"' in date_input
    text = TextWidget.widget(table.note, "<b>&</b>").xml()
    assert ">&lt;b&gt;&amp;&lt;/b&gt;</textarea>" in text
    assert 'maxlength="5"' in StringWidget.widget(table.name, "x").xml()
    assert 'value=""' in PasswordWidget.widget(table.pw, None).xml()
    assert 'value="********"' in PasswordWidget.widget(table.pw, "hash").xml()
    assert "hash" not in PasswordWidget.widget(table.pw, "hash").xml()


def test_reference_select_uses_the_format_and_marks_the_value(table):
    html = OptionsWidget.widget(table.ref, 1).xml()
    assert '<option value=""></option>' in html
    assert '<option selected="selected" value="1">Zed</option>' in html


def test_list_widget_gives_one_input_per_item_and_an_empty_one(table):
    html = ListWidget.widget(table.entries, ["a", "b"]).xml()
    assert html.count('name="entries"') == 3
    assert 'class="string" id="w_entries" name="entries" type="text" value="a"' in html
    assert 'aria-label="Entries 3"' in html


def test_upload_delete_box_only_when_the_file_is_optional(table):
    optional = UploadWidget.widget(table.doc, "w.doc.x.y.txt", download_url="/d").xml()
    assert 'href="/d/w.doc.x.y.txt"' in optional and "doc__delete" in optional
    required = UploadWidget.widget(table.needed_doc, "w.needed_doc.x.y.txt").xml()
    assert "__delete" not in required and "<span>file</span>" in required


def test_radio_and_checkbox_groups_label_each_option_and_name_the_group(web, table):
    form = SQLFORM(table, fields=["size", "sizes"])
    html = form.xml()
    assert '<input id="w_size_0" name="size" type="radio" value="s" />' in html
    assert '<label for="w_size_0">Small</label>' in html
    assert 'aria-labelledby="w_size__label"' in html and 'role="radiogroup"' in html
    assert '<label id="w_size__label">Size</label>' in html  # no for= to a missing control
    assert 'id="w_sizes_1" name="sizes" type="checkbox" value="l"' in html


def test_radio_and_checkbox_groups_post_back(web, table):
    SQLFORM(table, fields=["size", "sizes"]).process()
    post("w/create", size="l", sizes=["s", "l"])
    form = SQLFORM(table, fields=["size", "sizes"]).process()
    assert form.accepted, form.errors
    row = table(form.vars.id)
    assert row.size == "l" and row.sizes == ["s", "l"]
    post("w/create", size="xl", sizes=["s", "huge"])
    form = SQLFORM(table, fields=["size", "sizes"]).process()
    assert set(form.errors) == {"size", "sizes"}
    html = form.xml()
    assert 'checked="checked" id="w_sizes_0"' in html  # the posted choice is kept


def test_custom_widget_from_the_field_is_used(web, db):
    from yatl.helpers import INPUT

    def stars(field, value):
        return INPUT(_type="range", _name=field.name, _id="t_rating", _value=value or 3)

    table = db.define_table("t", Field("rating", "integer", widget=stars))
    html = SQLFORM(table).xml()
    assert '<input id="t_rating" name="rating" type="range" value="3"/>' in html
    assert '<label for="t_rating" id="t_rating__label">Rating</label>' in html


def test_is_list_of_options_give_a_multiple_select(web, db):
    from pydal.validators import IS_IN_DB, IS_LIST_OF

    db.define_table("tag", Field("name"), format="%(name)s")
    db.tag.insert(name="red")
    db.tag.insert(name="blue")
    table = db.define_table("post", Field("tags", "list:reference tag",
                                          requires=IS_LIST_OF(IS_IN_DB(db, "tag.id", "%(name)s"))))
    assert widget_for(table.tags).__name__ == "MultipleOptionsWidget"
    SQLFORM(table).process()
    post("post/create", tags=["1", "2"])
    form = SQLFORM(table).process()
    assert form.accepted and table(form.vars.id).tags == [1, 2]


def test_widget_attributes_helper_as_app_widgets_call_it(table):
    """web2py's FormWidget._attributes: Sahana Eden's widgets build their inputs with it."""
    field = table.name
    attributes = StringWidget._attributes(field, {"_class": "mine", "_size": 5}, _title="t")
    assert attributes["_id"] == f"{field.tablename}_name" and attributes["_name"] == "name"
    assert (attributes["_class"], attributes["_size"], attributes["_title"]) == ("mine", 5, "t")
    assert attributes["requires"] is field.requires


def test_a_storage_standing_for_a_field_keeps_its_own_validators():
    """Apps hand widgets a Storage(name=..., requires=...) in place of a Field."""
    from server.storage import Storage

    requires = IS_IN_SET(["a", "b"])
    assert effective_requires(Storage(name="pick", requires=requires)) is requires
    select = OptionsWidget.widget(Storage(name="pick", type="string", requires=requires), "b")
    assert 'value="b" selected' in select.xml() or 'selected="selected" value="b"' in select.xml()
