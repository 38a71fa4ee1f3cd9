from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView

from desktop.column_filters import ColumnFilters


def test_one_named_box_per_column_and_only_filled_ones_count(qtbot):
    view = QTableView()
    view.setModel(QStandardItemModel(0, 2))
    filters = ColumnFilters(view)
    qtbot.addWidget(view)
    qtbot.addWidget(filters)
    filters.set_columns(["name", "age"])
    assert [edit.accessibleName() for edit in filters.edits.values()] == [
        "Filter name", "Filter age"]
    with qtbot.waitSignal(filters.changed):
        filters.edits["age"].setText("30")
    assert filters.texts() == {"age": "30"}
    filters.clear()
    assert filters.texts() == {}
