"""The read-only-folder dialog, answered by a real click on its buttons."""

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.root_dialog import ask_for_writable_root


def click_when_shown(text_start: str):
    def click():
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        button = next(b for b in box.buttons() if b.text().startswith(text_start))
        button.click()

    QTimer.singleShot(100, click)


def test_using_the_suggested_folder(qtbot, tmp_path):
    click_when_shown("Use ")
    assert ask_for_writable_root("cannot save here", tmp_path / "elsewhere") == \
        tmp_path / "elsewhere"


def test_quitting(qtbot):
    click_when_shown("Quit")
    assert ask_for_writable_root("cannot save here", Path("/x")) is None
