"""The actions table: every command of the window declared once.

Menus, the toolbar, keyboard shortcuts, the applications context menu and the tests are all built
from :data:`ACTIONS`. ``handler`` names a method of the main window; ``scope`` "tree" makes the
shortcut act only while the applications tree has focus (so Delete in the editor stays Delete).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

MENUS = ("&File", "&Server", "&Applications", "&View", "&Help")


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    menu: str
    handler: str
    accessible: str
    shortcut: str = ""
    toolbar: bool = False
    checkable: bool = False
    scope: str = "window"


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("new_app", "&New application…", "&File", "new_application",
               "Create a new application from the welcome scaffold", "Ctrl+Shift+N", True),
    ActionSpec("new_file", "New &file…", "&File", "new_file",
               "Create a model, controller, view or other file in the selected application",
               "Ctrl+N", True),
    ActionSpec("save", "&Save", "&File", "save_file", "Save the file in the current editor tab",
               "Ctrl+S", True),
    ActionSpec("save_all", "Save a&ll", "&File", "save_all_files", "Save every modified file",
               "Ctrl+Shift+S"),
    ActionSpec("quit", "&Quit", "&File", "quit_application",
               "Stop the server and close Pocketweb", "Ctrl+Q"),
    ActionSpec("start_server", "&Start server", "&Server", "start_server",
               "Start the web server on the chosen host and port", "F5", True),
    ActionSpec("stop_server", "S&top server", "&Server", "stop_server",
               "Stop the web server and free its port", "Shift+F5", True),
    ActionSpec("open_browser", "Open in &browser", "&Server", "open_in_browser",
               "Open the running server in the default web browser", "Ctrl+B"),
    ActionSpec("open_app_browser", "Open application in b&rowser", "&Applications",
               "open_application_in_browser",
               "Open the selected application in the default web browser", "Ctrl+Shift+B"),
    ActionSpec("rename", "&Rename…", "&Applications", "rename_selected",
               "Rename the selected application or file", "F2", scope="tree"),
    ActionSpec("delete", "&Delete…", "&Applications", "delete_selected",
               "Delete the selected application or file after confirmation", "Del",
               scope="tree"),
    ActionSpec("pack", "&Pack as .w2p…", "&Applications", "pack_application",
               "Pack the selected application into a .w2p archive", "Ctrl+Shift+P"),
    ActionSpec("install", "&Install .w2p…", "&Applications", "install_application",
               "Install an application from a .w2p archive under a chosen name", "Ctrl+Shift+I"),
    ActionSpec("refresh", "Re&fresh", "&Applications", "refresh_applications",
               "Reload the applications tree from disk", "Ctrl+R"),
    ActionSpec("focus_apps", "Go to &applications", "&View", "focus_applications",
               "Move keyboard focus to the applications tree", "Alt+1"),
    ActionSpec("focus_editor", "Go to &editor", "&View", "focus_editor",
               "Move keyboard focus to the editor", "Alt+2"),
    ActionSpec("focus_server", "Go to &server", "&View", "focus_server",
               "Move keyboard focus to the server controls", "Alt+3"),
    ActionSpec("dark_theme", "&Dark theme", "&View", "toggle_dark_theme",
               "Switch between the light and the dark theme", "Ctrl+Shift+T", checkable=True),
    ActionSpec("about", "&About Pocketweb", "&Help", "show_about",
               "Show the version and licence of Pocketweb", "F1"),
)


def by_id(action_id: str) -> ActionSpec:
    return next(spec for spec in ACTIONS if spec.id == action_id)


def create_action(spec: ActionSpec, window) -> QAction:
    """One QAction for ``spec``, triggering ``window.<handler>()``."""
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
    handler = getattr(window, spec.handler)
    action.triggered.connect(lambda _checked=False: handler())
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
    return actions


def plain_text(spec: ActionSpec) -> str:
    """The menu text without its mnemonic ampersand and ellipsis, for screen readers."""
    return spec.text.replace("&", "").rstrip("…")


def describe_button(button, spec: ActionSpec) -> None:
    button.setAccessibleName(plain_text(spec))
    button.setAccessibleDescription(spec.accessible)
