"""The plugins dialog: a plugin packed from one app and installed into another serves there."""

from __future__ import annotations

import pytest
from scripted_ask import ScriptedAsk
from support import fetch, write_app

from desktop.main_window import MainWindow
from server.hosting.httpd import free_port

PLUGIN = {"controllers/plugin_clock.py": "def index():\n    return 'tick from the plugin'\n",
          "static/plugin_clock/clock.css": "b { color: red }\n"}


@pytest.fixture
def window(qtbot, root):
    write_app(root, "maker", {**PLUGIN, "controllers/default.py": "def index(): return 'm'\n"})
    write_app(root, "taker", {"controllers/default.py": "def index(): return 't'\n"})
    window = MainWindow(root, ask=ScriptedAsk(), open_url=lambda url: None)
    qtbot.addWidget(window)
    yield window
    window.server_panel.shutdown()


def test_a_plugin_packed_from_one_app_serves_in_another(window, tmp_path):
    dialog = window.plugins_dialog
    dialog.pick_folder = lambda parent: tmp_path
    window.apps_tree.select_path(window.root / "applications/maker")
    window.commands["plugins"].trigger()
    assert dialog.isVisible() and dialog.plugins.currentItem().text() == "clock"
    assert [dialog.files.item(i).text() for i in range(dialog.files.count())] == sorted(PLUGIN)
    archive = dialog.pack_selected()
    assert archive == tmp_path / "web2py.plugin.clock.w2p"

    window.apps_tree.select_path(window.root / "applications/taker")
    window.commands["plugins"].trigger()
    assert dialog.plugins.count() == 0 and "no plugins" in dialog.status.text()
    dialog.pick_archive = lambda parent: archive
    dialog.install_button.click()
    assert dialog.plugins.currentItem().text() == "clock"
    assert "Installed the plugin clock into taker" in dialog.status.text()
    window.server_panel.set_address("127.0.0.1", free_port())
    assert window.server_panel.start_server()
    assert fetch(f"{window.server_panel.url}/taker/plugin_clock/index").text == \
        "tick from the plugin"


def test_a_hostile_archive_is_refused_with_a_message(window, tmp_path):
    import io
    import tarfile

    archive = tmp_path / "web2py.plugin.bad.w2p"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("controllers/default.py")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"x=1"))
    dialog = window.plugins_dialog
    dialog.pick_archive = lambda parent: archive
    dialog.open_for("taker")
    dialog.install_button.click()
    assert "was not installed" in window.ask.errors[-1]
    assert (window.root / "applications/taker/controllers/default.py").read_text() == \
        "def index(): return 't'\n"
