"""``run_window``: the desktop entry point main.py calls when a display is available."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication


def run_window(root: Path, host: str | None, port: int | None, threads: int = 10,
               certfile: str | None = None, keyfile: str | None = None, **app_options) -> int:
    """Show the main window for ``root`` and run the event loop; returns the exit code.

    ``host``/``port`` given as None fall back to the values saved in ``root/pocketweb.ini``.
    ``app_options`` go to :func:`server.wsgi.make_application` (e.g. ``max_body_size``).
    """
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Pocketweb")
    app.setStyle("Fusion")  # the one style that follows the theme palette on every platform
    from desktop.main_window import MainWindow
    from desktop.server_panel import default_app_factory

    factory = functools.partial(default_app_factory, **app_options)
    window = MainWindow(Path(root), host, port, threads, certfile, keyfile, app_factory=factory)
    window.show()
    return app.exec()
