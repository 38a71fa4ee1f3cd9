"""The insert-row and CSV-report dialogs on their own, driven like a user would."""

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
    assert not dialog.inserted and "enter an integer" in dialog.error_label.text()
    assert dialog.editors["age"].toolTip() == "enter an integer"
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
