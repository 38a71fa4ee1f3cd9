"""An application's databases, as its models define them, read off the GUI thread.

Selecting an app, saving one of its model files and Refresh all run the app's models again, the
way a request would, on a worker thread: a slow database server or a first migration never
freezes the window. The DALs found are announced by ``loaded``; the ones of the run before are
closed right after, once every panel has taken up the new ones. A later run overtakes an earlier
one still under way, whose DALs are closed unseen.
"""

from __future__ import annotations

from pathlib import Path

from pydal import DAL
from PySide6.QtCore import QObject, Signal

from desktop.workers import close_database, error_message, is_in_memory, run_in_background
from server.manage import dbinspect


def read_models(root: Path, name: str) -> dict[str, DAL]:
    """Run the app's models (on a worker thread) and let go of that thread's connections; the
    GUI thread opens its own on first use."""
    databases = dbinspect.app_databases(root, name)
    for db in {id(db): db for db in databases.values()}.values():
        try:
            db._adapter.close(action="commit")
        except Exception:  # a broken connection is dropped all the same
            pass
    return databases


class AppDatabases(QObject):
    """``load(name)``; then ``loaded(name, {name: DAL}, message)`` in the GUI thread."""

    loaded = Signal(object, object, str)

    def __init__(self, root: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.application: str | None = None
        self.databases: dict[str, DAL] = {}
        self._run = 0  # which run of the models is the latest; older answers are dropped

    def load(self, name: str | None) -> None:
        self.application = name
        self._run += 1
        if not name:
            self._announce(self._run, name, {}, "No application selected.")
            return
        run = self._run
        run_in_background(
            read_models, self.root, name, owner=self,
            on_success=lambda databases: self._read_elsewhere(run, name, databases),
            on_failure=lambda message: self._announce(run, name, {}, failure(name, message)))

    def reload(self) -> None:
        self.load(self.application)

    def cancel(self) -> None:
        """Stop waiting for the models under way (a slow database, a first migration): their
        answer is dropped, their connections closed. Python cannot stop the models themselves,
        so they run to their end on the worker."""
        self._run += 1
        name = self.application
        self._announce(self._run, name, {}, f"Reading the models of {name} was cancelled: no "
                       "database is shown. Refresh reads them again.")

    def is_model_file(self, path: Path) -> bool:
        """Whether ``path`` is under the shown app's models/ (so it may define tables)."""
        if self.application is None:
            return False
        models = self.root / "applications" / self.application / "models"
        return Path(path).resolve().is_relative_to(models.resolve())

    def _read_elsewhere(self, run: int, name: str, databases: dict[str, DAL]) -> None:
        if any(is_in_memory(db) for db in databases.values()):
            for db in databases.values():
                close_database(db)
            try:  # they exist only on the thread that made them: make them here
                databases = dbinspect.app_databases(self.root, name)
            except Exception as error:  # a broken model must not break the window
                self._announce(run, name, {}, failure(name, error_message(error)))
                return
        self._announce(run, name, databases,
                       f"Databases of {name}: {', '.join(databases) or 'no database'}")

    def _announce(self, run: int, name: str | None, databases: dict[str, DAL],
                  message: str) -> None:
        if run != self._run:  # a later selection or save overtook this one
            for db in databases.values():
                close_database(db)
            return
        previous, self.databases = self.databases, dict(databases)
        self.loaded.emit(name, dict(databases), message)
        kept = list(self.databases.values())
        for db in previous.values():  # connections of the models read before, no longer needed
            if db not in kept:
                close_database(db)


def failure(name: str, message: str) -> str:
    return f"Could not load the models of {name}: {message}"
