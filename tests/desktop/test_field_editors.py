"""Editors by field type: what they show for a stored value and the text they give back."""

from __future__ import annotations

import datetime

import pytest
from pydal import Field
from PySide6.QtWidgets import QCheckBox, QDateEdit, QDateTimeEdit, QLineEdit, QTimeEdit

from desktop.field_editors import default_text, editor_text, field_editor, set_editor_text


@pytest.mark.parametrize(("kind", "editor_class", "text"), [
    ("string", QLineEdit, "hello"), ("integer", QLineEdit, "42"),
    ("boolean", QCheckBox, "True"), ("date", QDateEdit, "2024-05-01"),
    ("datetime", QDateTimeEdit, "2024-05-01 18:30:00"), ("time", QTimeEdit, "07:05:09"),
])
def test_each_kind_gets_its_editor_and_gives_back_the_text_it_was_shown(qtbot, kind,
                                                                        editor_class, text):
    editor = field_editor(kind)
    qtbot.addWidget(editor)
    assert type(editor) is editor_class
    set_editor_text(editor, text)
    assert editor_text(editor) == text


def test_blank_dates_give_no_value_and_unreadable_text_leaves_them_blank(qtbot):
    for kind in ("date", "datetime"):
        editor = field_editor(kind)
        qtbot.addWidget(editor)
        assert editor_text(editor) == ""
        set_editor_text(editor, "2024-05-01")
        set_editor_text(editor, "not a date")
        assert editor_text(editor) == ""


def test_stored_microseconds_and_false_read_as_the_editor_shows_them(qtbot):
    picker, box = field_editor("datetime"), field_editor("boolean")
    qtbot.addWidget(picker)
    qtbot.addWidget(box)
    set_editor_text(picker, "2024-05-01 18:30:00.250000")
    assert editor_text(picker) == "2024-05-01 18:30:00"
    set_editor_text(box, "False")
    assert editor_text(box) == "False" and not box.isChecked()


def test_default_text_calls_a_callable_default_and_survives_a_failing_one():
    assert default_text(Field("day", "date", default=datetime.date(2024, 5, 1))) == "2024-05-01"
    assert default_text(Field("n", "integer", default=lambda: 7)) == "7"
    assert default_text(Field("tags", "list:string", default=["a", "b"])) == "a, b"
    assert default_text(Field("name")) == ""
    assert default_text(Field("when", "datetime", default=lambda: 1 / 0)) == ""
