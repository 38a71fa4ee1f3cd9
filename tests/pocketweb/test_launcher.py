"""The launcher picks the face: the window with a display, a headless server without one."""

import subprocess
import sys

from support import MAIN, serve_without_display

from pocketweb import launcher
from server import __version__


def test_without_a_display_the_gui_falls_back_to_headless(tmp_path):
    page, err = serve_without_display(tmp_path)
    assert "Hello World" in page and "no display" in err


def test_display_detection(monkeypatch):
    monkeypatch.setattr(launcher.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert not launcher.display_available()
    assert launcher.window_unavailable_reason() == "no display available"
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert launcher.display_available()


def test_python_dash_m_pocketweb_is_the_same_program(tmp_path):
    for command in ([sys.executable, "-m", "pocketweb", "--version"],
                    [sys.executable, str(MAIN), "--version"]):
        done = subprocess.run(command, cwd=MAIN.parent, capture_output=True, text=True,
                              timeout=60)
        assert (done.returncode, done.stdout.strip()) == (0, f"Pocketweb {__version__}")
