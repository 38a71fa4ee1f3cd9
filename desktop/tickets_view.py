"""Error tickets of the selected application."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class TicketsView(QWidget):
    """Error tickets panel (first version: the surface the main window embeds)."""

    openFileRequested = Signal(Path, int)

    def __init__(self, root: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.root = Path(root)
        self.application: str | None = None
        self.status_label = QLabel("No application selected.", self)
        self.status_label.setAccessibleName("Error tickets status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addStretch(1)

    def set_application(self, name: str | None) -> None:
        """Show the panel for application ``name`` (None clears it)."""
        self.application = name
        text = f"Error tickets of {name}" if name else "No application selected."
        self.status_label.setText(text)
