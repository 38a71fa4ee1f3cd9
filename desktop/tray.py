"""The tray icon: keeps Pocketweb (and its server) running while the window is minimised.

Its menu offers what one needs without the window: show it, open the site, quit.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon

ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The Pocketweb icon, drawn here so no image file has to travel with the program."""
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(_icon_pixmap(size))
    return icon


def _icon_pixmap(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor("#2b6cb0"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.2, size * 0.2)
    font = QFont("Sans Serif")
    font.setBold(True)
    font.setPixelSize(int(size * 0.7))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "P")
    painter.end()
    return pixmap


def tray_menu(window) -> QMenu:
    """Show, open in browser and quit, each calling the window's own handler."""
    menu = QMenu(window)
    for text, handler in (("&Show Pocketweb", window.show_from_tray),
                          ("Open in &browser", window.open_in_browser),
                          ("&Quit", window.quit_application)):
        action = QAction(text, menu)
        action.triggered.connect(lambda _checked=False, handler=handler: handler())
        menu.addAction(action)
    return menu


def create_tray(window) -> QSystemTrayIcon | None:
    """A visible tray icon for ``window``, or None where the desktop has no tray."""
    if not QSystemTrayIcon.isSystemTrayAvailable():
        return None
    tray = QSystemTrayIcon(window.windowIcon(), window)
    tray.setToolTip("Pocketweb")
    tray.setContextMenu(tray_menu(window))
    tray.activated.connect(lambda reason: _on_activated(window, reason))
    tray.show()
    return tray


def _on_activated(window, reason) -> None:
    if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                  QSystemTrayIcon.ActivationReason.DoubleClick):
        window.show_from_tray()
