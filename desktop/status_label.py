"""A label whose accessible name is what it shows, so screen readers read the current status."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class StatusLabel(QLabel):
    """``StatusLabel("Server status")``: reads "Server status: Running on http://…"."""

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.setWordWrap(True)
        self.setText("")

    def setText(self, text: str) -> None:  # noqa: N802 (Qt override)
        super().setText(text)
        self.setAccessibleName(f"{self.name}: {text}" if text else self.name)

    def clear(self) -> None:
        self.setText("")
