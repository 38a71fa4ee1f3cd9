"""server.toolkit.form_tools: addrow lays out like table2cols, two rows per field."""

from yatl.helpers import FORM, INPUT, TABLE, TR

from server.toolkit.form_tools import addrow


def test_table2cols_adds_two_rows():
    form = FORM(TABLE(TR("submit")))
    addrow(form, "Extra", INPUT(_name="x"), "", "table2cols", "x__row")
    html = form.xml()
    assert html.index('id="x__row1"') < html.index('id="x__row"') < html.index("submit")
