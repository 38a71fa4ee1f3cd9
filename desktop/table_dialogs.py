"""The database panel's two dialogs: insert a row, and the report of a CSV import."""

from __future__ import annotations

from collections.abc import Callable

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

from server.manage import dbinspect


class InsertRowDialog(QDialog):
    """One labelled line edit per writable field; stays open showing errors until valid."""

    def __init__(self, info: dbinspect.TableInfo, insert: Callable[[dict], dict],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Insert row into {info.name}")
        self.insert = insert
        self.inserted = False
        form = QFormLayout(self)
        self.editors: dict[str, QLineEdit] = {}
        for field_info in info.fields:
            if field_info.writable:
                editor = QLineEdit(self)
                editor.setPlaceholderText(field_info.type)
                editor.setAccessibleName(field_info.name)
                label = QLabel(f"{field_info.name}:", self)
                label.setBuddy(editor)
                form.addRow(label, editor)
                self.editors[field_info.name] = editor
        self.error_label = QLabel(self, wordWrap=True)
        self.error_label.setStyleSheet("color: #b00020")
        form.addRow(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.try_insert)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.buttons = buttons

    def try_insert(self) -> None:
        """Insert the typed values; on refusal mark the fields and keep the dialog open."""
        texts = {name: editor.text() for name, editor in self.editors.items()}
        errors = self.insert(texts)
        for name, editor in self.editors.items():
            editor.setToolTip(errors.get(name, ""))
            editor.setStyleSheet("background: #f8d7da" if name in errors else "")
        if errors:
            self.error_label.setText(dbinspect.describe_errors(errors))
            return
        self.inserted = True
        self.accept()


class ImportReportDialog(QDialog):
    """What a CSV import did, with one table row per refused line."""

    def __init__(self, report: dbinspect.ImportReport, parent: QWidget | None = None):
        super().__init__(parent)
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
        text = f"Inserted {report.inserted} row(s); rejected {len(report.rejected)}."
        if report.rolled_back:
            text += " Nothing was imported because some rows were rejected."
        return text
