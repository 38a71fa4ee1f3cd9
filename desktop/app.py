"""``run_window``: the desktop entry point main.py calls when a display is available."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from server.hosting import ServerOptions


def run_window(root: Path, options: ServerOptions | None = None, minimized: bool = False) -> int:
    """Show the main window for ``root`` and run the event loop; returns the exit code.

    ``options`` come from the command line; a host or port left None there falls back to the
    values saved in ``root/pocketweb.ini``. ``minimized`` (``-m``) starts in the tray, when there
    is one, instead of showing the window.
    """
    options = options or ServerOptions()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Pocketweb")
    app.setStyle("Fusion")  # the one style that follows the theme palette on every platform
    from desktop.main_window import MainWindow

    window = MainWindow(Path(root), options.host, options.port, options)
    if not (minimized and window.tray is not None):
        window.show()
    return app.exec()
