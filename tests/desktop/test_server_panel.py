import socket
import threading

import pytest
from event_loop import HASH_WAIT_MS
from PySide6.QtCore import Qt
from scripted_ask import ScriptedAsk
from support import write_app

from desktop import icons
from desktop.server_panel import ServerPanel, probe_host
from server.hosting import admin_password
from server.hosting.httpd import port_is_free

HELLO = {"controllers/default.py": """
    import time

    def index():
        return "hello from pocketweb"

    def slow():
        import os
        open(request.folder + "/private/started", "w").close()
        for _ in range(1000):  # held until the test lets it go
            if os.path.exists(request.folder + "/private/release"):
                break
            time.sleep(0.01)
        return "finished slowly"
"""}


@pytest.fixture
def panel(root, make_panel):
    write_app(root, "hello", HELLO)
    return make_panel(ScriptedAsk(new_password=["secret"]))


def release_once_stopping(qtbot, private, port) -> None:
    """Let the held ``slow`` request finish, once the server has stopped listening."""
    qtbot.waitUntil(lambda: port_is_free("127.0.0.1", port), timeout=10000)
    (private / "release").touch()


def stop_and_wait(panel, qtbot) -> None:
    with qtbot.waitSignal(panel.serverStopped, timeout=15000):
        panel.stop_server()


def test_start_serves_pages_and_stop_frees_the_port(panel, http, qtbot):
    assert panel.state_icon.accessibleName() == "Server stopped"
    assert panel.start_server()
    assert not panel.start_button.isEnabled() and panel.stop_button.isEnabled()
    assert panel.url in panel.url_label.text()
    assert panel.state_icon.accessibleName() == "Server running"
    assert shows_icon(panel.state_icon, "running")
    assert http(panel.url + "/hello/default/index").text == "hello from pocketweb"

    port = panel.server.port
    stop_and_wait(panel, qtbot)
    assert port_is_free("127.0.0.1", port)
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    assert f"Port {port} is free" in panel.status_label.text()
    assert panel.url_label.text() == ""
    assert panel.state_icon.accessibleName() == "Server stopped"
    assert shows_icon(panel.state_icon, "stopped")


def shows_icon(label, name):
    return label.pixmap().toImage() == icons.icon(name).pixmap(16, 16).toImage()


def test_busy_port_is_a_message_not_a_crash(panel):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        panel.set_address("127.0.0.1", squatter.getsockname()[1])
        assert not panel.start_server()
    assert "already in use" in panel.status_label.text()
    assert any("already in use" in message for message in panel.ask.errors)
    assert panel.start_button.isEnabled() and not panel.stop_button.isEnabled()
    assert panel.server is None


def test_request_log_row_appears_after_a_request(panel, http, qtbot):
    panel.start_server()
    http(panel.url + "/hello/default/index?x=1")
    model = panel.log_model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    row = [model.data(model.index(0, column)) for column in range(1, 4)]
    assert row == ["GET", "/hello/default/index?x=1", "200"]


def test_stop_lets_an_in_flight_request_finish(panel, http, qtbot):
    panel.start_server()
    answers = []
    request = threading.Thread(
        target=lambda: answers.append(http(panel.url + "/hello/default/slow")))
    request.start()
    started = panel.root / "applications" / "hello" / "private" / "started"
    qtbot.waitUntil(started.exists, timeout=5000)
    port = panel.server.port
    with qtbot.waitSignal(panel.serverStopped, timeout=15000):
        panel.stop_server()
        release_once_stopping(qtbot, started.parent, port)
    request.join(timeout=10)
    assert [answer.text for answer in answers] == ["finished slowly"]


def test_stop_waits_for_requests_off_the_gui_thread(panel, http, qtbot):
    """The slow request is held until stop has begun; meanwhile the event loop keeps running."""
    panel.start_server()
    port = panel.server.port
    request = threading.Thread(target=lambda: http(panel.url + "/hello/default/slow"))
    request.start()
    private = panel.root / "applications/hello/private"
    qtbot.waitUntil((private / "started").exists, timeout=5000)
    stopped = []
    panel.serverStopped.connect(lambda: stopped.append(True))
    panel.stop_server()
    assert stopped == []  # returned at once, the request still held: the waiting is a worker's
    assert "Stopping" in panel.status_label.text()
    assert not panel.stop_button.isEnabled() and not panel.start_button.isEnabled()
    release_once_stopping(qtbot, private, port)
    qtbot.waitUntil(lambda: bool(stopped), timeout=15000)
    request.join(timeout=10)
    assert panel.start_button.isEnabled()


def test_start_never_asks_for_the_admin_password(root, make_panel):
    write_app(root, "hello", HELLO)
    ask = ScriptedAsk()
    widget = make_panel(ask)
    assert widget.start_server()
    widget.shutdown()
    assert ask.asked == [] and ask.errors == []
    assert not admin_password.has_password(root, None)


def test_the_password_button_stores_one_hash_for_the_root_folder(qtbot, root):
    ask = ScriptedAsk(new_password=["s3cret-pass"])
    widget = ServerPanel(root, ask)
    qtbot.addWidget(widget)
    assert "not set" in widget.password_label.text()
    assert "appadmin" in widget.password_label.text()
    with qtbot.waitSignal(widget.admin.changed, timeout=HASH_WAIT_MS):
        qtbot.mouseClick(widget.password_button, Qt.MouseButton.LeftButton)
    assert admin_password.check_password(root, None, "s3cret-pass")
    for port in (8000, 9123):
        assert admin_password.check_password(root, port, "s3cret-pass")
    assert "s3cret-pass" not in admin_password.parameters_file(root, None).read_text()
    assert "Admin password set" in widget.password_label.text()
    assert "Admin password set" in widget.password_label.accessibleName()


def test_url_link_and_open_in_browser_open_the_running_server(panel):
    assert not panel.open_in_browser()
    panel.start_server()
    panel.url_label.linkActivated.emit(panel.url)
    panel.open_in_browser("/hello")
    assert [url.toString() for url in panel.opened] == [panel.url, panel.url + "/hello"]


def test_every_control_has_an_accessible_name(panel):
    for widget in (panel.host_edit, panel.port_spin, panel.password_button, panel.start_button,
                   panel.stop_button, panel.status_label, panel.url_label, panel.log_view,
                   panel.password_label):
        assert widget.accessibleName()


def test_status_texts_are_what_screen_readers_read(panel):
    panel.start_server()
    assert panel.status_label.accessibleName() == f"Server status: Running on {panel.url}"
    assert panel.url_label.accessibleName().startswith(f"Running on {panel.url}")


def test_open_in_browser_says_so_when_no_browser_starts(make_panel):
    widget = make_panel(open_url=lambda url: False)
    widget.start_server()
    try:
        assert not widget.open_in_browser("/hello")
    finally:
        widget.shutdown()
    assert "No web browser could be started" in widget.ask.errors[0]
    assert "/hello" in widget.ask.errors[0]


def test_wildcard_hosts_are_probed_on_the_loopback():
    assert probe_host("0.0.0.0") == "127.0.0.1"
    assert probe_host("::") == "::1"
    assert probe_host("192.0.2.1") == "192.0.2.1"


def test_serves_the_shipped_welcome_app(welcome_app, make_panel, http):
    widget = make_panel(ScriptedAsk(new_password=["secret"]))
    assert widget.start_server(), widget.status_label.text()
    try:
        page = http(widget.url + "/welcome/default/index")
    finally:
        widget.shutdown()
    assert page.status == 200
    assert "Hello World" in page.text


def test_a_broken_routes_py_is_shown_in_the_panel_and_the_server_keeps_serving(panel, http,
                                                                               qtbot):
    panel.start_server()
    routes = panel.root / "routes.py"
    routes.write_text("routes_in = (\n    ('/a', '/hello/default/index'),\n    oops\n)\n")

    def problem_shown() -> bool:  # a request after the server's next look at its files
        assert http(panel.url + "/hello/default/index").status == 200
        return "routes.py, line 3" in panel.status_label.text()

    qtbot.waitUntil(problem_shown, timeout=10000)
    assert "previous rules stay" in panel.status_label.text()
