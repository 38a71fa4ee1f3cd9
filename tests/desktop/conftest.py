"""What every window test leaves behind is tidied: dialogs it left open are closed.

A dialog left open by one test (an import report, say) would be the active modal widget of the
next, and that test's ``ModalAnswer`` would answer it instead of the dialog the test opens,
which would then wait forever."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QDialog


@pytest.fixture(autouse=True)
def close_dialogs_left_open():
    yield
    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
