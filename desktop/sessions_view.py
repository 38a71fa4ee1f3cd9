"""The sessions of one application: who has one, how old, how big, and what is in it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from pydal import DAL
from PySide6.QtCore import Qt, Signal
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
from desktop.list_panel import build_list_panel
from desktop.workers import close_database
from server.manage.sessions import DatabaseSessions, SessionInfo, SessionSource, session_sources

ID_ROLE = Qt.ItemDataRole.UserRole
SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1
VALUE_LIMIT = 500
MAX_DEPTH = 6
DEFAULT_MAX_AGE_MINUTES = 24 * 60



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

    def __init__(self, root: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.application: str | None = None
        self.sources: list[SessionSource] = []
        self._opened_here: list[DAL] = []
        self.confirm: Callable[[str], bool] = lambda question: Ask(self).confirm("Sessions", question)
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
        self.refresh()

    def showEvent(self, event) -> None:
        """Sessions change with every request; show the current ones whenever the panel shows."""
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_session_id()
        self.list.clear()
        self.values_tree.clear()
        if self.application is None:
            self.status_label.setText("No application selected.")
        else:
            problems = [self._add_items(index) for index in range(len(self.sources))]
            count = self.list.topLevelItemCount()
            stores = ", ".join(source.label for source in self.sources)
            text = f"{count} session(s) of {self.application} (stored in {stores})"
            self.status_label.setText(" ".join([text, *filter(None, problems)]))
            self._select(selected)
        self._update_actions()

    def _add_items(self, source_index: int) -> str | None:
        """List one store's sessions; a store that cannot be read is reported, not raised."""
        source = self.sources[source_index]
        try:
            infos = source.list()
        except Exception as error:  # e.g. the session table's database is locked or gone
            return f"Could not read {source.label}: {error}"
        for info in infos:
            self.list.addTopLevelItem(self._info_item(info, source_index, source.label))
        return None

    @staticmethod
    def _info_item(info: SessionInfo, source_index: int, label: str) -> QTreeWidgetItem:
        user = "" if info.user_id is None else str(info.user_id)
        item = QTreeWidgetItem([info.id, info.modified.strftime("%Y-%m-%d %H:%M:%S"),
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
        self.refresh()
        self.status_label.setText(f"Deleted session {session_id}.")

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
        self.refresh()
        self.status_label.setText(f"Deleted {removed} expired session(s).")

    def _update_actions(self) -> None:
        self.delete_button.setEnabled(self.selected_session_id() is not None)
        for widget in (self.refresh_button, self.delete_expired_button, self.max_age_spin):
            widget.setEnabled(self.application is not None)
