"""Small helpers shared by the editor tests."""

from PySide6.QtWidgets import QWidget


def show_focused(qtbot, widget: QWidget, focus: QWidget | None = None) -> None:
    """Show ``widget`` as the active window with keyboard focus on ``focus`` (or itself),
    so key clicks and window shortcuts reach it as they would for a user."""
    with qtbot.waitExposed(widget):
        widget.show()
    widget.activateWindow()
    QWidget.setFocus(focus or widget)
    qtbot.waitUntil(lambda: (focus or widget).hasFocus())
