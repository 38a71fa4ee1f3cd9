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


def click_margin(qtbot, editor, line: int) -> None:
    """A click in the symbol margin beside ``line`` (1-based), as a user sets a breakpoint."""
    from PySide6.QtCore import QPoint, Qt

    from desktop.editor.code_editor import LINE_NUMBER_MARGIN

    y = editor.pointYFromPosition(editor.positionFromLine(line - 1)) + editor.textHeight(0) // 2
    x = editor.marginWidthN(LINE_NUMBER_MARGIN) + 4
    qtbot.mouseClick(editor.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
