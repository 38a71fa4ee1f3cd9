"""Open on a phone: the server moves to the network and back, and the QR code reads as the URL."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
import zxingcpp
from scripted_ask import ScriptedAsk
from support import fetch

from desktop.main_window import MainWindow
from desktop.phone_preview import qr_pixmap
from server.hosting.host_names import lan_address
from server.hosting.httpd import free_port


@pytest.fixture
def window(qtbot, welcome_app):
    if lan_address() is None:
        pytest.skip("this machine has no network address for a phone to reach")
    window = MainWindow(welcome_app.parent.parent, ask=ScriptedAsk(), open_url=lambda url: None)
    qtbot.addWidget(window)
    window.server_panel.set_address("127.0.0.1", free_port())
    assert window.server_panel.start_server()
    window.apps_tree.select_path(welcome_app)
    yield window
    window.server_panel.shutdown()


def decoded(pixmap) -> str:
    found = zxingcpp.read_barcodes(pixmap.toImage())
    assert len(found) == 1
    return found[0].text


def refused(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5)
    except urllib.error.URLError as error:
        return isinstance(error.reason, ConnectionRefusedError)
    return False


def test_the_phone_url_is_served_and_its_qr_code_decodes_to_it(window, qtbot):
    window.commands["phone_preview"].trigger()
    dialog = window.phone_preview
    assert dialog.isVisible()
    assert dialog.url_edit.text() == "" and dialog.network_button.isEnabled()
    port = window.server_panel.server.port
    dialog.network_button.click()
    qtbot.waitUntil(lambda: dialog.url_edit.text() != "", timeout=30_000)
    url = dialog.url_edit.text()
    assert url == f"http://{lan_address()}:{port}/welcome"
    assert decoded(dialog.qr.pixmap()) == url
    assert fetch(url + "/default/index").status == 200
    assert fetch(f"http://127.0.0.1:{port}/welcome/default/index").status == 200  # still here
    appadmin = fetch(url + "/appadmin/index")
    assert appadmin.status == 403 and "insecure channel" in appadmin.text

    dialog.local_button.click()
    qtbot.waitUntil(lambda: window.server_panel.running
                    and window.server_panel.address()[0] == "127.0.0.1", timeout=30_000)
    assert dialog.url_edit.text() == "" and dialog.qr.pixmap().isNull()
    assert refused(url + "/default/index")
    assert fetch(f"http://127.0.0.1:{port}/welcome/default/index").status == 200


def test_the_dialog_warns_before_anything_listens_on_the_network(window):
    window.commands["phone_preview"].trigger()
    dialog = window.phone_preview
    assert "anyone on this network" in dialog.warning.text()
    assert "admin pages" in dialog.warning.text()
    assert window.server_panel.address()[0] == "127.0.0.1"


def test_a_long_address_still_makes_a_readable_code(qtbot):
    url = "http://192.168.100.200:65535/an_application_name/default/index?with=some&query=1"
    assert decoded(qr_pixmap(url)) == url


def test_stopping_while_on_the_network_puts_the_host_back_for_next_time(window, qtbot):
    window.commands["phone_preview"].trigger()
    dialog = window.phone_preview
    dialog.network_button.click()
    qtbot.waitUntil(lambda: dialog.url_edit.text() != "", timeout=30_000)
    window.server_panel.shutdown()  # as closing the window does
    assert window.server_panel.address()[0] == "127.0.0.1"
    window.save_settings()
    assert window.settings.host == "127.0.0.1"
