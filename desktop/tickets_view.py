"""The error tickets of one application: a list kept current, and the selected ticket in detail.

New tickets show up by themselves: a ``QFileSystemWatcher`` reacts to changes of the errors
folder at once, and a slow poll of the folder listing covers a folder that did not exist yet or
an event the watcher missed. Each change reads only the tickets that appeared
(:class:`server.manage.tickets.TicketListing`), on a worker thread, and the list gains and loses
just those rows. Double-clicking a frame asks the main window to open that file at that line
(``openFileRequested``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from desktop.dialogs import Ask
from desktop.list_panel import build_list_panel, time_text
from desktop.workers import SingleRead, run_in_background
from server.manage import tickets
from server.manage.tickets import TicketListing, TicketSummary

POLL_MS = 2000
SIZE_SAMPLE_ROWS = 100
FRAME_ROLE = Qt.ItemDataRole.UserRole
ID_ROLE = Qt.ItemDataRole.UserRole + 1
TIME_ROLE = Qt.ItemDataRole.UserRole + 2



def _folder_signature(folder: Path) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


class TicketsView(QWidget):
    """Per-app tickets: time, error type, message, URL (newest first) and a detail pane.

    ``confirm`` is an attribute so tests and callers can replace the modal question.
    """

    openFileRequested = Signal(Path, int)
    listUpdated = Signal()  # the list shows the errors folder as it was just read

    def __init__(self, root: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.application: str | None = None
        self._listing: TicketListing | None = None
        self._read = SingleRead()  # of the errors folder, on a worker
        self._reveal_near: float | None = None  # a request's time: select its ticket once listed
        self.confirm: Callable[[str], bool] = lambda question: Ask(self).confirm("Tickets", question)
        self._signature: frozenset[str] = frozenset()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.directoryChanged.connect(lambda _path: self.refresh())
        self.poll_timer = QTimer(self, interval=POLL_MS, timeout=self.refresh_if_changed)
        self._build()
        self.set_application(None)

    # -- construction --

    def _build(self) -> None:
        self.status_label, self.list = build_list_panel(
            self, "Tickets", ["Time", "Error", "Message", "URL"], self._ticket_chosen,
            self._detail_tabs, self._button_row)
        # Column widths from the first rows, not all 2,000: the widths are alike.
        self.list.header().setResizeContentsPrecision(SIZE_SAMPLE_ROWS)

    def _detail_tabs(self) -> QTabWidget:
        self.details = QTabWidget(self)
        self.details.setAccessibleName("Ticket details")
        self.traceback_text = QPlainTextEdit(self, readOnly=True)
        self.traceback_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.traceback_text.setAccessibleName("Traceback")
        self.frames_tree = QTreeWidget(self)
        self.frames_tree.setHeaderLabels(["Frame / name", "Value"])
        self.frames_tree.setAccessibleName("Frames: double-click to open the file at the line")
        self.frames_tree.itemActivated.connect(self._frame_activated)
        self.request_tree = QTreeWidget(self)
        self.request_tree.setHeaderLabels(["Request", "Value"])
        self.request_tree.setAccessibleName("Request snapshot")
        self.details.addTab(self.frames_tree, "&Frames")
        self.details.addTab(self.traceback_text, "&Traceback")
        self.details.addTab(self.request_tree, "Re&quest")
        return self.details

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.refresh_button = QPushButton("&Refresh", self, clicked=self.refresh)
        self.refresh_button.setAccessibleName("Refresh tickets")
        self.delete_button = QPushButton("&Delete ticket", self, clicked=self.delete_selected)
        self.delete_all_button = QPushButton("Delete &all", self, clicked=self.delete_all)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        row.addWidget(self.delete_button)
        row.addWidget(self.delete_all_button)
        return row

    # -- application and list --

    @property
    def app_folder(self) -> Path | None:
        return self.root / "applications" / self.application if self.application else None

    def set_application(self, name: str | None) -> None:
        self.list.clear()  # before the name changes: no late selection reads the new folder
        self.application = name
        self._listing = TicketListing(self.app_folder) if name else None
        self._watch()
        self.refresh()

    def _watch(self) -> None:
        watched = self.watcher.directories()
        if watched:
            self.watcher.removePaths(watched)
        if self.app_folder is None:
            self.poll_timer.stop()
            return
        errors = self.app_folder / tickets.ERRORS_FOLDER
        if errors.is_dir():
            self.watcher.addPath(str(errors))
        self.poll_timer.start()

    def refresh_if_changed(self) -> None:
        """The poll: reload only when the errors folder's listing changed."""
        if self.app_folder is None:
            return
        if not self.watcher.directories():
            self._watch()
        if _folder_signature(self.app_folder / tickets.ERRORS_FOLDER) != self._signature:
            self.refresh()

    def refresh(self) -> None:
        """Bring the list up to date: rows for new tickets, none for deleted ones (off the GUI
        thread; a change while reading reads once more afterwards)."""
        if self._listing is None:
            self._signature = frozenset()
            self.list.clear()
            self.status_label.setText("No application selected.")
            self._show_ticket(None)
            self._update_actions()
            self.listUpdated.emit()
            return
        if not self._read.start():
            return
        listing = self._listing
        self._signature = _folder_signature(self.app_folder / tickets.ERRORS_FOLDER)
        run_in_background(listing.changes, owner=self,
                          on_success=lambda changes: self._apply_changes(listing, *changes),
                          on_failure=lambda message: self._listing_failed(listing, message))

    def _apply_changes(self, listing: TicketListing, added: list[TicketSummary],
                       removed: list[str]) -> None:
        again = self._read.finish()
        if listing is not self._listing:  # another app was chosen meanwhile
            self.refresh()
            return
        gone = set(removed)
        for index in reversed(range(self.list.topLevelItemCount())):
            if self.list.topLevelItem(index).data(0, ID_ROLE) in gone:
                self.list.takeTopLevelItem(index)
        if self.list.topLevelItemCount() == 0:  # the first listing: all at once, quickly
            self.list.addTopLevelItems([self._summary_item(summary) for summary in added])
        else:
            for position, summary in enumerate(added):  # newest first, above the older ones
                self.list.insertTopLevelItem(self._position_for(summary, position),
                                             self._summary_item(summary))
        if added or removed or not listing.listed_once:  # else keep e.g. "Deleted 3 tickets"
            listing.listed_once = True
            self.status_label.setText(f"{self.list.topLevelItemCount()} ticket(s) of "
                                      f"{self.application}")
        if added:
            for column in (0, 1):
                self.list.resizeColumnToContents(column)
        self._update_actions()
        if again:
            self.refresh()
            return
        if self._reveal_near is not None:
            self._select_nearest(self._reveal_near)
        self.listUpdated.emit()

    def reveal_ticket_near(self, when: float) -> None:
        """Select the ticket written closest to ``when`` (a failed request's time), once the
        list is up to date."""
        self._reveal_near = when
        self.refresh()

    def _select_nearest(self, when: float) -> None:
        self._reveal_near = None
        items = [self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount())]
        if items:
            stamp = datetime.fromtimestamp(when)
            self.list.setCurrentItem(min(items, key=lambda item: abs(
                (item.data(0, TIME_ROLE) - stamp).total_seconds())))
            self.list.setFocus()

    def _position_for(self, summary: TicketSummary, at_least: int) -> int:
        """Where a new ticket goes so the list stays newest first."""
        stamp = time_text(summary.time)
        index = at_least
        while index < self.list.topLevelItemCount() and self.list.topLevelItem(index).text(0) > stamp:
            index += 1
        return index

    def _listing_failed(self, listing: TicketListing, message: str) -> None:
        self._read.finish()
        if listing is self._listing:
            self.status_label.setText(f"Could not read the tickets: {message}")

    @staticmethod
    def _summary_item(summary: TicketSummary) -> QTreeWidgetItem:
        item = QTreeWidgetItem([time_text(summary.time), summary.error_type,
                                summary.message.splitlines()[0] if summary.message else "",
                                summary.url])
        item.setData(0, ID_ROLE, summary.id)
        item.setData(0, TIME_ROLE, summary.time)
        item.setToolTip(2, summary.message)
        return item

    def selected_ticket_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(0, ID_ROLE) if item is not None else None

    def _ticket_chosen(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        self._show_ticket(item.data(0, ID_ROLE) if item is not None else None)
        self._update_actions()

    # -- detail --

    def _show_ticket(self, ticket_id: str | None) -> None:
        self.traceback_text.clear()
        self.frames_tree.clear()
        self.request_tree.clear()
        if ticket_id is None or self.app_folder is None:  # a selection outliving its app
            return
        try:
            ticket = tickets.load_ticket(self.app_folder, ticket_id)
        except (OSError, ValueError) as error:
            self.traceback_text.setPlainText(f"This ticket cannot be read: {error}")
            return
        self.traceback_text.setPlainText(str(ticket.get("traceback", "")))
        for frame in ticket.get("frames") or []:
            self.frames_tree.addTopLevelItem(self._frame_item(frame))
        self._fill_request(ticket.get("request") or {})
        last = self.frames_tree.topLevelItem(self.frames_tree.topLevelItemCount() - 1)
        if last is not None:
            last.setExpanded(True)

    def _frame_item(self, frame: dict) -> QTreeWidgetItem:
        """Frame row: ``file:line in function``; children: the code around the line, locals."""
        filename, line = str(frame.get("filename", "")), int(frame.get("line") or 0)
        item = QTreeWidgetItem([f"{Path(filename).name}:{line} in {frame.get('function', '')}",
                                filename])
        item.setData(0, FRAME_ROLE, (filename, line))
        code = QTreeWidgetItem(["Code", ""])
        for number, text in frame.get("context") or []:
            marker = "→" if number == line else " "
            child = QTreeWidgetItem([f"{marker} {number}", text])
            child.setFont(1, QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
            if number == line:
                child.setFont(0, QFont(child.font(0).family(), weight=QFont.Weight.Bold))
            code.addChild(child)
        local_values = QTreeWidgetItem(["Locals", ""])
        for name, value in (frame.get("locals") or {}).items():
            child = QTreeWidgetItem([str(name), str(value)])
            child.setToolTip(1, str(value))
            local_values.addChild(child)
        item.addChildren([code, local_values])
        code.setExpanded(True)
        return item

    def _fill_request(self, request: dict) -> None:
        for key, value in request.items():
            item = QTreeWidgetItem([str(key), "" if isinstance(value, dict) else str(value)])
            if isinstance(value, dict):
                item.addChildren([QTreeWidgetItem([str(k), str(v)]) for k, v in value.items()])
                item.setExpanded(True)
            self.request_tree.addTopLevelItem(item)

    def _frame_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        """Any row of a frame (its code or locals too) opens that frame's file at its line."""
        while item.parent() is not None:
            item = item.parent()
        filename, line = item.data(0, FRAME_ROLE)
        if filename:
            self.openFileRequested.emit(Path(filename), line)

    # -- deleting --

    def delete_selected(self) -> None:
        ticket_id = self.selected_ticket_id()
        if ticket_id is None or not self.confirm(f"Delete ticket {ticket_id}?"):
            return
        tickets.delete_ticket(self.app_folder, ticket_id)
        self.list.takeTopLevelItem(self.list.indexOfTopLevelItem(self.list.currentItem()))
        self.status_label.setText(f"Deleted ticket {ticket_id}.")
        self._update_actions()

    def delete_all(self) -> None:
        count = self.list.topLevelItemCount()
        if self.app_folder is None or not count:
            return
        if not self.confirm(f"Delete all {count} ticket(s) of {self.application}?"):
            return
        removed = tickets.delete_all_tickets(self.app_folder)
        self.list.clear()
        self._update_actions()
        self.status_label.setText(f"Deleted {removed} ticket(s) of {self.application}.")

    def _update_actions(self) -> None:
        self.delete_button.setEnabled(self.selected_ticket_id() is not None)
        self.delete_all_button.setEnabled(self.list.topLevelItemCount() > 0)
        self.refresh_button.setEnabled(self.application is not None)
