"""Quick filters for the database grid: one box per column, kept lined up under its header."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QTableView, QWidget


class ColumnFilters(QWidget):
    """One filter box per grid column, kept lined up under its header section.

    Text columns match "contains", other types "equals" (see ``dbinspect.quick_filter``).
    """

    changed = Signal()

    def __init__(self, view: QTableView, parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        self.edits: dict[str, QLineEdit] = {}
        self.setFixedHeight(QLineEdit().sizeHint().height())
        header = view.horizontalHeader()
        header.sectionResized.connect(self._place)
        header.geometriesChanged.connect(self._place)
        view.horizontalScrollBar().valueChanged.connect(self._place)

    def set_columns(self, names: list[str]) -> None:
        for edit in self.edits.values():
            edit.deleteLater()
        self.edits = {}
        for name in names:
            edit = QLineEdit(self)
            edit.setPlaceholderText(name)
            edit.setAccessibleName(f"Filter {name}")
            edit.setToolTip(f"Quick filter on {name}: contains (text) or equals (other types)")
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self.changed)
            edit.show()
            self.edits[name] = edit
        self._place()

    def texts(self) -> dict[str, str]:
        return {name: edit.text() for name, edit in self.edits.items() if edit.text().strip()}

    def clear(self) -> None:
        for edit in self.edits.values():
            edit.blockSignals(True)
            edit.clear()
            edit.blockSignals(False)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def _place(self, *_args) -> None:
        header = self.view.horizontalHeader()
        left = self.view.frameWidth() + self.view.verticalHeader().width()
        for column, edit in enumerate(self.edits.values()):
            x = left + header.sectionViewportPosition(column)
            width = header.sectionSize(column)
            edit.setGeometry(x, 0, width, self.height())
            edit.setVisible(x + width > left and x < self.width())
