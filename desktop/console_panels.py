"""The Output, Shell and Debugger panels, added to the main window as tabs beside the server
panel and wired to the rest of the window here, so the main window needs only one call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.debugger_panel import DebuggerPanel
from desktop.output_panel import OutputPanel
from desktop.shell_panel import ShellPanel

if TYPE_CHECKING:
    from desktop.main_window import MainWindow

DEBUG_ACTIONS = ("debug_continue", "debug_next", "debug_step", "debug_return", "debug_stop")


def add_console_panels(window: MainWindow) -> None:
    """``window.output_panel``, ``window.shell_panel`` and ``window.debugger_panel`` (their
    docks in ``window.panel_docks["output"]``, ``["shell"]`` and ``["debugger"]``)."""
    window.output_panel = OutputPanel(parent=window)
    _tab(window, "output", "&Output", window.output_panel)
    window.shell_panel = ShellPanel(window.root, parent=window)
    _tab(window, "shell", "S&hell", window.shell_panel)
    window.apps_tree.applicationSelected.connect(window.shell_panel.set_application)
    window.debugger_panel = DebuggerPanel(parent=window)
    _tab(window, "debugger", "De&bugger", window.debugger_panel)
    _connect_debugger(window, window.debugger_panel)
    server = window.server_panel
    server.request_hooks.append(window.output_panel.add_request)
    server.serverStarted.connect(lambda url: window.output_panel.add_message(f"Serving {url}"))
    server.serverStopped.connect(lambda: window.output_panel.add_message("Server stopped"))
    window.output_panel.ticketRequested.connect(window.show_ticket_of_request)


def _connect_debugger(window: MainWindow, debugger: DebuggerPanel) -> None:
    """Requests of the window's server run under the debugger; breakpoints live in the
    editor's margin; a pause brings the window forward on its line."""
    server = window.server_panel
    server.app_factory = debugger.wrap_factory(server.app_factory)
    debugger.current_editor = window.editor.current_editor
    window.editor.editorOpened.connect(debugger.attach_editor)
    window.editor.fileSaved.connect(debugger.file_saved)
    debugger.pauseShown.connect(window.open_file)
    debugger.pausedChanged.connect(lambda paused: _show_paused(window, paused))
    window.shell_panel.paused_frame = debugger.chosen_frame
    debugger.pausedChanged.connect(window.shell_panel.follow_pause)


def _show_paused(window: MainWindow, paused: bool) -> None:
    for action_id in DEBUG_ACTIONS:
        window.commands[action_id].setEnabled(paused)
    if paused and window.isVisible():
        window.show_from_tray()
        window.show_panel("debugger")


def show_console_state(window: MainWindow) -> None:
    """Once the actions exist: the stepping ones wait for a paused request."""
    _show_paused(window, False)


def shut_console_panels(window: MainWindow) -> None:
    """The window closes: paused requests end (so the server can stop), the shell's
    uncommitted work is rolled back and the process's output is no longer taken."""
    window.debugger_panel.shutdown()
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
