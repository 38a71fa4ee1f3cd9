"""The Output and Shell panels, added to the main window as tabs beside the server
panel and wired to the rest of the window here, so the main window needs only one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.output_panel import OutputPanel
from desktop.shell_panel import ShellPanel

if TYPE_CHECKING:
    from desktop.main_window import MainWindow


def add_console_panels(window: MainWindow) -> None:
    """``window.output_panel`` and ``window.shell_panel`` (their docks in
    ``window.panel_docks["output"]`` and ``["shell"]``)."""
    window.output_panel = OutputPanel(parent=window)
    _tab(window, "output", "&Output", window.output_panel)
    window.shell_panel = ShellPanel(window.root, parent=window)
    _tab(window, "shell", "S&hell", window.shell_panel)
    window.apps_tree.applicationSelected.connect(window.shell_panel.set_application)
    server = window.server_panel
    server.request_hooks.append(window.output_panel.add_request)
    server.serverStarted.connect(lambda url: window.output_panel.add_message(f"Serving {url}"))
    server.serverStopped.connect(lambda: window.output_panel.add_message("Server stopped"))
    window.output_panel.ticketRequested.connect(window.show_ticket_of_request)


def shut_console_panels(window: MainWindow) -> None:
    """The window closes: the shell's uncommitted work is rolled back and the process's
    output is no longer taken."""
    window.shell_panel.shutdown()
    window.output_panel.shutdown()


def _tab(window: MainWindow, panel: str, title: str, widget) -> None:
    from PySide6.QtCore import Qt

    dock = window._dock(title, f"{panel}_dock", widget, Qt.DockWidgetArea.BottomDockWidgetArea)
    window.tabifyDockWidget(window.server_dock, dock)
    window.panel_docks[panel] = dock
    dock.visibilityChanged.connect(
        lambda visible: window._follow_dock_visibility(dock, visible))
    window.server_dock.raise_()
