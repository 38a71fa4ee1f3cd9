"""The layout the tickets and sessions panels share: a status line, a list of items over the
selected item's details, and a row of buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QSplitter, QTreeWidget, QVBoxLayout, QWidget


def build_list_panel(panel: QWidget, name: str, headers: list[str],
                     on_current_changed: Callable, details: QWidget,
                     buttons: QLayout) -> tuple[QLabel, QTreeWidget]:
    """Lay ``panel`` out and return its status label and its list (named ``name``)."""
    layout = QVBoxLayout(panel)
    status_label = QLabel(panel, wordWrap=True)
    status_label.setAccessibleName(f"{name} status")
    layout.addWidget(status_label)
    splitter = QSplitter(Qt.Orientation.Vertical, panel)
    items = QTreeWidget(panel)
    items.setHeaderLabels(headers)
    items.setRootIsDecorated(False)
    items.setAccessibleName(name)
    items.currentItemChanged.connect(on_current_changed)
    splitter.addWidget(items)
    splitter.addWidget(details)
    layout.addWidget(splitter, 1)
    layout.addLayout(buttons)
    return status_label, items
