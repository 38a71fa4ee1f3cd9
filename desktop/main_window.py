"""The main window: applications on the left, the editor in the middle, server and data panels
below. Menus, toolbar and shortcuts come from :mod:`desktop.actions`, which names the panel
method each action calls; what needs more than one panel is a method here.

The bottom panels are tabbed docks. Qt keeps the docks behind the front tab "visible" (moved
out of sight), so Tab would walk into them and Space press their buttons; their contents are
hidden while their tab is not in front (:meth:`_follow_dock_visibility`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QMainWindow,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop import icons, themes
from desktop.actions import PANELS, apply_icons, install_actions
from desktop.admin_access import AdminPassword
from desktop.apps_tree import AppsTree
from desktop.console_panels import add_console_panels, show_console_state, shut_console_panels
from desktop.database_browser import DatabaseBrowser
from desktop.dialogs import Ask
from desktop.editor import EditorTabs
from desktop.help_window import HelpWindow
from desktop.live_reload import LiveReload
from desktop.new_app_wizard import NewAppWizard, open_written
from desktop.phone_preview import PhonePreview
from desktop.plugins_dialog import PluginsDialog
from desktop.server_panel import ServerPanel, default_app_factory
from desktop.sessions_view import SessionsView
from desktop.settings import Settings
from desktop.start_page import StartPage
from desktop.tickets_view import TicketsView
from desktop.translations_editor import TranslationsEditor
from desktop.tray import app_icon, create_tray
from server.hosting import ServerOptions

WHILE_RUNNING_ACTIONS = ("stop_server", "open_browser", "open_app_browser")
TREE_CONTEXT_ACTIONS = ("new_app", "new_file", "rename", "delete", "open_app_browser", "pack",
                        "install", "clean", "compile", "remove_compiled", "refresh")


class MainWindow(QMainWindow):
    def __init__(
        self,
        root: Path,
        host: str | None = None,
        port: int | None = None,
        options: ServerOptions | None = None,
        ask=None,
        app_factory: Callable = default_app_factory,
        open_url: Callable[[QUrl], object] = QDesktopServices.openUrl,
    ):
        super().__init__()
        self.root = Path(root)
        self.ask = ask or Ask(self)
        self.settings = Settings(self.root)
        self.theme = self.settings.theme
        self._released_files: list[Path] = []
        self._tray_explained = False
        self.setWindowTitle(f"Pocketweb — {self.root}")
        self.setWindowIcon(app_icon())
        # The applications dock joins the focus chain first, so Tab reads the window as it is
        # laid out: the tree, the editor area, then the bottom panels.
        self.apps_tree = AppsTree(self.root, self.ask)
        self.apps_dock = self._dock("&Applications", "applications_dock",
                                    with_progress(self.apps_tree, self.apps_tree.progress),
                                    Qt.DockWidgetArea.LeftDockWidgetArea)
        self.editor = EditorTabs(self)
        self.editor.setObjectName("editor")
        self.start_page = StartPage(self.root, self)
        self.center = QStackedWidget(self)
        self.center.addWidget(self.start_page)
        self.center.addWidget(self.editor)
        self.setCentralWidget(self.center)
        self.admin_password = AdminPassword(self.root, self.ask, self)
        self.live_reload = LiveReload(self.root, app_factory)
        self.server_panel = ServerPanel(self.root, self.ask, self.admin_password,
                                        self.live_reload.app_factory, options, open_url)
        self.database_browser = DatabaseBrowser(self.root)
        self.sessions_view = SessionsView(self.root)
        self.tickets_view = TicketsView(self.root)
        self.data_views = [self.database_browser, self.tickets_view, self.sessions_view]
        self._add_docks()
        add_console_panels(self)
        self.toolbar = QToolBar("Main toolbar", self)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(self.toolbar)
        self.help_window = HelpWindow(lambda: self.commands, open_url, self)
        self.phone_preview = PhonePreview(self.server_panel, self.apps_tree.selected_app,
                                          parent=self)
        self.new_app_wizard = NewAppWizard(
            self.root, lambda folder, files: open_written(self, folder, files), self)
        selected = self.apps_tree.selected_app
        self.translations_editor = TranslationsEditor(self.root, self.ask, selected, self)
        self.plugins_dialog = PluginsDialog(self.root, self.ask, selected, self.apps_tree.refresh,
                                            parent=self)
        self.commands = install_actions(self, self.menuBar(), self.toolbar)
        self.commands["live_reload"].setChecked(self.live_reload.board.enabled)
        self._connect()
        self.tray = create_tray(self)
        show_console_state(self)
        self._restore_settings(host, port)
        self._show_server_state()

    # -- construction ---------------------------------------------------------------------------

    def _add_docks(self) -> None:
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.server_dock = self._dock("&Server", "server_dock", self.server_panel, bottom)
        self.panel_docks = {"server": self.server_dock}
        titles = ("&Database", "&Tickets", "Sess&ions")
        for panel, title, view in zip(PANELS[1:], titles, self.data_views, strict=True):
            dock = self._dock(title, f"{type(view).__name__.lower()}_dock", view, bottom)
            self.tabifyDockWidget(self.server_dock, dock)
            self.panel_docks[panel] = dock
        for dock in self.panel_docks.values():
            dock.visibilityChanged.connect(
                lambda visible, dock=dock: self._follow_dock_visibility(dock, visible))
        self.server_dock.raise_()

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title.replace("&", ""), self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setAccessibleName(title.replace("&", ""))
        # Not closable: there would be no way back to a closed panel.
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        widget.setAccessibleName(widget.accessibleName() or title.replace("&", ""))
        self.addDockWidget(area, dock)
        return dock

    def _connect(self) -> None:
        self.apps_tree.openFileRequested.connect(self.open_file)
        self.apps_tree.release_path = self._release_path
        self.apps_tree.pathMoved.connect(self._reopen_moved)
        self.apps_tree.statusMessage.connect(self.show_status)
        for view in self.data_views:
            if view is not self.sessions_view:
                self.apps_tree.applicationSelected.connect(view.set_application)
            view.openFileRequested.connect(self.open_file)
        # The app's models run once per selection, in the database panel; the sessions panel
        # finds the session table in the databases that run made. They stay the database
        # panel's: it closes them once the next app's are announced (and taken up here).
        self.database_browser.databasesLoaded.connect(self.sessions_view.set_application)
        self.database_browser.namesChanged.connect(self.editor.set_completion_words)
        self.editor.fileSaved.connect(self.database_browser.model_file_saved)
        self.editor.fileSaved.connect(self.live_reload.file_saved)
        self.translations_editor.saved.connect(self.live_reload.file_saved)
        self.server_panel.ticketRequested.connect(self.show_ticket_of_request)
        self.server_panel.serverStarted.connect(self._show_server_state)
        self.server_panel.serverStopped.connect(self._show_server_state)
        self._connect_start_page()
        self.apps_tree.addActions([self.commands[name] for name in TREE_CONTEXT_ACTIONS])

    def _connect_start_page(self) -> None:
        """The start page fills the editor area while no file is open."""
        page = self.start_page
        self.editor.countChanged.connect(
            lambda count: self.center.setCurrentWidget(self.editor if count else page))
        page.startRequested.connect(self.commands["start_server"].trigger)
        page.newApplicationRequested.connect(self.commands["new_app"].trigger)
        page.browserRequested.connect(self.commands["open_browser"].trigger)
        page.tutorialRequested.connect(self.commands["help"].trigger)
        page.openFileRequested.connect(self.open_file)
        page.applicationChosen.connect(
            lambda app: self.apps_tree.select_path(self.root / "applications" / app))
        page.set_recent_files(self.settings.recent_files)

    # -- settings -------------------------------------------------------------------------------

    def _restore_settings(self, host: str | None, port: int | None) -> None:
        """Saved values fill in what the command line left open."""
        settings = self.settings
        self.server_panel.set_address(host or settings.host, port or settings.port)
        if not self.restoreGeometry(settings.geometry):
            self.resize(1200, 800)
        if not self.restoreState(settings.window_state):
            self.resizeDocks([self.apps_dock], [260], Qt.Orientation.Horizontal)
            self.resizeDocks([self.server_dock], [230], Qt.Orientation.Vertical)
        self.set_theme(settings.theme)
        for path in settings.open_files:
            if path.is_file():
                self.editor.open_file(path)

    def save_settings(self, open_files=None) -> None:
        settings = self.settings
        settings.geometry = self.saveGeometry()
        settings.window_state = self.saveState()
        settings.host, settings.port = self.server_panel.address()
        settings.theme = self.theme
        settings.open_files = self.editor.open_paths() if open_files is None else open_files
        settings.sync()

    # -- theme ----------------------------------------------------------------------------------

    def set_theme(self, name: str) -> None:
        """Re-colour the whole window and the editor with theme ``name`` ('light' or 'dark')."""
        self.theme = name if name in themes.THEMES else "light"
        QApplication.instance().setPalette(theme_palette(self.theme))
        self.editor.set_theme(self.theme)
        icons.set_theme(self.theme)
        apply_icons(self.commands)
        self.apps_tree.refresh()
        self.server_panel.refresh_icons()
        self.commands["dark_theme"].setChecked(self.theme == "dark")

    def toggle_dark_theme(self) -> None:
        self.set_theme("dark" if self.commands["dark_theme"].isChecked() else "light")

    # -- editor ---------------------------------------------------------------------------------

    def open_file(self, path: Path, line: int = 0) -> None:
        """Open ``path`` in the editor, at ``line`` when it is positive."""
        if self.editor.open_file(Path(path), line if line and line > 0 else None):
            self.start_page.set_recent_files(self.settings.add_recent_file(path))
        self.focus_editor()

    def _release_path(self, path: Path) -> bool:
        """Before ``path`` is renamed or deleted: close its tabs, unless one has unsaved work."""
        inside = [editor for editor in self.editor.editors() if is_within(editor.path, path)]
        unsaved = [editor.path.name for editor in inside if editor.is_modified()]
        if unsaved:
            self.ask.error("Unsaved changes", f"Save or close {', '.join(unsaved)} first.")
            return False
        self._released_files = [editor.path for editor in inside]
        for editor in inside:
            self.editor.close_tab(self.editor.indexOf(editor))
        return True

    def _reopen_moved(self, old: Path, new: Path | None) -> None:
        """Reopen the tabs closed by :meth:`_release_path` at their new place."""
        released, self._released_files = self._released_files, []
        for path in released if new is not None else ():
            self.open_file(new / path.resolve().relative_to(old.resolve()))

    # -- server ---------------------------------------------------------------------------------

    def open_application_in_browser(self) -> None:
        app = self.apps_tree.selected_app()
        if app is None:
            self.ask.error("Open application", "Select an application in the tree first.")
            return
        self.server_panel.open_in_browser(f"/{app}")

    def show_ticket_of_request(self, app: str, when: float) -> None:
        """From a failed request in the log to its ticket: that app, the tickets panel."""
        if self.apps_tree.selected_app() != app:
            self.apps_tree.select_path(self.root / "applications" / app)
        self.show_panel("tickets")
        self.tickets_view.reveal_ticket_near(when)

    def open_appadmin(self) -> None:
        """The selected app's appadmin: it needs the admin password, asked for the first time."""
        app = self.apps_tree.selected_app()
        if app is None:
            self.ask.error("Open appadmin", "Select an application in the tree first.")
            return
        if not self.server_panel.running:
            self.ask.error("Open appadmin", "Start the server first, then open appadmin.")
            return
        self.admin_password.ensure(lambda: self.server_panel.open_in_browser(f"/{app}/appadmin"))

    def _show_server_state(self, *_args) -> None:
        running = self.server_panel.running
        self.commands["start_server"].setEnabled(not running)
        for action_id in WHILE_RUNNING_ACTIONS:
            self.commands[action_id].setEnabled(running)
        message = f"Serving {self.server_panel.url}" if running else "Server stopped"
        self.start_page.set_server_url(self.server_panel.url if running else None)
        self.show_status(message)
        if self.tray is not None:
            self.tray.setToolTip(f"Pocketweb — {message}")

    # -- focus and window -----------------------------------------------------------------------

    def focus_applications(self) -> None:
        self.apps_dock.show()
        self.apps_tree.setFocus()

    def focus_editor(self) -> None:
        current = self.editor.current_editor()
        if current is None:
            focus_into(self.start_page)
        else:
            current.focus_editor()

    def show_panel(self, panel: str) -> None:
        """Bring a bottom panel's tab to the front and put the keyboard focus in it."""
        dock = self.panel_docks[panel]
        dock.show()
        dock.raise_()
        self._follow_dock_visibility(dock, True)
        focus_into(dock.widget())

    @staticmethod
    def _follow_dock_visibility(dock: QDockWidget, visible: bool) -> None:
        dock.widget().setVisible(visible)

    def show_status(self, message: str) -> None:
        self.statusBar().showMessage(message)

    def show_from_tray(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def quit_application(self) -> None:
        """Close (which may be refused over unsaved files), then end the program: a window
        hidden in the tray would otherwise leave it running without any window."""
        if self.close():
            QApplication.quit()

    def changeEvent(self, event) -> None:
        """Minimising hides the window into the tray, where the server keeps running."""
        super().changeEvent(event)
        if (event.type() == QEvent.Type.WindowStateChange and self.isMinimized()
                and self.tray is not None):
            QTimer.singleShot(0, self.hide)
            if not self._tray_explained:
                self._tray_explained = True
                self.tray.showMessage("Pocketweb", "Still running here in the tray; "
                                      "the server keeps serving.")

    def closeEvent(self, event) -> None:
        """Ask about unsaved files, then stop the server cleanly and remember the session."""
        open_files = self.editor.open_paths()
        if not self.editor.maybe_close_all():
            event.ignore()
            return
        shut_console_panels(self)
        self.server_panel.shutdown()
        self.save_settings(open_files)
        if self.tray is not None:
            self.tray.hide()
        event.accept()


def focus_into(widget: QWidget) -> None:
    """Focus the first control inside ``widget`` that Tab would reach."""
    candidate = widget.nextInFocusChain()
    while candidate is not widget:
        if (widget.isAncestorOf(candidate) and candidate.isVisible() and candidate.isEnabled()
                and candidate.focusPolicy() & Qt.FocusPolicy.TabFocus):
            candidate.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        candidate = candidate.nextInFocusChain()


def is_within(path: Path, folder: Path) -> bool:
    path, folder = Path(path).resolve(), Path(folder).resolve()
    return path == folder or folder in path.parents


def theme_palette(name: str) -> QPalette:
    """A Qt palette built from the same colour table as the editor theme."""
    colours = themes.THEMES[name]
    dark = name == "dark"
    base = QColor(colours["background"])
    text = QColor(colours["default"])
    window = QColor("#2d2d30" if dark else "#f3f3f3")
    palette = QPalette()
    role = QPalette.ColorRole
    for key, colour in ((role.Window, window), (role.WindowText, text), (role.Base, base),
                        (role.AlternateBase, QColor(colours["margin_back"])),
                        (role.Text, text), (role.Button, window), (role.ButtonText, text),
                        (role.ToolTipBase, base), (role.ToolTipText, text),
                        (role.Highlight, QColor(colours["selection"])),
                        (role.HighlightedText, text),
                        (role.Link, QColor("#4fc1ff" if dark else "#0b5cad")),
                        (role.PlaceholderText, QColor(colours["comment"]))):
        palette.setColor(key, colour)
    disabled = QColor(colours["comment"])
    for key in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, key, disabled)
    return palette


def with_progress(widget: QWidget, progress: QWidget) -> QWidget:
    """``widget`` with the progress row of its long work below it, named as ``widget`` is."""
    box = QWidget()
    box.setAccessibleName(widget.accessibleName())
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 1)
    layout.addWidget(progress)
    return box
