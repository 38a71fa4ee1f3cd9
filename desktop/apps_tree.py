"""The applications tree: ``applications/<app>/<folder>/<files>`` and what can be done to them.

Only the folders a developer edits are shown (models, controllers, views, …); runtime folders
such as databases and sessions have their own panels. The tree follows the disk through a
QFileSystemWatcher, debounced so a burst of changes (an install) reloads it once.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem

from desktop import icons
from desktop.job_progress import JobProgress
from desktop.workers import run_in_background
from server.manage import app_cleaning, app_compiling, apps
from server.manage.progress import Progress

APP_FOLDERS = ("models", "controllers", "views", "languages", "static", "modules", "private",
               "cron")
HIDDEN_NAMES = ("__pycache__",)
PATH_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
REFRESH_DELAY_MS = 250


# Errors whose message is fit for the user: shown in a dialog, never a crash.
USER_ERRORS = (apps.AppError, OSError)


class AppsTree(QTreeWidget):
    openFileRequested = Signal(Path, int)
    applicationSelected = Signal(object)
    statusMessage = Signal(str)
    operationFinished = Signal(str)
    operationFailed = Signal(str)
    pathMoved = Signal(Path, object)  # old path, new path (None once deleted)

    def __init__(self, root: Path, ask, parent=None):
        super().__init__(parent)
        self.root = Path(root)
        self.ask = ask
        self.setHeaderHidden(True)
        self.setAccessibleName("Applications")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.itemActivated.connect(self._activate)
        self.currentItemChanged.connect(self._current_changed)
        self.watcher = QFileSystemWatcher(self)
        self.refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self.refresh_timer.timeout.connect(self.refresh)
        self.watcher.directoryChanged.connect(lambda _path: self.refresh_timer.start())
        self._current_app: str | None = None
        # Asked before a rename or delete: may the files under this path be let go of?
        # The window answers False while an editor holds unsaved changes there.
        self.release_path: Callable[[Path], bool] = lambda path: True
        self.progress = JobProgress("Pack and install")  # the window shows it under the tree
        self.refresh()

    @property
    def applications_folder(self) -> Path:
        return self.root / "applications"

    # -- reading the disk -----------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload from disk, keeping expanded folders, the current item and the scroll place."""
        expanded = {str(path) for path in self._expanded_paths()}
        current = self.selected_path()
        scrolled = self.verticalScrollBar().value()
        self.clear()
        folders = [self.applications_folder]
        for app in application_folders(self.applications_folder):
            folders += self._add_application(app)
        self._restore(expanded, current)
        self.verticalScrollBar().setValue(scrolled)
        self._watch(folders)

    def _add_application(self, app: Path) -> list[Path]:
        item = self._item(self, app, "app")
        folders = [app]
        for name in APP_FOLDERS:
            if (app / name).is_dir():
                folders += self._add_folder(item, app / name)
        return folders

    def _add_folder(self, parent: QTreeWidgetItem, folder: Path) -> list[Path]:
        item = self._item(parent, folder, "folder")
        folders = [folder]
        for child in sorted_entries(folder):
            if child.is_dir():
                folders += self._add_folder(item, child)
            else:
                self._item(item, child, "file")
        return folders

    def _item(self, parent, path: Path, kind: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [path.name])
        item.setData(0, PATH_ROLE, str(path))
        item.setData(0, KIND_ROLE, kind)
        depth = len(path.relative_to(self.applications_folder).parts) - 1
        item.setIcon(0, icons.icon(icons.tree_icon_name(path, kind, depth)))
        item.setToolTip(0, str(path.relative_to(self.applications_folder)))
        return item

    def _watch(self, folders: list[Path]) -> None:
        watched = self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)
        existing = [str(folder) for folder in folders if folder.is_dir()]
        if existing:
            self.watcher.addPaths(existing)

    def _expanded_paths(self):
        for item in self._all_items():
            if item.isExpanded():
                yield Path(item.data(0, PATH_ROLE))

    def _restore(self, expanded: set[str], current: Path | None) -> None:
        for item in self._all_items():
            if item.data(0, PATH_ROLE) in expanded:
                item.setExpanded(True)
        if current is not None:
            self.select_path(current)

    def _all_items(self):
        stack = [self.topLevelItem(index) for index in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            yield item
            stack.extend(item.child(index) for index in range(item.childCount()))

    # -- selection ------------------------------------------------------------------------------

    def select_path(self, path: Path) -> bool:
        """Make the item for ``path`` current (expanding its parents); False if not shown."""
        for item in self._all_items():
            if item.data(0, PATH_ROLE) == str(path):
                parent = item.parent()
                while parent is not None:
                    parent.setExpanded(True)
                    parent = parent.parent()
                self.setCurrentItem(item)
                return True
        return False

    def selected_path(self) -> Path | None:
        item = self.currentItem()
        return Path(item.data(0, PATH_ROLE)) if item is not None else None

    def selected_kind(self) -> str | None:
        item = self.currentItem()
        return item.data(0, KIND_ROLE) if item is not None else None

    def selected_app(self) -> str | None:
        item = self.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        return item.text(0) if item is not None else None

    def _current_changed(self, *_items) -> None:
        app = self.selected_app()
        if app != self._current_app:
            self._current_app = app
            self.applicationSelected.emit(app)

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        if item.data(0, KIND_ROLE) == "file":
            self.openFileRequested.emit(Path(item.data(0, PATH_ROLE)), 0)

    # -- operations -----------------------------------------------------------------------------

    def new_application(self) -> None:
        answer = self.ask.new_application(
            apps.starting_points(self.root),
            check=lambda answer: self._problem(apps.new_app_folder, self.root, answer[0]))
        if not answer:
            return
        name, start_from = answer
        if self._run("New application", apps.create_app, self.root, name, start_from):
            self._after_change(self.applications_folder / name, f"Created application {name}.")

    def new_file(self) -> None:
        app = self._require_app("New file")
        answer = self.ask.new_file(app) if app else None
        if not answer:
            return
        kind, name = answer
        path = self._run("New file", apps.new_file, self.root, app, kind, name)
        if path:
            self._after_change(Path(path), f"Created {Path(path).name} in {app}.")
            self.openFileRequested.emit(Path(path), 0)

    def rename_selected(self) -> None:
        kind, path = self.selected_kind(), self.selected_path()
        if kind not in ("app", "file"):
            self.ask.error("Rename", "Select an application or a file to rename.")
            return
        new_name = self.ask.text("Rename", f"New name for {path.name}:", path.name)
        if not new_name or new_name == path.name or not self.release_path(path):
            return
        if kind == "app":
            done = self._run("Rename", apps.rename_app, self.root, path.name, new_name)
        else:
            done = self._run("Rename", apps.rename_file, self.root, path, new_name)
        self.pathMoved.emit(path, path if done is None else path.with_name(new_name))
        if done is not None:
            self._after_change(path.with_name(new_name), f"Renamed {path.name} to {new_name}.")

    def delete_selected(self) -> None:
        kind, path = self.selected_kind(), self.selected_path()
        if kind not in ("app", "file"):
            self.ask.error("Delete", "Select an application or a file to delete.")
            return
        what = f"the application {path.name} and all its files" if kind == "app" else path.name
        if not self.ask.confirm("Delete", f"Delete {what}? This cannot be undone."):
            return
        if not self.release_path(path):
            return
        if kind == "app":
            done = self._run("Delete", apps.delete_app, self.root, path.name)
        else:
            done = self._run("Delete", apps.delete_file, self.root, path)
        self.pathMoved.emit(path, path if done is None else None)
        if done is not None:
            self._after_change(None, f"Deleted {path.name}.")

    def pack_selected(self) -> None:
        app = self._require_app("Pack")
        suggested = self.root / apps.default_archive_name(app) if app else None
        options = self.ask.pack_options(app, suggested) if app else None
        if not options:
            return
        destination, include_databases = options
        progress = self._start_job(f"Packing {app}…")
        done = f"Packed {app} to {destination}."
        run_in_background(
            functools.partial(apps.pack_app, progress=progress),
            self.root, app, destination, include_databases,
            on_success=lambda _result: self._background_done(None, done),
            on_failure=lambda message: self._background_failed(
                "Pack", message, "Packing cancelled: no archive was written."),
        )

    def install_archive(self) -> None:
        options = self.ask.install_options(
            check=lambda answer: self._problem(apps.new_app_folder, self.root, *answer[1:]),
            suggest_name=lambda stem: apps.unused_app_name(self.root, stem))
        if not options:
            return
        archive, name, overwrite = options
        progress = self._start_job(f"Installing {archive.name} as {name}…")
        run_in_background(
            functools.partial(apps.install_app, progress=progress),
            self.root, name, archive, overwrite,
            on_success=lambda _result: self._background_done(
                self.applications_folder / name, f"Installed {name} from {archive.name}."),
            on_failure=lambda message: self._background_failed(
                "Install", message, f"Installing {name} cancelled: nothing was installed."),
        )

    def clean_selected(self) -> None:
        """web2py's "clean": count the app's sessions, tickets and cache files, ask, delete."""
        app = self._require_app("Clean")
        if app:
            run_in_background(
                app_cleaning.runtime_counts, self.root, app,
                on_success=lambda counts: self._confirm_clean(app, counts),
                on_failure=lambda message: self._background_failed("Clean", message))

    def _confirm_clean(self, app: str, counts: dict[str, int]) -> None:
        if not any(counts.values()):
            self._background_done(None, f"{app} has no sessions, tickets or cache files.")
            return
        if not self.ask.confirm("Clean", f"Delete {describe_runtime(counts)} of {app}? "
                                "Signed-in users of it will have to sign in again."):
            return
        run_in_background(
            app_cleaning.clean_app, self.root, app,
            on_success=lambda removed: self._background_done(
                None, f"Cleaned {app}: deleted {describe_runtime(removed)}."),
            on_failure=lambda message: self._background_failed("Clean", message))

    def compile_selected(self) -> None:
        """web2py's "compile": the app's byte-code written into its compiled/ folder. A view
        that does not compile can be left out, as web2py's admin offers (it then runs from
        its template)."""
        app = self._require_app("Compile")
        if app:
            self._compile(app, skip_failed_views=False)

    def _compile(self, app: str, skip_failed_views: bool) -> None:
        self.statusMessage.emit(f"Compiling {app}…")
        run_in_background(
            app_compiling.compile_app, self.root, app, skip_failed_views,
            on_success=lambda counts: self._tell("Compile", describe_compiled(app, counts)),
            on_failure=lambda message: self._compile_failed(app, message, skip_failed_views))

    def _compile_failed(self, app: str, message: str, skipped_views: bool) -> None:
        if skipped_views or not message.startswith("views/"):
            self._background_failed("Compile", f"{app} was not compiled: {message}")
        elif self.ask.confirm("Compile", f"{app} was not compiled: {message}\n\nCompile it "
                              "leaving out the views that do not compile? They run from their "
                              "templates."):
            self._compile(app, skip_failed_views=True)
        else:
            self.operationFailed.emit(message)

    def remove_compiled_selected(self) -> None:
        """Remove the app's compiled form (asking first when it holds the app's only code)."""
        app = self._require_app("Remove compiled")
        if app:
            run_in_background(
                app_compiling.only_compiled, self.root, app,
                on_success=lambda only: self._remove_compiled(app, bool(only)),
                on_failure=lambda message: self._background_failed("Remove compiled", message))

    def _remove_compiled(self, app: str, only_code: bool) -> None:
        if only_code and not self.ask.confirm(
                "Remove compiled", f"{app} has no controller sources beside its compiled form: "
                "removing it leaves the application without code. Remove it anyway?"):
            return
        run_in_background(
            app_compiling.remove_compiled, self.root, app,
            on_success=lambda removed: self._tell("Remove compiled", (
                f"Removed the compiled form of {app}: it runs from its sources again."
                if removed else f"{app} has no compiled form.")),
            on_failure=lambda message: self._background_failed("Remove compiled", message))

    # -- helpers --------------------------------------------------------------------------------

    def _require_app(self, title: str) -> str | None:
        app = self.selected_app()
        if app is None:
            self.ask.error(title, "Select an application in the tree first.")
        return app

    @staticmethod
    def _problem(function, *args) -> str | None:
        """What is wrong with calling ``function(*args)``, for a dialog to show, or None."""
        try:
            function(*args)
        except USER_ERRORS as exc:
            return str(exc) or type(exc).__name__
        return None

    def _run(self, title: str, function, *args):
        """Call an operation: its result (True when it returns nothing), or None after showing
        the user what went wrong."""
        try:
            result = function(*args)
        except USER_ERRORS as exc:
            self.ask.error(title, str(exc) or type(exc).__name__)
            return None
        return True if result is None else result

    def _after_change(self, select: Path | None, message: str) -> None:
        self.refresh()
        if select is not None:
            self.select_path(select)
        self.statusMessage.emit(message)

    def _start_job(self, text: str) -> Progress:
        """Pack and install show their bytes done in ``progress``, with Cancel."""
        self.statusMessage.emit(text)
        return self.progress.start(text, "bytes")

    def _background_done(self, select: Path | None, message: str) -> None:
        self.progress.finish()
        self._after_change(select, message)
        self.operationFinished.emit(message)

    def _tell(self, title: str, message: str) -> None:
        self._background_done(None, message)
        self.ask.info(title, message)

    def _background_failed(self, title: str, message: str, if_cancelled: str = "") -> None:
        cancelled = self.progress.progress is not None and self.progress.progress.cancelled
        self.progress.finish()
        if cancelled and if_cancelled:
            self.statusMessage.emit(if_cancelled)
        else:
            self.statusMessage.emit(f"{title} failed: {message}")
            self.ask.error(title, message)
        self.operationFailed.emit(if_cancelled if cancelled else message)


def describe_runtime(counts: dict[str, int]) -> str:
    """``{"sessions": 2, "errors": 1, "cache": 0}`` as "2 session(s), 1 ticket(s), 0 cache
    file(s)"."""
    words = {"sessions": "session(s)", "errors": "ticket(s)", "cache": "cache file(s)"}
    return ", ".join(f"{counts[kind]:,} {word}" for kind, word in words.items())


def describe_compiled(app: str, counts: app_compiling.CompiledCounts) -> str:
    skipped = f" ({len(counts.failed_views)} view(s) skipped)" if counts.failed_views else ""
    return (f"Compiled {app}: {counts.files:,} file(s), {counts.models:,} model(s), "
            f"{counts.functions:,} controller function(s) and {counts.views:,} view(s){skipped}. "
            "It runs from them now: edits to its sources take effect once it is compiled again "
            "or its compiled form removed.")


def application_folders(applications: Path) -> list[Path]:
    """The folders :func:`server.manage.apps.list_apps` recognises as applications."""
    return [applications / name for name in apps.list_apps(applications.parent)]


def sorted_entries(folder: Path) -> list[Path]:
    """Folders first, then files, by name; hidden files and caches left out."""
    try:
        entries = [path for path in folder.iterdir()
                   if not path.name.startswith(".") and path.name not in HIDDEN_NAMES
                   and path.suffix != ".pyc"]
    except OSError:
        return []
    return sorted(entries, key=lambda path: (not path.is_dir(), path.name.lower()))
