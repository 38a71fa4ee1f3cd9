"""The insert-row and CSV-report dialogs on their own, driven like a user would."""

from PySide6.QtWidgets import QCheckBox, QDateEdit, QDateTimeEdit, QLineEdit

from desktop.table_dialogs import ImportReportDialog, InsertRowDialog
from server.manage.dbinspect import FieldInfo, ImportReport, TableInfo

TABLE = TableInfo("person", [FieldInfo("id", "id", False, True, True),
                             FieldInfo("name", "string", True, True, False),
                             FieldInfo("age", "integer", True, False, False)], True)


def test_insert_dialog_keeps_open_on_errors_then_accepts(qtbot):
    attempts = []

    def insert(texts):
        attempts.append(texts)
        return {"age": "enter an integer"} if texts["age"] == "old" else {}

    dialog = InsertRowDialog(TABLE, insert)
    qtbot.addWidget(dialog)
    assert set(dialog.editors) == {"name", "age"}  # the id is not writable
    assert dialog.editors["age"].accessibleName() == "age"
    dialog.editors["name"].setText("Ann")
    dialog.editors["age"].setText("old")
    dialog.try_insert()
    assert not dialog.inserted and dialog.field_errors["age"].text() == "enter an integer"
    assert dialog.field_errors["age"].isVisibleTo(dialog)
    assert not dialog.field_errors["name"].isVisibleTo(dialog)
    assert "marked fields" in dialog.error_label.text()
    dialog.editors["age"].setText("33")
    dialog.try_insert()
    assert dialog.inserted and attempts[-1] == {"name": "Ann", "age": "33"}


def test_import_report_lists_each_rejected_line(qtbot):
    report = ImportReport(inserted=0, rejected=[(3, "name: empty"), (7, "age: not a number")],
                          rolled_back=True)
    dialog = ImportReportDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.rejected_table.rowCount() == 2
    assert dialog.rejected_table.item(1, 0).text() == "7"
    assert "Nothing was imported" in dialog.summary.text()


EVENT = TableInfo("event", [FieldInfo("id", "id", False, True, True),
                            FieldInfo("title", "string", True, True, False),
                            FieldInfo("public", "boolean", True, False, False),
                            FieldInfo("day", "date", True, False, False),
                            FieldInfo("starts", "datetime", True, False, False)], True)


def test_insert_form_uses_a_checkbox_and_pickers_prefilled_with_the_defaults(qtbot):
    inserted = []
    defaults = {"title": "Party", "public": "True", "day": "2024-05-01",
                "starts": "2024-05-01 18:30:00.250000"}
    dialog = InsertRowDialog(EVENT, lambda texts: inserted.append(texts) or {}, None, defaults)
    qtbot.addWidget(dialog)
    editors = dialog.editors
    assert [type(editors[name]) for name in ("title", "public", "day", "starts")] == [
        QLineEdit, QCheckBox, QDateEdit, QDateTimeEdit]
    assert editors["public"].isChecked() and editors["public"].accessibleName() == "public"
    dialog.try_insert()
    assert inserted == [{"title": "Party", "public": "True", "day": "2024-05-01",
                         "starts": "2024-05-01 18:30:00"}]


def test_a_date_without_default_is_left_blank(qtbot):
    inserted = []
    dialog = InsertRowDialog(EVENT, lambda texts: inserted.append(texts) or {})
    qtbot.addWidget(dialog)
    assert dialog.editors["day"].text().strip() == ""
    dialog.try_insert()
    assert inserted[0]["day"] == "" and inserted[0]["public"] == "False"


def test_a_long_error_is_shown_whole_under_its_field(qtbot):
    message = "Enter a date in the form YYYY-MM-DD between 2000-01-01 and 2030-12-31, " * 3
    dialog = InsertRowDialog(EVENT, lambda texts: {"day": message})
    qtbot.addWidget(dialog)
    dialog.try_insert()
    label = dialog.field_errors["day"]
    assert label.text() == message and label.wordWrap()
    assert label.accessibleName() == f"day problem: {message}"
