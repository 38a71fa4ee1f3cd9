"""What the editor area shows while no file is open: what to do next, the recent files and
applications, and the server's address once it serves.

The page only asks for things through its signals; the main window connects them to its
actions, so every button does what the menu entry of the same name does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.status_label import StatusLabel

PATH_ROLE = Qt.ItemDataRole.UserRole
WELCOME_CONTROLLER = Path("applications/welcome/controllers/default.py")


class StartPage(QScrollArea):
    """Scrolls rather than setting a minimum size: the window stays as small as before."""

    startRequested = Signal()
    newApplicationRequested = Signal()
    browserRequested = Signal()
    openFileRequested = Signal(Path, int)
    applicationChosen = Signal(str)
    tutorialRequested = Signal()

    def __init__(self, root: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.setObjectName("start_page")
        self.setAccessibleName("Start page")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget(self)
        self.setWidget(content)
        layout = QVBoxLayout(content)
        layout.setContentsMargins(32, 24, 32, 24)
        title = QLabel("<h2>Pocketweb</h2>", self)
        title.setAccessibleName("Pocketweb start page")
        layout.addWidget(title)
        self.server_label = StatusLabel("Server", self)
        layout.addWidget(self.server_label)
        layout.addWidget(QLabel("<b>What to do next</b>", self))
        layout.addLayout(self._next_steps())
        layout.addLayout(self._recent_lists(), 1)
        self.set_server_url(None)

    def _next_steps(self) -> QVBoxLayout:
        column = QVBoxLayout()
        self.start_button = self._step("Start the server (F5)",
                                       "Start the web server", self.startRequested.emit)
        self.browser_button = self._step("Open in the browser", "Open the running server in "
                                         "the web browser", self.browserRequested.emit)
        self.welcome_button = self._step(
            "Open the welcome app's controller", "Open controllers/default.py of the welcome "
            "application in the editor", lambda: self._open(self.root / WELCOME_CONTROLLER))
        self.new_app_button = self._step("Create an application… (Ctrl+Shift+N)",
                                         "Create a new application",
                                         self.newApplicationRequested.emit)
        self.tutorial_button = self._step("Read the tutorial (F1)", "Open the tutorial",
                                          self.tutorialRequested.emit)
        self.welcome_button.setEnabled((self.root / WELCOME_CONTROLLER).is_file())
        for button in (self.start_button, self.browser_button, self.welcome_button,
                       self.new_app_button, self.tutorial_button):
            row = QHBoxLayout()
            row.addWidget(button)
            row.addStretch(1)
            column.addLayout(row)
        return column

    def _step(self, text: str, accessible: str, action) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(accessible)
        button.clicked.connect(lambda _checked=False: action())
        return button

    def _recent_lists(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.recent_files = self._recent_list("Recent &files:", "Recent files", row)
        self.recent_files.itemActivated.connect(
            lambda item: self._open(Path(item.data(PATH_ROLE))))
        self.recent_apps = self._recent_list("Recent &applications:", "Recent applications",
                                             row)
        self.recent_apps.itemActivated.connect(
            lambda item: self.applicationChosen.emit(item.text()))
        return row

    def _recent_list(self, title: str, accessible: str, row: QHBoxLayout) -> QListWidget:
        column = QVBoxLayout()
        listing = QListWidget(self)
        listing.setAccessibleName(accessible)
        label = QLabel(title, self)
        label.setBuddy(listing)
        column.addWidget(label)
        column.addWidget(listing)
        row.addLayout(column)
        return listing

    def _open(self, path: Path) -> None:
        self.openFileRequested.emit(path, 0)

    # -- what the window tells the page --

    def set_server_url(self, url: str | None) -> None:
        self.server_label.setText(f"Serving {url}" if url else
                                  "The server is stopped: start it to see your applications.")
        self.start_button.setVisible(url is None)
        self.browser_button.setVisible(url is not None)

    def set_recent_files(self, paths: list[Path]) -> None:
        """Recent files (newest first), and from them the recent applications."""
        applications = self.root / "applications"
        self.recent_files.clear()
        self.recent_apps.clear()
        apps: dict[str, None] = {}
        for path in paths:
            try:
                shown = path.resolve().relative_to(applications.resolve())
            except ValueError:
                shown = path
            else:
                apps[shown.parts[0]] = None
            item = QListWidgetItem(shown.as_posix(), self.recent_files)
            item.setData(PATH_ROLE, str(path))
            item.setToolTip(str(path))
        self.recent_apps.addItems([app for app in apps if (applications / app).is_dir()])
