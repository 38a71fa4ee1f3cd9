"""Formstyles: each named layout keeps the label bound to its control; callables are allowed."""

import pytest
from yatl.helpers import INPUT, LABEL, TAGGER

from server.forms import formstyles

ROWS = [("t_a__row", LABEL("A", _for="t_a"), INPUT(_id="t_a", _name="a"), "help"),
        ("submit_record__row", "", INPUT(_type="submit"), "")]


@pytest.mark.parametrize("name", sorted(formstyles.FORMSTYLES))
def test_every_style_keeps_rows_labels_and_comments(name):
    html = formstyles.apply(name, None, [tuple(r) for r in ROWS]).xml()
    assert 'id="t_a__row"' in html and 'for="t_a"' in html and "help" in html
    assert 'type="submit"' in html


def test_table3cols_is_the_default():
    html = formstyles.apply(None, None, ROWS).xml()
    assert html.startswith("<table><tr id=\"t_a__row\"><td class=\"w2p_fl\">")


def test_bootstrap_adds_control_classes_but_not_to_buttons():
    rows = [("t_a__row", LABEL("A", _for="t_a"), INPUT(_id="t_a", _name="a"), "help"),
            ("submit_record__row", "", INPUT(_type="submit"), "")]
    html = formstyles.bootstrap(None, rows).xml()
    assert 'class="form-control" id="t_a"' in html
    assert '<p class="help-block form-text">help</p>' in html
    assert '<input type="submit"/>' in html


def test_a_callable_formstyle_gets_the_form_and_rows():
    seen = []

    def mine(form, rows):
        seen.append((form, len(rows)))
        return TAGGER("section", *[r[2] for r in rows])

    html = formstyles.apply(mine, "the form", ROWS).xml()
    assert seen == [("the form", 2)] and html.startswith("<section>")


def test_named_styles_are_web2py_helpers_that_apps_extend():
    from server.helpers import DIV, TR

    table = formstyles.apply("table3cols", None, ROWS)
    assert isinstance(table, DIV) and all(isinstance(row, DIV) for row in table.components)
    row = table.components[0]
    assert row.element("input", _name="a") is not None
    table.insert(1, TR("added", _id="extra__row"))
    assert [r["_id"] for r in table.components] == ["t_a__row", "extra__row",
                                                    "submit_record__row"]


def test_a_per_row_style_of_older_web2py_apps_is_gathered_in_a_table():
    from server.helpers import TR

    def per_row(row_id, label, control, comment):
        return TR(label, control, _id=row_id)

    def two_per_row(row_id, label, control, comment):
        return TR(label, _id=row_id + "1"), TR(control, _id=row_id)

    one = formstyles.apply(per_row, None, ROWS)
    assert one.tag == "table" and [r["_id"] for r in one.components] == [
        "t_a__row", "submit_record__row"]
    two = formstyles.apply(two_per_row, None, ROWS)
    assert [r["_id"] for r in two.components] == [
        "t_a__row1", "t_a__row", "submit_record__row1", "submit_record__row"]
