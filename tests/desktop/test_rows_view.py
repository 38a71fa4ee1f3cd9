"""The grid on its own: Delete asks to delete, columns fit their content up to a limit."""

from __future__ import annotations

from pydal import DAL, Field
from PySide6.QtCore import Qt

from desktop.rows_model import RowsModel
from desktop.rows_view import MAX_COLUMN_WIDTH, RowsView


def test_columns_fit_content_up_to_the_limit_and_delete_is_a_request(qtbot):
    db = DAL("sqlite:memory")
    db.define_table("note", Field("tag"), Field("body", "text"))
    db.note.insert(tag="a", body="x" * 400)
    view = RowsView()
    qtbot.addWidget(view)
    view.setModel(RowsModel(db, db.note, parent=view))
    view.fit_columns()
    header = view.horizontalHeader()
    assert header.sectionSize(2) == MAX_COLUMN_WIDTH
    assert header.sectionSize(1) < MAX_COLUMN_WIDTH / 2
    with qtbot.waitSignal(view.deleteRequested):
        qtbot.keyClick(view, Qt.Key.Key_Delete)
