"""The plugins of the selected application: list them with their files, pack one to
``web2py.plugin.<name>.w2p``, install one from such an archive (:mod:`server.manage.app_plugins`
checks it as app installs are checked, and refuses files outside the plugin)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from server.manage import app_plugins
from server.manage.app_folders import AppError


def choose_folder(parent: QWidget) -> Path | None:
    folder = QFileDialog.getExistingDirectory(parent, "Pack the plugin into which folder?")
    return Path(folder) if folder else None


def choose_archive(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Install which plugin?", "",
                                          "web2py plugins (*.w2p);;All files (*)")
    return Path(name) if name else None


class PluginsDialog(QDialog):
    def __init__(self, root: Path, ask, selected_app: Callable[[], str | None],
                 changed: Callable[[], None] = lambda: None,
                 pick_folder: Callable[[QWidget], Path | None] = choose_folder,
                 pick_archive: Callable[[QWidget], Path | None] = choose_archive,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.ask = ask
        self.selected_app = selected_app
        self.changed = changed
        self.pick_folder, self.pick_archive = pick_folder, pick_archive
        self.app: str | None = None
        self.setObjectName("plugins_dialog")
        self.resize(640, 420)
        self.plugins = QListWidget()
        self.plugins.setAccessibleName("Plugins of the application")
        self.plugins.currentTextChanged.connect(self._show_files)
        self.files = QListWidget()
        self.files.setAccessibleName("Files of the selected plugin")
        self.pack_button = QPushButton("&Pack as .w2p…", clicked=self.pack_selected)
        self.install_button = QPushButton("&Install a plugin…", clicked=self.install)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Plugins status")
        self._layout()

    def _layout(self) -> None:
        plugins_label = QLabel("P&lugins:")
        plugins_label.setBuddy(self.plugins)
        files_label = QLabel("&Files:")
        files_label.setBuddy(self.files)
        lists = QHBoxLayout()
        for label, widget in ((plugins_label, self.plugins), (files_label, self.files)):
            column = QVBoxLayout()
            column.addWidget(label)
            column.addWidget(widget)
            lists.addLayout(column)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pack_button)
        buttons.addWidget(self.install_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(lists, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(close)

    def open_selected(self) -> None:
        """The menu's entry: the plugins of the application selected in the tree."""
        self.open_for(self.selected_app())

    def open_for(self, app: str | None) -> None:
        if app is None:
            self.ask.error("Plugins", "Select an application in the tree first.")
            return
        self.app = app
        self.setWindowTitle(f"Plugins of {app}")
        self.status.clear()
        self.refresh()
        self.show()
        self.raise_()
        self.plugins.setFocus()

    def refresh(self) -> None:
        self.found = app_plugins.list_plugins(self.root, self.app)
        self.plugins.clear()
        self.plugins.addItems(list(self.found))
        if self.found:
            self.plugins.setCurrentRow(0)
        else:
            self.files.clear()
            self.status.setText(f"{self.app} has no plugins (files named plugin_<name> in "
                                "models, controllers, views, static, modules…).")
        self.pack_button.setEnabled(bool(self.found))

    def _show_files(self, name: str) -> None:
        self.files.clear()
        self.files.addItems(self.found.get(name, []))

    def pack_selected(self) -> Path | None:
        name = self.plugins.currentItem().text() if self.plugins.currentItem() else None
        folder = self.pick_folder(self) if name else None
        if folder is None:
            return None
        try:
            archive = app_plugins.pack_plugin(self.root, self.app, name, folder)
        except (AppError, OSError) as exc:
            self.ask.error("Pack plugin", str(exc))
            return None
        self.status.setText(f"Packed {name} into {archive}.")
        return archive

    def install(self) -> str | None:
        archive = self.pick_archive(self)
        if archive is None:
            return None
        try:
            name = app_plugins.install_plugin(self.root, self.app, archive)
        except (AppError, OSError) as exc:
            self.ask.error("Install plugin", f"{archive.name} was not installed: {exc}")
            return None
        self.refresh()
        self.status.setText(f"Installed the plugin {name} into {self.app}.")
        self.changed()
        return name
