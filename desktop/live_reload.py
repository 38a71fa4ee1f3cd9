"""Live reload from the window: the server started here serves the live-reload script
(:mod:`server.hosting.live_reload`), and each file saved in the editor moves its app's change
number on, which reloads that app's open pages in the browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from server.hosting import ServerOptions
from server.hosting.live_reload import ChangeBoard, with_live_reload


def app_of(root: Path, path: Path) -> str | None:
    """The app a file belongs to (``root/applications/<app>/...``), or None."""
    try:
        parts = Path(path).resolve().relative_to((Path(root) / "applications").resolve()).parts
    except ValueError:
        return None
    return parts[0] if len(parts) > 1 else None


class LiveReload:
    """Wraps the window's application factory and hears the editor's saves."""

    def __init__(self, root: Path, app_factory: Callable):
        self.root = Path(root)
        self.inner_factory = app_factory
        self.board = ChangeBoard()

    def app_factory(self, root: Path, options: ServerOptions):
        """What the server panel starts: the application with live reload for local pages."""
        return with_live_reload(self.inner_factory(root, options), self.board)

    def toggle(self) -> None:
        """The Server menu's check box: turn live reload off (pages as served) or on again."""
        self.board.enabled = not self.board.enabled

    def file_saved(self, path: Path) -> None:
        app = app_of(self.root, path)
        if app is not None:
            self.board.changed(app)
