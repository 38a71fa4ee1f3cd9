from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from desktop.tray import app_icon, create_tray, tray_menu


class Handlers(QWidget):
    """The three window handlers the tray menu calls, recording their calls."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def show_from_tray(self):
        self.calls.append("show")

    def open_in_browser(self):
        self.calls.append("browser")

    def quit_application(self):
        self.calls.append("quit")


def test_menu_offers_show_open_in_browser_and_quit(qtbot):
    window = Handlers()
    qtbot.addWidget(window)
    menu = tray_menu(window)
    texts = [action.text().replace("&", "") for action in menu.actions()]
    assert texts == ["Show Pocketweb", "Open in browser", "Quit"]
    for action in menu.actions():
        action.trigger()
    assert window.calls == ["show", "browser", "quit"]


def test_tray_only_where_the_desktop_has_one(qtbot):
    window = Handlers()
    qtbot.addWidget(window)
    window.setWindowIcon(app_icon())
    tray = create_tray(window)
    assert (tray is not None) == QSystemTrayIcon.isSystemTrayAvailable()


def test_icon_is_drawn_at_every_tray_size(qtbot):
    icon = app_icon()
    assert not icon.isNull()
    assert {size.width() for size in icon.availableSizes()} >= {16, 32, 64}
