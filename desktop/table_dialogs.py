"""The database panel's two dialogs: insert a row, and the report of a CSV import."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.field_editors import editor_text, field_editor, set_editor_text
from desktop.status_label import StatusLabel
from server.manage import dbinspect

ERROR_STYLE = "color: #b00020"


class InsertRowDialog(QDialog):
    """One labelled editor per writable field, fit to its type and prefilled with its default;
    stays open until the row is valid, each refused field showing its whole message below it."""

    def __init__(self, info: dbinspect.TableInfo, insert: Callable[[dict], dict],
                 parent: QWidget | None = None, defaults: dict[str, str] | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Insert row into {info.name}")
        self.insert = insert
        self.inserted = False
        form = QFormLayout(self)
        self.editors: dict[str, QWidget] = {}
        self.field_errors: dict[str, StatusLabel] = {}
        for field_info in (info for info in info.fields if info.writable):
            self._add_field(form, field_info, (defaults or {}).get(field_info.name, ""))
        self.error_label = StatusLabel("Insert problem", self)
        self.error_label.setStyleSheet(ERROR_STYLE)
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.try_insert)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.buttons = buttons

    def _add_field(self, form: QFormLayout, info: dbinspect.FieldInfo, default: str) -> None:
        editor = field_editor(info.type, self)
        set_editor_text(editor, default)
        editor.setAccessibleName(info.name)
        editor.setToolTip(info.type)
        if isinstance(editor, QLineEdit):
            editor.setPlaceholderText(info.type)
        label = QLabel(f"{info.name}:", self)
        label.setBuddy(editor)
        error = StatusLabel(f"{info.name} problem", self)
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        column = QVBoxLayout()
        column.addWidget(editor)
        column.addWidget(error)
        form.addRow(label, column)
        self.editors[info.name] = editor
        self.field_errors[info.name] = error

    def texts(self) -> dict[str, str]:
        return {name: editor_text(editor) for name, editor in self.editors.items()}

    def try_insert(self) -> None:
        """Insert the chosen values; on refusal mark the fields and keep the dialog open."""
        errors = self.insert(self.texts())
        for name, error in self.field_errors.items():
            error.setText(errors.get(name, ""))
            error.setVisible(name in errors)
        self.error_label.setText(errors.get("", "Check the marked fields." if errors else ""))
        if errors:
            return
        self.inserted = True
        self.accept()


class ImportReportDialog(QDialog):
    """What a CSV import did, with one table row per refused line."""

    def __init__(self, report: dbinspect.ImportReport, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("CSV import")
        layout = QVBoxLayout(self)
        self.summary = QLabel(self.summary_text(report), self, wordWrap=True)
        layout.addWidget(self.summary)
        self.rejected_table = QTableWidget(len(report.rejected), 2, self)
        self.rejected_table.setHorizontalHeaderLabels(["Line", "Reason"])
        self.rejected_table.setAccessibleName("Rejected rows")
        self.rejected_table.horizontalHeader().setStretchLastSection(True)
        for row, (line, reason) in enumerate(report.rejected):
            self.rejected_table.setItem(row, 0, QTableWidgetItem(str(line)))
            self.rejected_table.setItem(row, 1, QTableWidgetItem(reason))
        layout.addWidget(self.rejected_table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @staticmethod
    def summary_text(report: dbinspect.ImportReport) -> str:
        if report.cancelled and report.rolled_back:
            return ("Import cancelled: nothing was imported (a file is imported in one "
                    "transaction, as web2py does; with \"Keep valid rows\" the rows before a "
                    "cancel are kept).")
        if report.cancelled:
            return (f"Import cancelled: the {report.inserted:,} row(s) inserted before it are "
                    f"kept; rejected {len(report.rejected)}.")
        text = f"Inserted {report.inserted} row(s); rejected {len(report.rejected)}."
        if report.rolled_back:
            text += " Nothing was imported because some rows were rejected."
        return text
