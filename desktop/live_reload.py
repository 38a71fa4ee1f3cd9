"""Live reload from the window: the server started here serves the live-reload script
(:mod:`server.hosting.live_reload`), and each file of an app changed, saved in the editor or
elsewhere (:mod:`server.hosting.live_reload_watch`), moves its app's change number on, which
reloads that app's open pages in the browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from server.hosting import ServerOptions
from server.hosting.live_reload import ChangeBoard, with_live_reload
from server.hosting.live_reload_watch import AppsWatcher


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
        self.watcher: AppsWatcher | None = None  # the running server's, once a page polls

    def app_factory(self, root: Path, options: ServerOptions):
        """What the server panel starts: the application with live reload for local pages,
        which watches the apps' files while pages are open."""
        self.watcher = AppsWatcher(Path(root) / "applications", self.board.changed)
        return with_live_reload(self.inner_factory(root, options), self.board, self.watcher)

    def toggle(self) -> None:
        """The Server menu's check box: turn live reload off (pages as served) or on again."""
        self.board.enabled = not self.board.enabled

    def file_saved(self, path: Path) -> None:
        """A save in the editor: the watcher looks now (so one save is one reload, as when
        another editor saved it); with no page open to watch for, the number moves on."""
        app = app_of(self.root, path)
        if app is None:
            return
        self.board.files_saved()  # the server looks at its files again before any reload
        if self.watcher is not None and self.watcher.running:
            self.watcher.look_now()
        else:
            self.board.changed(app)
