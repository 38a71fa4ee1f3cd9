"""The layout the tickets and sessions panels share: a status line, a list of items over the
selected item's details, and a row of buttons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QSplitter, QTreeWidget, QVBoxLayout, QWidget

from desktop.status_label import StatusLabel


def build_list_panel(panel: QWidget, name: str, headers: list[str],
                     on_current_changed: Callable, make_details: Callable[[], QWidget],
                     make_buttons: Callable[[], QLayout]) -> tuple[QLabel, QTreeWidget]:
    """Lay ``panel`` out and return its status label and its list (named ``name``).

    The details and buttons are made here, after the list: Tab follows the order widgets are
    made in, so it goes top to bottom as they are seen.
    """
    layout = QVBoxLayout(panel)
    status_label = StatusLabel(f"{name} status", panel)
    layout.addWidget(status_label)
    splitter = QSplitter(Qt.Orientation.Vertical, panel)
    items = QTreeWidget(panel)
    items.setHeaderLabels(headers)
    items.setRootIsDecorated(False)
    items.setAccessibleName(name)
    items.currentItemChanged.connect(on_current_changed)
    splitter.addWidget(items)
    splitter.addWidget(make_details())
    layout.addWidget(splitter, 1)
    layout.addLayout(make_buttons())
    return status_label, items


def time_text(moment: datetime) -> str:
    """``2026-01-01 10:00:00``, as strftime would give it, several times faster (a list of
    2,000 tickets spends its time there)."""
    return moment.isoformat(" ", "seconds")
