"""What every window test leaves behind is tidied: dialogs it left open are closed.

A dialog left open by one test (an import report, say) would be the active modal widget of the
next, and that test's ``ModalAnswer`` would answer it instead of the dialog the test opens,
which would then wait forever."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QDialog
from scripted_ask import ScriptedAsk

from desktop.server_panel import ServerPanel
from server.hosting.httpd import free_port

# Qt's own dialogs, never a desktop portal's: only a Qt dialog can be answered by ModalAnswer.
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)


@pytest.fixture(autouse=True)
def close_dialogs_left_open():
    yield
    if QApplication.instance() is None:
        return
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()


@pytest.fixture
def make_panel(qtbot, root):
    """``make_panel(ask, open_url=...)``: a ServerPanel for ``root`` on a free loopback port;
    every panel made is shut down at teardown. ``panel.opened`` lists the URLs it opened."""
    panels = []

    def build(ask=None, open_url=None) -> ServerPanel:
        opened = []
        widget = ServerPanel(root, ask if ask is not None else ScriptedAsk(),
                             open_url=open_url or opened.append)
        widget.opened = opened
        qtbot.addWidget(widget)
        widget.set_address("127.0.0.1", free_port())
        panels.append(widget)
        return widget

    yield build
    for widget in panels:
        widget.shutdown()
