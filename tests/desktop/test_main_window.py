from pathlib import Path

import pytest
from pydal._globals import THREAD_LOCAL
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from scripted_ask import ScriptedAsk
from support import write_app

from desktop.editor.tabs import SaveAnswer
from desktop.main_window import MainWindow
from server.hosting import admin_password
from server.hosting.httpd import free_port, port_is_free

CONTROLLER = "def index():\n    return 'first version'\n"


@pytest.fixture
def make_window(qtbot, root):
    """``make_window()`` opens a main window on ``root`` answering dialogs from a script."""
    write_app(root, "hello", {"controllers/default.py": CONTROLLER})
    windows = []

    def make(**options):
        options.setdefault("open_url", lambda url: None)
        window = MainWindow(root, ask=ScriptedAsk(), **options)
        window.editor.confirm_save = lambda path: SaveAnswer.Discard
        qtbot.addWidget(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.server_panel.stop_server()


def start_on_free_port(window) -> None:
    port = free_port()
    admin_password.store_password(window.root, port, "secret")
    window.server_panel.set_address("127.0.0.1", port)
    assert window.server_panel.start_server(), window.server_panel.status_label.text()


def test_edit_and_save_a_controller_and_the_served_page_changes(make_window, root, http):
    window = make_window()
    start_on_free_port(window)
    page = window.server_panel.url + "/hello/default/index"
    assert "first version" in http(page).text

    controller = root / "applications/hello/controllers/default.py"
    window.apps_tree.select_path(controller)
    window.apps_tree.itemActivated.emit(window.apps_tree.currentItem(), 0)
    editor = window.editor.current_editor()
    assert editor.path == controller
    editor.setText(CONTROLLER.replace("first", "second"))
    window.commands["save"].trigger()
    assert "second version" in controller.read_text()
    assert "second version" in http(page).text


def test_closing_the_window_stops_the_server_and_frees_the_port(make_window):
    window = make_window()
    start_on_free_port(window)
    port = window.server_panel.server.port
    window.close()
    assert window.server_panel.server is None
    assert port_is_free("127.0.0.1", port)


def test_unsaved_file_can_cancel_the_close(make_window, root):
    window = make_window()
    window.show()
    controller = root / "applications/hello/controllers/default.py"
    window.open_file(controller)
    window.editor.current_editor().setText("changed = True\n")
    window.editor.confirm_save = lambda path: SaveAnswer.Cancel
    assert not window.close()
    assert window.isVisible()
    window.editor.confirm_save = lambda path: SaveAnswer.Save
    assert window.close()
    assert controller.read_text() == "changed = True\n"


def test_session_is_restored_on_the_next_start(make_window, root):
    controller = root / "applications/hello/controllers/default.py"
    first = make_window()
    first.show()
    first.resize(850, 560)
    first.server_panel.set_address("0.0.0.0", 8765)
    first.open_file(controller)
    first.commands["dark_theme"].trigger()
    assert first.close()

    second = make_window()
    second.show()
    panel = second.server_panel
    assert (panel.host_edit.text(), panel.port_spin.value()) == ("0.0.0.0", 8765)
    assert second.editor.open_paths() == [controller]
    assert second.theme == "dark" and second.commands["dark_theme"].isChecked()
    # the offscreen screen is 800 px wide, so only the height survives restoreGeometry intact
    assert second.height() == 560


def test_command_line_address_wins_over_the_saved_one(make_window):
    first = make_window()
    first.server_panel.set_address("0.0.0.0", 8765)
    first.close()
    second = make_window(host="127.0.0.1", port=9001)
    assert second.server_panel.port_spin.value() == 9001
    assert second.server_panel.host_edit.text() == "127.0.0.1"


def test_theme_switch_recolours_the_palette_and_the_editor(make_window, root):
    window = make_window()
    window.open_file(root / "applications/hello/controllers/default.py")
    window.set_theme("light")
    light = QApplication.palette().color(QPalette.ColorRole.Window)
    window.commands["dark_theme"].trigger()
    dark = QApplication.palette().color(QPalette.ColorRole.Window)
    assert dark.lightness() < light.lightness()
    assert window.editor.theme == "dark"
    assert window.editor.current_editor().theme == "dark"
    window.commands["dark_theme"].trigger()
    assert window.theme == "light"


def test_data_views_follow_the_selected_application_and_open_files_at_a_line(make_window, root):
    window = make_window()
    window.apps_tree.select_path(root / "applications/hello")
    assert all(view.application == "hello" for view in window.data_views)
    controller = root / "applications/hello/controllers/default.py"
    window.data_views[1].openFileRequested.emit(Path(controller), 2)
    editor = window.editor.current_editor()
    assert editor.path == controller
    assert editor.caret_line() == 2


SESSION_MODEL = """
import os
db = DAL('sqlite://storage.sqlite')
session.connect(request, response, db=db)
with open(os.path.join(request.folder, 'model_runs.txt'), 'a') as runs:
    runs.write('run\\n')
"""


def test_one_model_run_serves_the_database_and_sessions_panels(make_window, root, live_server,
                                                               browser):
    app = write_app(root, "shop", {"models/db.py": SESSION_MODEL, "controllers/default.py":
                                   "def index():\n    session.seen = True\n    return 'ok'\n"})
    assert browser.get(f"{live_server(root)}/shop/default/index").text == "ok"
    window = make_window()
    runs = (app / "model_runs.txt").read_text()
    window.apps_tree.select_path(root / "applications/shop")
    assert (app / "model_runs.txt").read_text() == runs + "run\n"  # once, not once a panel
    shop_db = window.database_browser.databases["db"]
    assert window.sessions_view.application == "shop"
    assert [source.label for source in window.sessions_view.sources] == [
        "files", "database db (web2py_session_shop)"]
    assert window.sessions_view.sources[1].db is shop_db
    assert window.sessions_view.list.topLevelItemCount() == 1
    tree = window.database_browser.tables_tree  # defined before the tables were listed
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == [
        "web2py_session_shop"]
    window.apps_tree.select_path(root / "applications/hello")
    assert window.sessions_view.application == "hello"
    assert [source.label for source in window.sessions_view.sources] == ["files"]
    assert getattr(THREAD_LOCAL, shop_db._adapter._connection_uname_, None) is None  # closed


def test_server_actions_follow_the_server_state(make_window):
    window = make_window()
    assert window.commands["start_server"].isEnabled()
    assert not window.commands["stop_server"].isEnabled()
    start_on_free_port(window)
    assert not window.commands["start_server"].isEnabled()
    assert window.commands["stop_server"].isEnabled()
    assert window.statusBar().currentMessage().startswith("Serving http://127.0.0.1:")
    window.commands["stop_server"].trigger()
    assert window.commands["start_server"].isEnabled()


def test_open_application_in_browser_opens_its_url(make_window, root):
    opened = []
    window = make_window(open_url=opened.append)
    start_on_free_port(window)
    window.apps_tree.select_path(root / "applications/hello")
    window.commands["open_app_browser"].trigger()
    assert [url.toString() for url in opened] == [window.server_panel.url + "/hello"]


def test_docks_are_labelled_for_assistive_technology(make_window):
    window = make_window()
    for dock in (window.apps_dock, window.server_dock):
        assert dock.accessibleName() and dock.widget().accessibleName()


def test_renaming_an_app_reopens_its_open_files_at_the_new_place(make_window, root):
    window = make_window()
    window.open_file(root / "applications/hello/controllers/default.py")
    window.apps_tree.select_path(root / "applications/hello")
    window.ask.script("text", "greeting")
    window.commands["rename"].trigger()
    assert window.editor.open_paths() == [
        (root / "applications/greeting/controllers/default.py").resolve()]


def test_deleting_a_file_with_unsaved_changes_is_refused(make_window, root):
    window = make_window()
    controller = root / "applications/hello/controllers/default.py"
    window.open_file(controller)
    window.editor.current_editor().setText("unsaved = True\n")
    window.apps_tree.select_path(controller)
    window.ask.script("confirm", True)
    window.commands["delete"].trigger()
    assert controller.read_text() == CONTROLLER
    assert window.ask.errors == ["Save or close default.py first."]
    assert len(window.editor.open_paths()) == 1


def test_deleting_an_open_saved_file_closes_its_tab(make_window, root):
    window = make_window()
    controller = root / "applications/hello/controllers/default.py"
    window.open_file(controller)
    window.apps_tree.select_path(controller)
    window.ask.script("confirm", True)
    window.commands["delete"].trigger()
    assert not controller.exists()
    assert window.editor.open_paths() == []


def test_focus_shortcuts_move_the_keyboard_focus(make_window, qtbot, root):
    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.commands["focus_server"].trigger()
    assert QApplication.focusWidget() is window.server_panel.host_edit
    window.commands["focus_apps"].trigger()
    assert QApplication.focusWidget() is window.apps_tree


def test_delete_key_deletes_in_the_tree_but_not_in_the_editor(make_window, qtbot, root):
    """No panel may take Delete from the editor (a window-wide shortcut would)."""
    from PySide6.QtCore import Qt

    window = make_window()
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    controller = root / "applications/hello/controllers/default.py"
    window.open_file(controller)
    editor = window.editor.current_editor()
    window.commands["focus_editor"].trigger()
    assert QApplication.focusWidget() is editor
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    assert window.ask.asked == []
    assert editor.is_modified()  # the editor deleted a character instead

    window.editor.confirm_save = lambda path: SaveAnswer.Discard
    window.apps_tree.select_path(root / "applications/hello/models")
    window.apps_tree.setFocus()
    qtbot.keyClick(window.apps_tree, Qt.Key.Key_Delete)
    assert window.ask.errors == ["Select an application or a file to delete."]
