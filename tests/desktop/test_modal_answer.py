"""The test helper that answers real modal dialogs fails a test instead of hanging the run."""

from __future__ import annotations

import pytest
from modal import ModalAnswer
from PySide6.QtWidgets import QMessageBox, QWidget


@pytest.fixture
def parent(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def ask(parent) -> QMessageBox.StandardButton:
    return QMessageBox.question(parent, "Save?", "Save the changes to default.py?")


def test_an_answer_that_raises_closes_the_dialog_and_fails_the_block(parent):
    def broken(box):
        raise LookupError("no such button")

    with pytest.raises(AssertionError) as failure:
        with ModalAnswer(broken):
            assert ask(parent) == QMessageBox.StandardButton.NoButton  # closed: the code returned
    assert "LookupError('no such button')" in str(failure.value)
    assert "'Save?' saying 'Save the changes to default.py?'" in str(failure.value)


def test_a_dialog_that_opens_on_top_of_the_answered_one_is_refused_and_reported(parent):
    def answer_but_a_warning_follows(box):
        QMessageBox.warning(box, "Not found", "default.py\nFile not found.")

    with pytest.raises(AssertionError) as failure:
        with ModalAnswer(answer_but_a_warning_follows):
            ask(parent)
    assert "another dialog opened: QMessageBox 'Not found'" in str(failure.value)


def test_a_dialog_left_open_by_its_answer_is_closed_and_reported(parent):
    with pytest.raises(AssertionError) as failure:
        with ModalAnswer(lambda box: None, close_polls=5):
            ask(parent)
    assert "still open after the answer: QMessageBox 'Save?'" in str(failure.value)


def test_a_good_answer_passes_and_keeps_what_the_user_saw(parent):
    with ModalAnswer(lambda box: box.button(QMessageBox.StandardButton.Yes).click()) as seen:
        assert ask(parent) == QMessageBox.StandardButton.Yes
    assert (seen.kind, seen.title, seen.text) == (QMessageBox, "Save?",
                                                 "Save the changes to default.py?")
