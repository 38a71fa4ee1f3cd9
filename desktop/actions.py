"""The actions table: every command of the window declared once.

Menus, the toolbar, keyboard shortcuts, the applications context menu and the tests are all built
from :data:`ACTIONS`. ``target`` names what the action calls, from the main window:
``"server_panel.start_server"`` is ``window.server_panel.start_server``, with ``args`` if any.
``scope`` "tree" makes the shortcut act only while the applications tree has focus (so Delete in
the editor stays Delete).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from desktop import icons

MENUS = ("&File", "&Server", "&Applications", "&Debug", "&View", "&Help")
PANELS = ("server", "database", "tickets", "sessions")


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    target: str
    accessible: str
    shortcut: str = ""
    toolbar: bool = False
    checkable: bool = False
    scope: str = "window"
    args: tuple = ()
    icon: str = ""


def _panel_action(panel: str, key: str, mnemonic_text: str) -> ActionSpec:
    return ActionSpec(f"panel_{panel}", mnemonic_text, "&View", "show_panel",
                      f"Show the {panel} panel and move keyboard focus into it", key,
                      args=(panel,), icon=panel)


def _debug_action(command: str, mnemonic_text: str, tip: str, key: str) -> ActionSpec:
    """What the paused request does next (a :meth:`server.hosting.debugger.Pause.resume`
    command)."""
    return ActionSpec(f"debug_{command}", mnemonic_text, "&Debug", "debugger_panel.resume",
                      tip, key, args=(command,))


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new_app", "&New application…", "&File", "apps_tree.new_application",
               "Create a new application from the welcome scaffold or an example", "Ctrl+Shift+N", True,
               icon="new_app"),
    ActionSpec("new_app_wizard", "New application &wizard…", "&File", "new_app_wizard.open_for",
               "Create an application, or add tables to one, from tables and fields listed in "
               "a grid: models, grid pages and menu are written for you", "Ctrl+Shift+W",
               icon="new_app"),
    ActionSpec("new_file", "New &file…", "&File", "apps_tree.new_file",
               "Create a model, controller, view or other file in the selected application",
               "Ctrl+N", True, icon="new_file"),
    ActionSpec("save", "&Save", "&File", "editor.save_current",
               "Save the file in the current editor tab", "Ctrl+S", True, icon="save"),
    ActionSpec("save_all", "Save a&ll", "&File", "editor.save_all", "Save every modified file",
               "Ctrl+Shift+S", icon="save_all"),
    ActionSpec("close_tab", "&Close tab", "&File", "editor.close_current",
               "Close the current editor tab, asking first about unsaved changes", "Ctrl+W",
               icon="close"),
    ActionSpec("quit", "&Quit", "&File", "quit_application",
               "Stop the server and close Pocketweb", "Ctrl+Q", icon="quit"),
    ActionSpec("start_server", "&Start server", "&Server", "server_panel.start_server",
               "Start the web server on the chosen host and port", "F5", True, icon="start"),
    ActionSpec("stop_server", "S&top server", "&Server", "server_panel.stop_server",
               "Stop the web server and free its port", "Shift+F5", True, icon="stop"),
    ActionSpec("open_browser", "Open in &browser", "&Server", "server_panel.open_in_browser",
               "Open the running server in the default web browser", "Ctrl+B", icon="browser"),
    ActionSpec("live_reload", "&Live reload", "&Server", "live_reload.toggle",
               "Reload the application's open pages in this computer's browser when one of "
               "its files is saved", checkable=True),
    ActionSpec("phone_preview", "Open on a p&hone…", "&Server", "phone_preview.open_for",
               "Listen on the network for a while and show the address and a QR code to open "
               "the applications on a phone", "Ctrl+Shift+O", icon="browser"),
    ActionSpec("admin_password", "Admin &password…", "&Server", "admin_password.change",
               "Choose the admin password of this root folder, which protects appadmin",
               icon="key"),
    ActionSpec("open_app_browser", "Open application in &browser", "&Applications",
               "open_application_in_browser",
               "Open the selected application in the default web browser", "Ctrl+Shift+B",
               icon="browser"),
    ActionSpec("open_appadmin", "Open app&admin", "&Applications", "open_appadmin",
               "Open the selected application's database administration (appadmin) in the "
               "browser; asks for the admin password the first time", "Ctrl+Shift+A",
               icon="database"),
    ActionSpec("rename", "&Rename…", "&Applications", "apps_tree.rename_selected",
               "Rename the selected application or file", "F2", scope="tree", icon="rename"),
    ActionSpec("delete", "&Delete…", "&Applications", "apps_tree.delete_selected",
               "Delete the selected application or file after confirmation", "Del",
               scope="tree", icon="delete"),
    ActionSpec("pack", "&Pack as .w2p…", "&Applications", "apps_tree.pack_selected",
               "Pack the selected application into a .w2p archive", "Ctrl+Shift+P",
               icon="pack"),
    ActionSpec("install", "&Install .w2p…", "&Applications", "apps_tree.install_archive",
               "Install an application from a .w2p archive under a chosen name", "Ctrl+Shift+I",
               icon="install"),
    ActionSpec("translations", "&Translations…", "&Applications",
               "translations_editor.open_selected",
               "Translate the selected application's messages, language by language",
               "Ctrl+Shift+L", icon="file"),
    ActionSpec("plugins", "Plu&gins…", "&Applications", "plugins_dialog.open_selected",
               "List, pack and install the selected application's plugins", "Ctrl+Shift+G",
               icon="pack"),
    ActionSpec("clean", "C&lean…", "&Applications", "apps_tree.clean_selected",
               "Delete the selected application's sessions, error tickets and cache files, "
               "after showing how many there are", icon="clean"),
    ActionSpec("compile", "Co&mpile", "&Applications", "apps_tree.compile_selected",
               "Byte-compile the selected application into its compiled folder, which it then "
               "runs from (for distribution without sources)", icon="pack"),
    ActionSpec("remove_compiled", "Remo&ve compiled", "&Applications",
               "apps_tree.remove_compiled_selected",
               "Remove the selected application's compiled form, so it runs from its sources "
               "again", icon="clean"),
    ActionSpec("refresh", "Re&fresh", "&Applications", "apps_tree.refresh",
               "Reload the applications tree from disk", "Ctrl+R", icon="refresh"),
    ActionSpec("focus_apps", "Go to &applications", "&View", "focus_applications",
               "Move keyboard focus to the applications tree", "Alt+1", icon="app"),
    ActionSpec("focus_editor", "Go to &editor", "&View", "focus_editor",
               "Move keyboard focus to the editor", "Alt+2", icon="file"),
    _panel_action("server", "Alt+3", "&Server panel"),
    _panel_action("database", "Alt+4", "&Database panel"),
    _panel_action("tickets", "Alt+5", "&Tickets panel"),
    _panel_action("sessions", "Alt+6", "Sess&ions panel"),
    _panel_action("output", "Alt+7", "&Output panel"),
    _panel_action("shell", "Alt+8", "S&hell panel"),
    _panel_action("debugger", "Alt+9", "De&bugger panel"),
    ActionSpec("toggle_breakpoint", "Toggle &breakpoint", "&Debug",
               "debugger_panel.toggle_at_caret",
               "Set or remove a breakpoint on the caret's line of the current editor", "F9"),
    _debug_action("continue", "&Continue",
                  "Let the paused request go on to the next breakpoint", "F8"),
    _debug_action("next", "Step &over",
                  "Run the paused request's current line and stop at the next", "F10"),
    _debug_action("step", "Step &into", "Stop inside the function the current line calls",
                  "F11"),
    _debug_action("return", "Step o&ut", "Run until the current function returns",
                  "Shift+F11"),
    _debug_action("stop", "&Stop the request",
                  "End the paused request now; it answers with an error ticket", "Shift+F8"),
    ActionSpec("dark_theme", "Dar&k theme", "&View", "toggle_dark_theme",
               "Switch between the light and the dark theme", "Ctrl+Shift+T", checkable=True),
    ActionSpec("help", "&Tutorial", "&Help", "help_window.show_topic",
               "Open the help window on the tutorial, readable offline", "F1", args=("Tutorial",),
               icon="about"),
    ActionSpec("help_readme", "&README", "&Help", "help_window.show_topic",
               "Open the README in the help window", args=("README",)),
    ActionSpec("help_reference", "&Quick reference", "&Help", "help_window.show_topic",
               "List the names every model, controller and view can use",
               "Shift+F1", args=("Quick reference",)),
    ActionSpec("help_shortcuts", "&Keyboard shortcuts", "&Help", "help_window.show_topic",
               "List every keyboard shortcut of the window", "Ctrl+F1",
               args=("Keyboard shortcuts",)),
    ActionSpec("about", "&About Pocketweb", "&Help", "help_window.show_topic",
               "Show the version and licence of Pocketweb", args=("About Pocketweb",),
               icon="about"),
)


def resolve(window, spec: ActionSpec) -> Callable[[], object]:
    """The callable ``spec.target`` names, reached from ``window`` attribute by attribute."""
    target = window
    for name in spec.target.split("."):
        target = getattr(target, name)
    return functools.partial(target, *spec.args)


def by_id(action_id: str) -> ActionSpec:
    return next(spec for spec in ACTIONS if spec.id == action_id)


def create_action(spec: ActionSpec, window) -> QAction:
    """One QAction for ``spec``, calling its target on ``window``."""
    action = QAction(spec.text, window)
    action.setObjectName(f"action_{spec.id}")
    action.setToolTip(spec.accessible)
    action.setStatusTip(spec.accessible)
    action.setWhatsThis(spec.accessible)
    action.setCheckable(spec.checkable)
    if spec.shortcut:
        action.setShortcut(QKeySequence(spec.shortcut))
    if spec.scope == "tree":
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    call = resolve(window, spec)
    action.triggered.connect(lambda _checked=False: call())
    return action


def install_actions(window, menubar, toolbar) -> dict[str, QAction]:
    """Create every action, put it in its menu (and the toolbar), return them by id."""
    menus = {title: menubar.addMenu(title) for title in MENUS}
    actions = {}
    for spec in ACTIONS:
        action = create_action(spec, window)
        menus[spec.menu].addAction(action)
        if spec.toolbar:
            toolbar.addAction(action)
            describe_button(toolbar.widgetForAction(action), spec)
        if spec.scope == "window":
            window.addAction(action)
        actions[spec.id] = action
    apply_icons(actions)
    return actions


def apply_icons(actions: dict[str, QAction]) -> None:
    """Give each action its icon, drawn for the window's theme (again after a theme change)."""
    for spec in ACTIONS:
        if spec.icon:
            actions[spec.id].setIcon(icons.icon(spec.icon))


def plain_text(spec: ActionSpec) -> str:
    """The menu text without its mnemonic ampersand and ellipsis, for screen readers."""
    return spec.text.replace("&", "").rstrip("…")


def describe_button(button, spec: ActionSpec) -> None:
    button.setAccessibleName(plain_text(spec))
    button.setAccessibleDescription(spec.accessible)
