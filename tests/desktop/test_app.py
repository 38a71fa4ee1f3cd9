from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from support import write_app

from desktop.app import run_window
from desktop.main_window import MainWindow
from server.hosting import ServerOptions


def test_run_window_shows_the_main_window_and_returns_when_it_closes(qtbot, root):
    seen = []

    def close_the_window():
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(window.windowTitle() for window in windows)
        for window in windows:
            window.close()

    QTimer.singleShot(200, close_the_window)
    assert run_window(root, ServerOptions(host="127.0.0.1", port=8000)) == 0
    assert seen == [f"Pocketweb — {root}"]
    assert (root / "pocketweb.ini").is_file()


def test_run_window_hands_its_options_to_the_served_application(qtbot, root, http):
    from server.hosting import admin_password
    from server.hosting.httpd import free_port

    write_app(root, "echo", {"controllers/default.py":
                             "def index():\n    return repr(request.post_vars)\n"})
    port = free_port()
    admin_password.store_password(root, port, "secret")
    statuses = []

    def post_too_much_then_close():
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.isVisible())
        if window.server_panel.start_server():
            statuses.append(http(window.server_panel.url + "/echo/default/index",
                                 data=b"x" * 100).status)
        window.close()

    QTimer.singleShot(200, post_too_much_then_close)
    assert run_window(root, ServerOptions(host="127.0.0.1", port=port, max_body_size=10)) == 0
    assert statuses == [413]


def test_run_window_minimized_starts_in_the_tray_when_there_is_one(qtbot, root):
    from PySide6.QtWidgets import QSystemTrayIcon

    seen = []

    def look_then_quit():
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, MainWindow) and w.windowTitle() == f"Pocketweb — {root}")
        seen.append(window.isVisible())
        window.show()  # closing the last shown window ends run_window's event loop
        window.close()

    QTimer.singleShot(200, look_then_quit)
    assert run_window(root, ServerOptions(host="127.0.0.1", port=8000), minimized=True) == 0
    # hidden in the tray where there is one; shown where there is none (it cannot hide)
    assert seen == [not QSystemTrayIcon.isSystemTrayAvailable()]
