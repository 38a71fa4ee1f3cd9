"""The start page on its own: its steps ask through signals, the recent lists, the URL."""

from __future__ import annotations

from PySide6.QtWidgets import QListWidget, QPushButton
from support import write_app

from desktop.start_page import WELCOME_CONTROLLER, StartPage


def page_on(qtbot, root) -> StartPage:
    page = StartPage(root)
    qtbot.addWidget(page)
    page.show()
    return page


def test_every_step_says_what_it_does_and_asks_through_its_signal(qtbot, root):
    write_app(root, "welcome", {"controllers/default.py": "def index(): return 1\n"})
    page = page_on(qtbot, root)
    for button, signal in ((page.start_button, page.startRequested),
                           (page.new_app_button, page.newApplicationRequested),
                           (page.tutorial_button, page.tutorialRequested)):
        with qtbot.waitSignal(signal):
            button.click()
    with qtbot.waitSignal(page.openFileRequested) as opened:
        page.welcome_button.click()
    assert opened.args == [root / WELCOME_CONTROLLER, 0]
    for control in page.findChildren(QPushButton) + page.findChildren(QListWidget):
        assert control.accessibleName(), control


def test_without_a_welcome_app_its_step_is_off(qtbot, root):
    assert not page_on(qtbot, root).welcome_button.isEnabled()


def test_the_url_shows_once_serving_and_the_browser_step_replaces_start(qtbot, root):
    page = page_on(qtbot, root)
    assert "stopped" in page.server_label.text() and page.start_button.isVisible()
    page.set_server_url("http://127.0.0.1:8123")
    assert page.server_label.accessibleName() == "Server: Serving http://127.0.0.1:8123"
    assert page.browser_button.isVisible() and not page.start_button.isVisible()
    with qtbot.waitSignal(page.browserRequested):
        page.browser_button.click()


def test_recent_files_open_and_recent_apps_are_chosen(qtbot, root, tmp_path):
    write_app(root, "blog", {"models/db.py": "", "controllers/default.py": ""})
    outside = tmp_path / "notes.txt"
    page = page_on(qtbot, root)
    apps = root / "applications"
    page.set_recent_files([apps / "blog/models/db.py", outside, apps / "blog/controllers/default.py"])
    files = [page.recent_files.item(row).text() for row in range(page.recent_files.count())]
    assert files == ["blog/models/db.py", str(outside), "blog/controllers/default.py"]
    assert page.recent_apps.count() == 1 and page.recent_apps.item(0).text() == "blog"
    with qtbot.waitSignal(page.openFileRequested) as opened:
        page.recent_files.itemActivated.emit(page.recent_files.item(1))
    assert opened.args == [outside, 0]
    with qtbot.waitSignal(page.applicationChosen) as chosen:
        page.recent_apps.itemActivated.emit(page.recent_apps.item(0))
    assert chosen.args == ["blog"]
