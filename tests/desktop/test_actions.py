import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication
from scripted_ask import ScriptedAsk

from desktop.actions import ACTIONS, MENUS, by_id, plain_text, resolve
from desktop.editor.tabs import SaveAnswer
from desktop.main_window import MainWindow
from server.hosting.httpd import free_port


@pytest.fixture
def window(qtbot, root):
    widget = MainWindow(root, "127.0.0.1", free_port(), ask=ScriptedAsk(),
                        open_url=lambda url: None)
    widget.editor.confirm_save = lambda path: SaveAnswer.Discard
    qtbot.addWidget(widget)
    yield widget
    widget.server_panel.shutdown()


def test_every_action_has_text_an_accessible_description_a_menu_and_a_target(window):
    for spec in ACTIONS:
        assert plain_text(spec).strip(), spec.id
        assert len(spec.accessible) > len(plain_text(spec)), spec.id
        assert spec.menu in MENUS, spec.id
        assert callable(resolve(window, spec)), spec.id
        assert "&" in spec.text, f"{spec.id} has no keyboard mnemonic"


def test_actions_call_their_panels_directly_not_through_forwarding_methods():
    """A one-line method on the window that only passes the call on is a layer too many."""
    forwarded = [spec.target for spec in ACTIONS if "." not in spec.target
                 and spec.target.startswith(("save_", "start_", "stop_", "new_", "pack_"))]
    assert forwarded == []
    for name in ("start_server", "stop_server", "save_file", "new_application", "pack_application"):
        assert not hasattr(MainWindow, name), name


def test_mnemonics_are_unique_within_each_menu():
    for menu in MENUS:
        letters = [spec.text[spec.text.index("&") + 1].lower() for spec in ACTIONS
                   if spec.menu == menu]
        assert len(letters) == len(set(letters)), menu


def test_ids_and_shortcuts_are_unique():
    assert len({spec.id for spec in ACTIONS}) == len(ACTIONS)
    shortcuts = [spec.shortcut for spec in ACTIONS if spec.shortcut]
    assert len(set(shortcuts)) == len(shortcuts)
    assert by_id("save").shortcut == "Ctrl+S"


def test_menus_toolbar_and_shortcuts_are_built_from_the_table(window):
    menu_actions = {action.text(): action for menu in window.menuBar().findChildren(
        type(window.menuBar().actions()[0].menu())) for action in menu.actions()}
    for spec in ACTIONS:
        action = window.commands[spec.id]
        assert menu_actions[spec.text] is action
        assert action.shortcut() == QKeySequence(spec.shortcut)
        assert action.toolTip() == spec.accessible
        if spec.toolbar:
            button = window.toolbar.widgetForAction(action)
            assert button.accessibleName() == plain_text(spec)
            assert button.accessibleDescription() == spec.accessible


def test_every_action_runs_without_breaking_the_window(window, qtbot):
    """With every dialog cancelled, each handler must run, be seen, and leave the window usable."""
    window.show()
    qtbot.waitExposed(window)
    for spec in ACTIONS:
        if spec.id == "quit":
            continue
        window.commands[spec.id].setEnabled(True)
        window.commands[spec.id].trigger()
        QApplication.processEvents()
    assert window.isVisible()
    asked = [name for name, _args in window.ask.asked]
    assert asked == ["new_application", "new_password", "install_options"]  # new app, password, install
    assert window.ask.errors.count("Select an application in the tree first.") == 9
    assert "Select an application or a file to rename." in window.ask.errors
    assert "Select an application or a file to delete." in window.ask.errors
    assert window.theme == "dark"
    assert window.help_window.isVisible()  # Help and About
    qtbot.waitUntil(lambda: window.server_panel.server is None)  # started, then stopped


def test_quit_action_closes_the_window(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.commands["quit"].trigger()
    assert not window.isVisible()
