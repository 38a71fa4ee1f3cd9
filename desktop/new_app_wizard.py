"""The New-application wizard: an app's tables and fields typed in a grid, not in code.

One row per field: its table, its name, its type, a check (required, email, unique, …) and,
for a reference, the table it points to. Tables are made in the order they first appear, so a
reference names a table of an earlier row. :mod:`server.manage.wizard` writes the files; this
dialog only gathers the plan and opens what was written in the editor. On an existing app it
adds the new tables and leaves every file already there alone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from server.manage import apps
from server.manage.app_folders import AppError
from server.manage.wizard import FIELD_TYPES, VALIDATORS, AppPlan, FieldPlan, TablePlan, write_app

COLUMNS = ("Table", "Field", "Type", "Check", "Refers to")
TYPE, CHECK = 2, 3


def plan_from_rows(name: str, rows: list[tuple[str, str, str, str, str]], start_from: str,
                   auth: bool, grids: bool) -> AppPlan:
    """The plan the grid's rows describe (blank rows are skipped)."""
    tables: dict[str, list[FieldPlan]] = {}
    for table, field, kind, check, references in rows:
        if table or field:
            tables.setdefault(table, []).append(FieldPlan(field, kind, check, references))
    return AppPlan(name, tuple(TablePlan(table, tuple(fields), grids)
                               for table, fields in tables.items()), start_from, auth)


class NewAppWizard(QDialog):
    """The dialog; ``written`` is emitted through ``on_written(app_folder, files)``."""

    def __init__(self, root: Path, on_written: Callable[[Path, list[Path]], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.on_written = on_written
        self.setWindowTitle("New application wizard")
        self.setObjectName("new_app_wizard")
        self.resize(760, 520)
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Application name")
        self.start_combo = QComboBox()
        self.start_combo.setAccessibleName("Start from")
        self.auth_check = QCheckBox("Pages need a &login (Auth)")
        self.auth_check.setChecked(True)
        self.grid_check = QCheckBox("A &grid page for each table (search, add, edit, delete)")
        self.grid_check.setChecked(True)
        self.grid = QTableWidget(0, len(COLUMNS))
        self.grid.setHorizontalHeaderLabels(COLUMNS)
        self.grid.setAccessibleName("Fields: one row per field")
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setColumnWidth(TYPE, 130)
        self.grid.setColumnWidth(CHECK, 160)
        self.add_button = QPushButton("&Add field", clicked=lambda: self.add_field())
        self.remove_button = QPushButton("&Remove field", clicked=self.remove_selected)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = self.buttons.addButton("&Create",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)
        self._layout()

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("&Name:", self.name_edit)
        form.addRow("&Start from:", self.start_combo)
        form.addRow(self.auth_check)
        form.addRow(self.grid_check)
        grid_label = QLabel("&Fields (a reference refers to a table of an earlier row):")
        grid_label.setBuddy(self.grid)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(grid_label)
        layout.addWidget(self.grid, 1)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def open_for(self, app: str | None = None) -> None:
        """Show the wizard: empty, or on ``app`` to add tables to it."""
        self.start_combo.clear()
        for name, text in apps.starting_points(self.root).items():
            self.start_combo.addItem(f"{name}: {text}", name)
        self.name_edit.setText(app or "")
        self.grid.setRowCount(0)
        self.add_field()
        self.problem.clear()
        self.show()
        self.raise_()
        self.name_edit.setFocus()

    def add_field(self, table: str = "", field: str = "", kind: str = "string", check: str = "",
                  references: str = "") -> None:
        """A row of the grid (the button adds one under the last row's table)."""
        row = self.grid.rowCount()
        if not table and row:
            table = self.grid.item(row - 1, 0).text()
        self.grid.insertRow(row)
        self.grid.setItem(row, 0, QTableWidgetItem(table))
        self.grid.setItem(row, 1, QTableWidgetItem(field))
        self.grid.setCellWidget(row, TYPE, self._combo(FIELD_TYPES, kind, "Type"))
        self.grid.setCellWidget(row, CHECK, self._combo(tuple(VALIDATORS), check, "Check"))
        self.grid.setItem(row, 4, QTableWidgetItem(references))
        self.grid.setCurrentCell(row, 1 if table else 0)

    @staticmethod
    def _combo(choices: tuple[str, ...], chosen: str, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        for choice in choices:
            combo.addItem(choice or "(none)", choice)
        combo.setCurrentIndex(max(0, choices.index(chosen) if chosen in choices else 0))
        return combo

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.grid.selectedIndexes()}, reverse=True)
        for row in rows or [self.grid.currentRow()]:
            if row >= 0:
                self.grid.removeRow(row)

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        def text(row: int, column: int) -> str:
            item = self.grid.item(row, column)
            return item.text().strip() if item is not None else ""

        return [(text(row, 0), text(row, 1), self.grid.cellWidget(row, TYPE).currentData(),
                 self.grid.cellWidget(row, CHECK).currentData(), text(row, 4))
                for row in range(self.grid.rowCount())]

    def plan(self) -> AppPlan:
        return plan_from_rows(self.name_edit.text().strip(), self.rows(),
                              self.start_combo.currentData() or "welcome",
                              self.auth_check.isChecked(), self.grid_check.isChecked())

    def create(self) -> None:
        """Write the app; a mistake is shown here and the dialog stays open with the rows."""
        plan = self.plan()
        if not plan.name:
            self.problem.setText("Give the application a name.")
            return
        if not plan.tables:
            self.problem.setText("Add at least one field (a table and a field name).")
            return
        try:
            written = write_app(self.root, plan)
        except (AppError, OSError) as exc:
            self.problem.setText(f"Nothing was written: {exc}")
            return
        self.accept()
        self.on_written(self.root / "applications" / plan.name, written)


def open_written(window, folder: Path, files: list[Path]) -> None:
    """After the wizard: the app in the tree, each file written open in the editor."""
    window.apps_tree.refresh()
    window.apps_tree.select_path(folder)
    for path in files:
        window.editor.open_file(path)
    window.show_status(f"Wizard: wrote {len(files)} files in {folder.name}."
                       if files else f"Wizard: {folder.name} already had all those tables.")
