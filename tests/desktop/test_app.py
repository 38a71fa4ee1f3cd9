from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import run_window
from desktop.main_window import MainWindow


def test_run_window_shows_the_main_window_and_returns_when_it_closes(qtbot, root):
    seen = []

    def close_the_window():
        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(window.windowTitle() for window in windows)
        for window in windows:
            window.close()

    QTimer.singleShot(200, close_the_window)
    assert run_window(root, "127.0.0.1", 8000) == 0
    assert seen == [f"Pocketweb — {root}"]
    assert (root / "pocketweb.ini").is_file()
