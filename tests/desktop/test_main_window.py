from pathlib import Path

import pytest
from event_loop import HASH_WAIT_MS
from pydal._globals import THREAD_LOCAL
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QPushButton
from scripted_ask import ScriptedAsk
from support import write_app

from desktop import icons
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
        window.server_panel.shutdown()


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


def test_toolbar_menus_and_tree_have_icons_drawn_for_the_theme(make_window):
    window = make_window()
    window.set_theme("light")
    save = window.commands["save"]
    app_item = window.apps_tree.topLevelItem(0)
    assert save.icon().cacheKey() == icons.icon("save", "light").cacheKey()
    assert window.toolbar.toolButtonStyle() == Qt.ToolButtonStyle.ToolButtonTextBesideIcon
    assert app_item.icon(0).cacheKey() == icons.icon("app", "light").cacheKey()
    assert window.server_panel.start_button.icon().cacheKey() == icons.icon("start").cacheKey()
    window.set_theme("dark")
    assert save.icon().cacheKey() == icons.icon("save", "dark").cacheKey()
    assert window.apps_tree.topLevelItem(0).icon(0).cacheKey() == icons.icon(
        "app", "dark").cacheKey()
    assert window.server_panel.start_button.icon().cacheKey() == icons.icon(
        "start", "dark").cacheKey()
    window.set_theme("light")


def test_data_views_follow_the_selected_application_and_open_files_at_a_line(make_window, root,
                                                                            qtbot):
    window = make_window()
    with qtbot.waitSignal(window.database_browser.databasesLoaded):
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
                                                               browser, qtbot):
    app = write_app(root, "shop", {"models/db.py": SESSION_MODEL, "controllers/default.py":
                                   "def index():\n    session.seen = True\n    return 'ok'\n"})
    assert browser.get(f"{live_server(root)}/shop/default/index").text == "ok"
    window = make_window()
    runs = (app / "model_runs.txt").read_text()
    with qtbot.waitSignal(window.database_browser.tablesListed):
        window.apps_tree.select_path(root / "applications/shop")
    assert (app / "model_runs.txt").read_text() == runs + "run\n"  # once, not once a panel
    shop_db = window.database_browser.databases["db"]
    assert window.sessions_view.application == "shop"
    assert [source.label for source in window.sessions_view.sources] == [
        "files", "database db (web2py_session_shop)"]
    assert window.sessions_view.sources[1].db is shop_db
    qtbot.waitUntil(lambda: window.sessions_view.list.topLevelItemCount() == 1)  # on a worker
    tree = window.database_browser.tables_tree  # defined before the tables were listed
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == [
        "web2py_session_shop"]
    with qtbot.waitSignal(window.database_browser.databasesLoaded):
        window.apps_tree.select_path(root / "applications/hello")
    assert window.sessions_view.application == "hello"
    assert [source.label for source in window.sessions_view.sources] == ["files"]
    assert getattr(THREAD_LOCAL, shop_db._adapter._connection_uname_, None) is None  # closed


def test_server_actions_follow_the_server_state(make_window, qtbot):
    window = make_window()
    assert window.commands["start_server"].isEnabled()
    assert not window.commands["stop_server"].isEnabled()
    start_on_free_port(window)
    assert not window.commands["start_server"].isEnabled()
    assert window.commands["stop_server"].isEnabled()
    assert window.statusBar().currentMessage().startswith("Serving http://127.0.0.1:")
    with qtbot.waitSignal(window.server_panel.serverStopped, timeout=15000):
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


def shown(window, qtbot):
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def press(qtbot, *keys) -> None:
    """Key presses (``"Alt+4"``, ``"Tab"``) sent where the keyboard focus is, as a user would."""
    from PySide6.QtGui import QKeySequence

    for key in keys:
        combination = QKeySequence(key)[0]
        target = (QApplication.activePopupWidget() or QApplication.focusWidget()
                  or QApplication.activeWindow())  # an open menu takes the keys first
        qtbot.keyClick(target, combination.key(), combination.keyboardModifiers())
        QApplication.processEvents()


def inside_front_panels(window, widget) -> bool:
    """Whether ``widget`` is shown and outside every panel whose tab is not in front."""
    behind = [dock for dock in window.panel_docks.values() if not dock.widget().isVisible()]
    return widget.isVisible() and not any(dock.isAncestorOf(widget) for dock in behind)


def test_tab_never_walks_into_a_panel_behind_the_front_tab(make_window, qtbot):
    window = shown(make_window(), qtbot)
    window.show_panel("tickets")
    window.commands["focus_apps"].trigger()
    visited = []
    for _ in range(40):
        press(qtbot, "Tab")
        visited.append(QApplication.focusWidget())
    assert window.tickets_view.list in visited
    assert [widget for widget in visited if not inside_front_panels(window, widget)] == []
    assert window.server_panel.start_button not in visited
    for widget in visited:  # Space on whatever Tab reached never starts the hidden server
        if isinstance(widget, QPushButton) and widget.isEnabled() \
                and not window.start_page.isAncestorOf(widget):  # its Start is in sight
            assert "Start" not in widget.text()


def test_every_bottom_panel_comes_to_the_front_from_its_shortcut(make_window, qtbot):
    window = shown(make_window(), qtbot)
    view_menu = next(action.menu() for action in window.menuBar().actions()
                     if action.text() == "&View")
    listed = [action.text() for action in view_menu.actions()]
    for key, panel in (("Alt+4", "database"), ("Alt+5", "tickets"), ("Alt+6", "sessions"),
                       ("Alt+3", "server")):
        assert window.commands[f"panel_{panel}"].text() in listed
        press(qtbot, key)
        contents = window.panel_docks[panel].widget()
        assert contents.isVisible()
        assert contents.isAncestorOf(QApplication.focusWidget()), panel
    assert QApplication.focusWidget() is window.server_panel.host_edit
    press(qtbot, "Alt+1")
    assert QApplication.focusWidget() is window.apps_tree


def test_the_panel_tab_bar_is_reached_and_switched_by_keyboard(make_window, qtbot):
    from PySide6.QtWidgets import QTabBar

    window = shown(make_window(), qtbot)
    press(qtbot, "Alt+1")
    for _ in range(30):  # past the editor area and the server panel
        press(qtbot, "Tab")
        if isinstance(QApplication.focusWidget(), QTabBar) \
                and QApplication.focusWidget().tabText(0) == "Server":
            break
    bar = QApplication.focusWidget()
    assert isinstance(bar, QTabBar) and bar.tabText(bar.currentIndex()) == "Server"
    press(qtbot, "Right")
    assert bar.tabText(bar.currentIndex()) == "Database"
    assert window.database_browser.isVisible() and not window.server_panel.isVisible()


def test_the_keyboard_path_end_to_end_by_key_presses_only(make_window, qtbot, root, http):
    """Tab through the visible window in reading order, a panel from the View menu, Start, a
    file opened from the applications tree, an edit saved with Ctrl+S, Stop: key presses only,
    each sent to whatever has the keyboard focus."""
    from PySide6.QtWidgets import QMenu

    window = make_window()
    window.server_panel.set_address("127.0.0.1", free_port())  # setup: a port surely free
    shown(window, qtbot)
    press(qtbot, "Alt+1")
    assert QApplication.focusWidget() is window.apps_tree
    cycle = []
    for _ in range(40):
        press(qtbot, "Tab")
        if QApplication.focusWidget() is window.apps_tree:
            break
        cycle.append(QApplication.focusWidget())
    assert cycle and all(inside_front_panels(window, widget) for widget in cycle)
    areas = ["editor" if window.center.isAncestorOf(widget) else "panels" for widget in cycle]
    assert areas == sorted(areas, key=["editor", "panels"].index)  # as laid out: top, bottom
    assert set(areas) == {"editor", "panels"}

    press(qtbot, "Alt+V")
    assert isinstance(QApplication.activePopupWidget(), QMenu)
    press(qtbot, "D")  # &Database panel
    assert window.database_browser.isVisible()
    assert window.database_browser.isAncestorOf(QApplication.focusWidget())

    press(qtbot, "F5")
    qtbot.waitUntil(lambda: window.server_panel.running)
    page = window.server_panel.url + "/hello/default/index"
    press(qtbot, "Alt+1", "Home", "Right", "Down", "Down")  # hello: models, controllers
    assert window.apps_tree.currentItem().text(0) == "controllers"
    press(qtbot, "Right", "Down", "Return")  # controllers/default.py opens
    editor = window.editor.current_editor()
    assert editor is not None and editor.path.name == "default.py"
    assert QApplication.focusWidget() is editor
    press(qtbot, "Ctrl+End", "Return")
    qtbot.keyClicks(QApplication.focusWidget(), "def other(): return 'typed'")
    press(qtbot, "Ctrl+S")
    assert "return 'typed'" in (root / "applications/hello/controllers/default.py").read_text()
    assert http(page.replace("index", "other")).text == "typed"
    press(qtbot, "Ctrl+W")
    assert window.editor.count() == 0
    with qtbot.waitSignal(window.server_panel.serverStopped, timeout=15000):
        press(qtbot, "Shift+F5")
    assert not window.server_panel.running


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


def test_appadmin_asks_for_the_password_once_per_root_folder(make_window, qtbot, root):
    opened = []
    window = make_window(open_url=opened.append)
    start_on_free_port(window)
    window.apps_tree.select_path(root / "applications/hello")
    window.ask.script("new_password", "admin-pw")
    with qtbot.waitSignal(window.admin_password.changed, timeout=HASH_WAIT_MS):
        window.commands["open_appadmin"].trigger()
    assert [url.toString() for url in opened] == [window.server_panel.url + "/hello/appadmin"]
    assert admin_password.check_password(root, None, "admin-pw")
    with qtbot.waitSignal(window.server_panel.serverStopped, timeout=15000):
        window.commands["stop_server"].trigger()
    start_on_free_port(window)  # another port: the root folder's password still holds
    window.commands["open_appadmin"].trigger()
    assert [name for name, _args in window.ask.asked] == ["new_password"]
    assert opened[-1].toString() == window.server_panel.url + "/hello/appadmin"


def test_enter_on_a_failed_request_opens_its_ticket(make_window, qtbot, root, http):
    write_app(root, "shop", {"controllers/default.py": "def broken():\n    return 1 / 0\n"})
    window = shown(make_window(), qtbot)
    start_on_free_port(window)
    assert http(window.server_panel.url + "/shop/default/broken").status == 500
    log = window.server_panel.log_view
    qtbot.waitUntil(lambda: log.model().rowCount() == 1)
    press(qtbot, "Alt+3")
    log.setFocus()
    log.setCurrentIndex(log.model().index(0, 0))
    press(qtbot, "Return")
    tickets = window.tickets_view
    qtbot.waitUntil(lambda: tickets.selected_ticket_id() is not None, timeout=10000)
    assert tickets.application == "shop" and tickets.isVisible()
    assert "ZeroDivisionError" in tickets.traceback_text.toPlainText()


# ----- the start page in the empty editor area -----------------------------------------------

def test_start_page_shows_until_a_file_opens_and_comes_back_with_the_last_tab(make_window, root):
    window = make_window()
    window.show()
    assert window.center.currentWidget() is window.start_page
    controller = root / "applications/hello/controllers/default.py"
    window.open_file(controller)
    assert window.center.currentWidget() is window.editor
    assert window.start_page.recent_files.item(0).text() == "hello/controllers/default.py"
    assert window.start_page.recent_apps.item(0).text() == "hello"
    window.commands["close_tab"].trigger()
    assert window.center.currentWidget() is window.start_page
    assert make_window().start_page.recent_files.count() == 1  # remembered for next time


def test_start_page_is_reached_by_keyboard_and_its_steps_act(make_window, qtbot, root):
    window = shown(make_window(), qtbot)
    press(qtbot, "Alt+2")  # "go to editor" with no file open: the start page
    assert window.start_page.isAncestorOf(QApplication.focusWidget())
    assert QApplication.focusWidget() is window.start_page.start_button
    window.start_page.new_app_button.click()
    assert window.ask.asked[-1][0] == "new_application"
    port = free_port()
    window.server_panel.set_address("127.0.0.1", port)
    window.start_page.start_button.click()
    qtbot.waitUntil(lambda: window.server_panel.running)
    assert window.start_page.server_label.text() == f"Serving http://127.0.0.1:{port}"
    window.start_page.recent_apps.addItem("hello")
    window.start_page.recent_apps.itemActivated.emit(window.start_page.recent_apps.item(0))
    assert window.apps_tree.selected_app() == "hello"


def test_the_start_pages_tutorial_step_opens_the_tutorial(make_window, qtbot):
    window = make_window()
    window.start_page.tutorial_button.click()
    qtbot.waitUntil(window.help_window.isVisible)
    assert window.help_window.topics.currentItem().text() == "Tutorial"
