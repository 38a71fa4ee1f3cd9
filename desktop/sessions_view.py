"""The sessions of one application: who has one, how old, how big, and what is in it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from pydal import DAL
from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.dialogs import Ask
from desktop.list_panel import build_list_panel, time_text
from desktop.workers import (
    SingleRead,
    close_database,
    is_in_memory,
    on_own_connection,
    run_in_background,
)
from server.manage.sessions import DatabaseSessions, SessionInfo, SessionSource, session_sources

ID_ROLE = Qt.ItemDataRole.UserRole
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_LIMIT = 500
MAX_DEPTH = 6
DEFAULT_MAX_AGE_MINUTES = 24 * 60
POLL_MS = 2000  # a database store has no file to watch; file stores are watched as well



def _short(value) -> str:
    try:
        text = repr(value)
    except Exception as error:  # a broken __repr__ in session data must not break the view
        text = f"<unrepresentable {type(value).__name__}: {error}>"
    return text if len(text) <= VALUE_LIMIT else text[:VALUE_LIMIT] + "…"


def _children_of(value):
    """``(key, child)`` pairs for values worth unfolding in the tree, else None."""
    if hasattr(value, "as_dict") and callable(value.as_dict):
        try:
            value = value.as_dict()
        except Exception:  # Row-like objects that cannot convert are shown as text
            return None
    if isinstance(value, Mapping):
        return [(str(key), child) for key, child in value.items()]
    if isinstance(value, (list, tuple, set)):
        return [(f"[{index}]", child) for index, child in enumerate(value)]
    return None


def value_item(key: str, value, depth: int = 0) -> QTreeWidgetItem:
    """A tree row for ``key``; containers unfold (to a depth limit), the rest show their repr."""
    children = _children_of(value) if depth < MAX_DEPTH else None
    if children is None:
        item = QTreeWidgetItem([key, _short(value)])
        item.setToolTip(1, item.text(1))
        return item
    item = QTreeWidgetItem([key, f"{type(value).__name__} ({len(children)})"])
    item.addChildren([value_item(name, child, depth + 1) for name, child in children])
    return item


def list_sources(sources: list[SessionSource], on_worker: bool = True) -> list:
    """Each store's sessions, or the message of why it could not be read. On a worker, a
    database store is read through a connection of its own, closed again after."""
    results: list = []
    for source in sources:
        try:
            if on_worker and isinstance(source, DatabaseSessions):
                results.append(on_own_connection(lambda _db, source=source: source.list(),
                                                 source.db))
            else:
                results.append(source.list())
        except Exception as error:  # e.g. the session table's database is locked or gone
            results.append(f"Could not read {source.label}: {error}")
    return results


class SessionsView(QWidget):
    """Per-app sessions list, the selected session's values, delete one or the expired ones.

    Sessions come from the app's files and, when it uses ``session.connect(..., db)``, from
    its session table. That is found in the app's databases: those handed to
    ``set_application`` (in the main window, the ones the database panel loaded, which it
    owns and closes), or else those of a run of the app's models here, closed again when
    another app is shown.

    ``confirm`` is an attribute so tests and callers can replace the modal question.
    """

    openFileRequested = Signal(Path, int)
    listUpdated = Signal()  # the list shows the stores as they were just read

    def __init__(self, root: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.application: str | None = None
        self.sources: list[SessionSource] = []
        self._opened_here: list[DAL] = []
        self.confirm: Callable[[str], bool] = lambda question: Ask(self).confirm("Sessions", question)
        self._read = SingleRead()
        self._shown: list | None = None  # what the list shows: one result per store
        self._note = ""
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self.refresh())
        self.poll_timer = QTimer(self, interval=POLL_MS, timeout=self.refresh)
        self._build()
        self.set_application(None)

    def _build(self) -> None:
        self.status_label, self.list = build_list_panel(
            self, "Sessions", ["Session", "Last modified", "Size (bytes)", "User id", "Stored in"],
            self._session_chosen, self._values_tree, self._button_row)

    def _values_tree(self) -> QTreeWidget:
        self.values_tree = QTreeWidget(self)
        self.values_tree.setHeaderLabels(["Key", "Value"])
        self.values_tree.setAccessibleName("Session values")
        return self.values_tree

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.refresh_button = QPushButton("&Refresh", self, clicked=self.refresh)
        self.refresh_button.setAccessibleName("Refresh sessions")
        self.delete_button = QPushButton("&Delete session", self, clicked=self.delete_selected)
        self.max_age_spin = QSpinBox(self)
        self.max_age_spin.setRange(1, 365 * 24 * 60)
        self.max_age_spin.setValue(DEFAULT_MAX_AGE_MINUTES)
        self.max_age_spin.setSuffix(" min")
        age_label = QLabel("Expire after (&minutes unused):", self)
        age_label.setBuddy(self.max_age_spin)
        self.delete_expired_button = QPushButton("Delete e&xpired", self,
                                                 clicked=self.delete_expired)
        for widget in (self.refresh_button, self.delete_button):
            row.addWidget(widget)
        row.addStretch(1)
        for widget in (age_label, self.max_age_spin, self.delete_expired_button):
            row.addWidget(widget)
        return row

    # -- application and list --

    def set_application(self, name: str | None,
                        databases: Mapping[str, DAL] | None = None) -> None:
        """Show ``name``'s sessions; ``databases``, its DALs if already loaded by the caller
        (who keeps closing them), spare running its models again."""
        self.application = name
        previous = self._opened_here
        self.sources = session_sources(self.root, name, databases) if name else []
        self._opened_here = [] if databases is not None else list(dict.fromkeys(
            source.db for source in self.sources if isinstance(source, DatabaseSessions)))
        for db in previous:  # connections of the app shown before, no longer needed
            close_database(db)
        self._watch()
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """Sessions change with every request: while the panel shows, new and changed ones
        show up by themselves (a file store is watched, a database store polled)."""
        super().showEvent(event)
        self.poll_timer.start()
        self.refresh()

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().hideEvent(event)
        self.poll_timer.stop()

    def _watch(self) -> None:
        watched = self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)
        folder = self.root / "applications" / self.application / "sessions" \
            if self.application else None
        if folder is not None and folder.is_dir():
            self.watcher.addPath(str(folder))

    def refresh(self, note: str = "") -> None:
        """Read every store's sessions off the GUI thread and show them where they changed;
        a change while reading reads once more afterwards. ``note`` (what was just done) is
        the status to show once the list is read."""
        self._note = note or self._note
        if self.application is None:
            self._shown = None
            self.list.clear()
            self.values_tree.clear()
            self.status_label.setText("No application selected.")
            self._update_actions()
            self.listUpdated.emit()
            return
        if not self._read.start():
            return
        sources = self.sources
        if any(isinstance(source, DatabaseSessions) and is_in_memory(source.db)
               for source in sources):  # bound to this thread: read here
            self._listed(sources, list_sources(sources, on_worker=False))
            return
        run_in_background(list_sources, sources, owner=self,
                          on_success=lambda results: self._listed(sources, results),
                          on_failure=lambda message: self._listed(sources, [message]))

    def _listed(self, sources: list[SessionSource], results: list) -> None:
        if self._read.finish() or sources is not self.sources:  # stale: changes, another app
            self.refresh()
            return
        if results != self._shown:
            self._shown = results
            self._show(results)
        if self._note:
            self.status_label.setText(self._note)
            self._note = ""
        self._update_actions()
        self.listUpdated.emit()

    def _show(self, results: list) -> None:
        """Rebuild the list from ``results`` (one per store), keeping the selected session."""
        selected = self.selected_session_id()
        self.list.clear()
        self.values_tree.clear()
        problems = []
        for index, result in enumerate(results):
            if isinstance(result, str):
                problems.append(result)
                continue
            label = self.sources[index].label
            self.list.addTopLevelItems([self._info_item(info, index, label) for info in result])
        count = self.list.topLevelItemCount()
        stores = ", ".join(source.label for source in self.sources)
        text = f"{count} session(s) of {self.application} (stored in {stores})"
        self.status_label.setText(" ".join([text, *problems]))
        self._select(selected)

    @staticmethod
    def _info_item(info: SessionInfo, source_index: int, label: str) -> QTreeWidgetItem:
        user = "" if info.user_id is None else str(info.user_id)
        item = QTreeWidgetItem([info.id, time_text(info.modified),
                                str(info.size), user, label])
        item.setData(0, ID_ROLE, info.id)
        item.setData(0, SOURCE_ROLE, source_index)
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight)
        return item

    def _select(self, session_id: str | None) -> None:
        for index in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            if item.data(0, ID_ROLE) == session_id:
                self.list.setCurrentItem(item)
                return

    def selected_session_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def _selected_source(self) -> SessionSource | None:
        item = self.list.currentItem()
        return self.sources[item.data(0, SOURCE_ROLE)] if item is not None else None

    def _session_chosen(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        self.values_tree.clear()
        self._update_actions()
        if item is None:
            return
        try:
            data = self._selected_source().read(item.data(0, ID_ROLE))
        except (OSError, ValueError, KeyError) as error:
            self.status_label.setText(f"This session cannot be read: {error}")
            return
        self.values_tree.addTopLevelItems([value_item(str(k), v) for k, v in data.items()])
        self.values_tree.expandToDepth(1)

    # -- deleting --

    def delete_selected(self) -> None:
        session_id = self.selected_session_id()
        if session_id is None or not self.confirm(f"Delete session {session_id}?"):
            return
        try:
            self._selected_source().delete(session_id)
        except Exception as error:  # file or database refused; the list stays as it was
            self.status_label.setText(f"Could not delete the session: {error}")
            return
        self.refresh(f"Deleted session {session_id}.")

    def delete_expired(self) -> None:
        if self.application is None:
            return
        minutes = self.max_age_spin.value()
        if not self.confirm(f"Delete the sessions of {self.application} unused for more "
                            f"than {minutes} minute(s)?"):
            return
        try:
            removed = sum(source.delete_expired(minutes * 60) for source in self.sources)
        except Exception as error:  # database refused: it rolled back, nothing half-done
            self.status_label.setText(f"Could not delete expired sessions: {error}")
            return
        self.refresh(f"Deleted {removed} expired session(s).")

    def _update_actions(self) -> None:
        self.delete_button.setEnabled(self.selected_session_id() is not None)
        for widget in (self.refresh_button, self.delete_expired_button, self.max_age_spin):
            widget.setEnabled(self.application is not None)
