from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from scripted_ask import ScriptedAsk

from desktop.help_window import ABOUT, REFERENCE, SHORTCUTS
from desktop.main_window import MainWindow
from server.hosting import VERSION


def make_window(qtbot, root, opened):
    window = MainWindow(root, ask=ScriptedAsk(), open_url=opened.append)
    qtbot.addWidget(window)
    return window


def test_f1_opens_the_tutorial_in_the_help_window_not_about(qtbot, root):
    window = make_window(qtbot, root, [])
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_F1)
    help_window = window.help_window
    qtbot.waitUntil(help_window.isVisible)
    assert help_window.topics.currentItem().text() == "Tutorial"
    assert "Your first Pocketweb application" in help_window.browser.toPlainText()
    assert help_window.browser.source().toLocalFile().endswith("docs/tutorial.md")


def test_the_readme_renders_offline_as_markdown(qtbot, root):
    window = make_window(qtbot, root, [])
    window.commands["help_readme"].trigger()
    text = window.help_window.browser.toPlainText()
    assert text.startswith("Pocketweb")  # the heading, not "# Pocketweb"
    assert "## " not in text


def test_about_shows_the_version(qtbot, root):
    window = make_window(qtbot, root, [])
    window.commands["about"].trigger()
    assert window.help_window.topics.currentItem().text() == ABOUT
    assert f"Pocketweb {VERSION}" in window.help_window.browser.toPlainText()


def test_the_shortcuts_page_lists_the_windows_actual_actions(qtbot, root):
    window = make_window(qtbot, root, [])
    window.commands["save"].setShortcut("Ctrl+Alt+9")  # changed: the page must follow
    window.commands["help_shortcuts"].trigger()
    assert window.help_window.topics.currentItem().text() == SHORTCUTS
    text = window.help_window.browser.toPlainText()
    assert "Ctrl+Alt+9" in text and "Start server" in text and "F5" in text
    assert "Quit" in text


def test_the_quick_reference_lists_the_global_names(qtbot, root):
    window = make_window(qtbot, root, [])
    window.commands["help_reference"].trigger()
    assert window.help_window.topics.currentItem().text() == REFERENCE
    text = window.help_window.browser.toPlainText()
    for name in ("request", "SQLFORM", "IS_NOT_EMPTY", "URL"):
        assert name in text


def test_web_links_go_to_the_browser_and_document_links_stay(qtbot, root):
    from PySide6.QtCore import QUrl

    opened = []
    window = make_window(qtbot, root, opened)
    window.commands["help_readme"].trigger()
    browser = window.help_window.browser
    browser.anchorClicked.emit(QUrl("https://cheroot.cherrypy.dev/"))
    assert [url.toString() for url in opened] == ["https://cheroot.cherrypy.dev/"]
    browser.anchorClicked.emit(QUrl("docs/tutorial.md"))
    assert browser.source().toLocalFile().endswith("docs/tutorial.md")
    assert len(opened) == 1
