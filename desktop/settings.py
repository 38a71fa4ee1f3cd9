"""Portable settings: ``pocketweb.ini`` inside the root folder, never the home directory.

The root travels on a USB stick with its applications, so the window's geometry, the last host
and port, the open files and the theme travel with it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

FILE_NAME = "pocketweb.ini"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
THEMES = ("light", "dark")
MAX_RECENT_FILES = 10


class Settings:
    """Typed access to the ini file; values that are missing or garbled fall back to defaults."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.path = self.root / FILE_NAME
        self._store = QSettings(str(self.path), QSettings.Format.IniFormat)

    @property
    def host(self) -> str:
        return str(self._store.value("server/host", DEFAULT_HOST)) or DEFAULT_HOST

    @host.setter
    def host(self, value: str) -> None:
        self._store.setValue("server/host", value)

    @property
    def port(self) -> int:
        try:
            port = int(self._store.value("server/port", DEFAULT_PORT))
        except (TypeError, ValueError):
            return DEFAULT_PORT
        return port if 0 < port < 65536 else DEFAULT_PORT

    @port.setter
    def port(self, value: int) -> None:
        self._store.setValue("server/port", int(value))

    @property
    def theme(self) -> str:
        theme = str(self._store.value("window/theme", "light"))
        return theme if theme in THEMES else "light"

    @theme.setter
    def theme(self, value: str) -> None:
        self._store.setValue("window/theme", value)

    @property
    def geometry(self) -> QByteArray:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._store.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._store.setValue("window/state", value)

    @property
    def open_files(self) -> list[Path]:
        return self._paths("editor/open_files")

    def _paths(self, key: str) -> list[Path]:
        value = self._store.value(key, [])
        if isinstance(value, str):  # QSettings reads a one-item list back as a plain string
            value = [value]
        return [self.root / item for item in value or [] if item]

    @open_files.setter
    def open_files(self, paths) -> None:
        """Files inside the root are stored relative to it: the stick may mount elsewhere."""
        self._store.setValue("editor/open_files", [self._portable(path) for path in paths])

    @property
    def recent_files(self) -> list[Path]:
        """Files opened lately, newest first, that still exist."""
        return [path for path in self._paths("editor/recent_files") if path.is_file()]

    def add_recent_file(self, path: Path) -> list[Path]:
        """Put ``path`` first among the recent files; returns them."""
        path = Path(path).resolve()
        recent = [path, *(item for item in self.recent_files if item.resolve() != path)]
        recent = recent[:MAX_RECENT_FILES]
        self._store.setValue("editor/recent_files", [self._portable(item) for item in recent])
        return recent

    def _portable(self, path: Path) -> str:
        path, root = Path(path).resolve(), self.root.resolve()
        return path.relative_to(root).as_posix() if root in path.parents else str(path)

    def sync(self) -> None:
        """Write to disk now (QSettings otherwise writes lazily)."""
        self._store.sync()

    def _bytes(self, key: str) -> QByteArray:
        value = self._store.value(key)
        return value if isinstance(value, QByteArray) else QByteArray()
