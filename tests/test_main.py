"""main.py picks the face: the window with a display, a headless server without one."""

import os

from support import serve_main

import main
from server.hosting.httpd import free_port


def test_without_a_display_the_gui_falls_back_to_headless(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    port = free_port()
    process, page = serve_main(tmp_path, port, env=env)
    try:
        assert "Hello World" in page
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "no display" in err


def test_display_detection(monkeypatch):
    monkeypatch.setattr(main.sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert not main.display_available()
    assert main.window_unavailable_reason() == "no display available"
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert main.display_available()
