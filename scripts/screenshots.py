"""Screenshots of the main window for the docs: ``make screenshots``.

Run on a machine without a display, it installs Xvfb and the xcb libraries Qt needs (apt-get,
only what is missing), starts a virtual screen and re-runs itself there. The window is shown on
a throw-away copy of the welcome app with the server running, a few requests in the log and a
controller open in the editor, then saved once per entry of :data:`SHOTS`.

To add a view (database, tickets, sessions), add a ``(file name, prepare)`` pair to ``SHOTS``:
``prepare(window, root)`` gets the shown window and puts it in the state to photograph.
:func:`shoot_window` is the loop, which ``scripts/screenshots_console.py`` uses too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(SOURCE_ROOT))

APT_PACKAGES = (
    "xvfb", "xauth", "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0",
    "libxcb-render-util0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-randr0",
    "libxcb-shape0", "libxcb-xinerama0", "libxcb-xfixes0", "libegl1", "libfontconfig1",
    "fonts-dejavu-core",
)
SCREEN = "1400x900x24"
WINDOW_SIZE = (1280, 800)
DISPLAY_NUMBER = 97


# -- outside the virtual screen -----------------------------------------------------------------


def missing_packages() -> list[str]:
    return [package for package in APT_PACKAGES
            if subprocess.run(["dpkg", "-s", package], capture_output=True).returncode != 0]


def install_packages() -> None:
    """apt-get only what is missing; needs root (as in CI containers)."""
    if not shutil.which("dpkg"):
        return
    missing = missing_packages()
    if not missing:
        return
    print("installing:", " ".join(missing), flush=True)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=environment)
    subprocess.run(["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing],
                   check=True, env=environment)


def run_under_xvfb(arguments: list[str], script: str = __file__,
                   display_number: int = DISPLAY_NUMBER) -> int:
    """Start Xvfb, run ``script --inside`` in it with the xcb platform, stop Xvfb."""
    display = f":{display_number}"
    xvfb = subprocess.Popen(["Xvfb", display, "-screen", "0", SCREEN, "-nolisten", "tcp"],
                            stderr=subprocess.DEVNULL)
    try:
        time.sleep(1.0)
        environment = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        command = [sys.executable, script, "--inside", *arguments]
        return subprocess.run(command, env=environment).returncode
    finally:
        xvfb.terminate()
        xvfb.wait(timeout=10)


# -- inside the virtual screen ------------------------------------------------------------------


def prepare_root() -> Path:
    """A temporary root holding a copy of the welcome app (the real root stays untouched)."""
    root = Path(tempfile.mkdtemp(prefix="pocketweb-shots-"))
    shutil.copytree(SOURCE_ROOT / "applications" / "welcome", root / "applications" / "welcome",
                    ignore=shutil.ignore_patterns("databases", "sessions", "errors", "cache",
                                                  "__pycache__"))
    return root


def wait(milliseconds: int) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()
    QCoreApplication.processEvents()


def wait_for(condition, timeout: float = 60.0) -> None:
    """Let the event loop run until ``condition()`` holds (work the window does on workers)."""
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise TimeoutError("the window did not get there")
        wait(50)


class PrintingAsk:
    """No modal dialog may block an unattended run: errors are printed instead."""

    def error(self, title: str, message: str) -> None:
        print(f"{title}: {message}", file=sys.stderr, flush=True)

    info = error


def open_window(root: Path):
    """The main window on ``root``, shown at the pictures' size, on a free port whose admin
    password is set (no dialog may ask for it)."""
    from desktop.main_window import MainWindow
    from server.hosting import admin_password
    from server.hosting.httpd import free_port

    port = free_port()
    admin_password.store_password(root, port, "screenshot")
    window = MainWindow(root, "127.0.0.1", port, ask=PrintingAsk())
    window.resize(*WINDOW_SIZE)
    window.show()
    return window


def make_window(root: Path):
    window = open_window(root)
    window.server_panel.start_server()
    for path in ("/welcome/default/index", "/welcome/static/css/missing.css",
                 "/welcome/default/index?page=2"):
        fetch(window.server_panel.url + path)
    controller = root / "applications" / "welcome" / "controllers" / "default.py"
    window.apps_tree.select_path(controller)
    window.open_file(controller)
    return window


def fetch(url: str) -> None:
    try:
        urllib.request.urlopen(url, timeout=10).read()
    except OSError:
        pass  # a 404 row in the log is part of the picture


def light(window, _root: Path) -> None:
    window.set_theme("light")


def dark(window, _root: Path) -> None:
    window.set_theme("dark")


def start_page(window, _root: Path) -> None:
    """No file open: the editor area shows the start page, the server's URL on it."""
    window.set_theme("light")
    while window.editor.count():
        window.editor.close_tab(0)


SHOTS = (("window-light.png", light), ("window-dark.png", dark), ("start-page.png", start_page))


def shoot_window(out: Path, shots, make_root=prepare_root, make=make_window,
                 settle_ms: int = 500) -> int:
    """The one take-screenshots loop of the main window: ``make(root)`` on ``make_root()``,
    then for each ``(file name, prepare)`` of ``shots``, ``prepare(window, root)``, a moment to
    settle, and ``window.grab()`` saved in ``out``. The server stops and the root goes after."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    app.setStyle("Fusion")
    root = make_root()
    window = make(root)
    try:
        for name, prepare in shots:
            prepare(window, root)
            wait(settle_ms)
            window.grab().save(str(out / name))
            print("saved", out / name, flush=True)
    finally:
        window.server_panel.shutdown()
        window.close()
        shutil.rmtree(root, ignore_errors=True)
    return 0


def take_screenshots(out: Path) -> int:
    return shoot_window(out, SHOTS)


def screenshot_main(description: str, take, script: str = __file__,
                    display_number: int = DISPLAY_NUMBER, out: Path = SOURCE_ROOT / "docs") -> int:
    """The command line of a screenshot script: outside Xvfb, start it and re-run ``script``
    inside; inside, ``take(out_folder)``."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    if options.inside:
        return take(options.out.resolve())
    install_packages()
    return run_under_xvfb(["--out", str(options.out.resolve())], script, display_number)


def main() -> int:
    return screenshot_main(__doc__.splitlines()[0], take_screenshots)


if __name__ == "__main__":
    sys.exit(main())
