"""An editor fit to a field's type, for the insert form and the grid's cells alike: a checkbox
for a boolean, a date, time or date-and-time picker, a line edit for the rest.

Every editor reads and writes the same text a typed cell would hold (``2024-05-01``,
``2024-05-01 09:30:00``, ``True``), so what it gives is parsed by ``server.manage`` as any
typed value is. A date picker left at its blank state gives "" (no value: the default or NULL).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, QDateTime, Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDateTimeEdit,
    QLineEdit,
    QStyledItemDelegate,
    QTimeEdit,
    QWidget,
)

from desktop.rows_model import display_text

# Qt display format and the length of the text it reads, per picker type.
PICKERS = {
    "date": (QDateEdit, "yyyy-MM-dd"),
    "datetime": (QDateTimeEdit, "yyyy-MM-dd HH:mm:ss"),
    "time": (QTimeEdit, "HH:mm:ss"),
}
BLANK = QDateTime(QDate(1900, 1, 1), QTime(0, 0))  # a date picker's "no value", shown empty
TRUE_TEXT, FALSE_TEXT = "True", "False"


def field_editor(kind: str, parent: QWidget | None = None) -> QWidget:
    """A new, empty editor for a field of type ``kind``."""
    if kind == "boolean":
        editor = QCheckBox(parent)
        editor.setAutoFillBackground(True)  # opaque over the grid's cell text
        return editor
    if kind in PICKERS:
        kind_class, display_format = PICKERS[kind]
        picker = kind_class(parent)
        picker.setDisplayFormat(display_format)
        if kind != "time":  # a time has no blank state: 00:00:00 is a time of its own
            picker.setCalendarPopup(True)
            picker.setMinimumDateTime(BLANK)
            picker.setSpecialValueText(" ")
            picker.setDateTime(BLANK)
        return picker
    return QLineEdit(parent)


def editor_text(editor: QWidget) -> str:
    """What the user chose, as the text of a typed value."""
    if isinstance(editor, QCheckBox):
        return TRUE_TEXT if editor.isChecked() else FALSE_TEXT
    if isinstance(editor, QDateTimeEdit):
        blank = editor.specialValueText() and editor.dateTime() == editor.minimumDateTime()
        return "" if blank else editor.text()
    return editor.text()


def set_editor_text(editor: QWidget, text: str) -> None:
    """Show ``text`` (a stored value as the grid shows it) in ``editor``."""
    if isinstance(editor, QCheckBox):
        editor.setChecked(text.strip().lower() in ("true", "1", "t", "yes", "on"))
    elif isinstance(editor, QDateTimeEdit):
        display_format = editor.displayFormat()
        chosen = QDateTime.fromString(text.strip()[:len(display_format)], display_format)
        if isinstance(editor, QTimeEdit):
            editor.setTime(chosen.time() if chosen.isValid() else QTime(0, 0))
        else:
            editor.setDateTime(chosen if chosen.isValid() else editor.minimumDateTime())
    else:
        editor.setText(text)


def default_text(field) -> str:
    """A pydal field's default as an editor shows it; a callable default (``request.now``) is
    called, as web2py's forms do when they are built."""
    default = field.default
    if callable(default):
        try:
            default = default()
        except Exception:  # a default that needs a request: no prefill rather than a crash
            return ""
    return display_text(default, str(field.type))


class FieldDelegate(QStyledItemDelegate):
    """The grid's cell editors: those of :func:`field_editor`, by the column's field type."""

    def createEditor(self, parent, _option, index):  # noqa: N802 (Qt override)
        return field_editor(index.model().info.fields[index.column()].type, parent)

    def setEditorData(self, editor, index) -> None:  # noqa: N802 (Qt override)
        set_editor_text(editor, index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor, model, index) -> None:  # noqa: N802 (Qt override)
        model.setData(index, editor_text(editor))
