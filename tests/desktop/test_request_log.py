import threading

from PySide6.QtCore import Qt, QThread

from desktop.request_log import RequestLogBridge, RequestLogModel, cell_text
from server.hosting.httpd import RequestLogEntry


def entry(path="/a", status=200, duration=0.0123):
    return RequestLogEntry(time=0.0, method="GET", path=path, status=status,
                           duration=duration, client="127.0.0.1")


def test_cells_show_method_path_status_and_milliseconds():
    row = entry("/welcome/default/index", 404, 0.0123)
    assert [cell_text(row, column) for column in range(1, 5)] == [
        "GET", "/welcome/default/index", "404", "12.3 ms"]


def test_model_keeps_only_the_newest_rows(qtbot):
    model = RequestLogModel(max_rows=3)
    for number in range(5):
        model.append(entry(f"/{number}"))
    assert model.rowCount() == 3
    paths = [model.data(model.index(row, 2)) for row in range(3)]
    assert paths == ["/2", "/3", "/4"]
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Duration"


def test_bridge_delivers_entries_from_a_server_thread_in_the_gui_thread(qtbot):
    bridge = RequestLogBridge()
    model = RequestLogModel()
    received_in = []

    def receive():
        received_in.append(QThread.currentThread())
        model.extend(bridge.take())

    bridge.entriesReady.connect(receive)
    worker = threading.Thread(target=bridge.hook, args=(entry("/from-thread"),))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert received_in == [QThread.currentThread()]
    assert model.data(model.index(0, 2)) == "/from-thread"


def test_a_burst_of_requests_is_one_signal_and_keeps_its_order(qtbot):
    bridge = RequestLogBridge(max_pending=50)
    model = RequestLogModel(max_rows=40)
    signals = []
    bridge.entriesReady.connect(lambda: signals.append(1) or model.extend(bridge.take()))
    burst = threading.Thread(
        target=lambda: [bridge.hook(entry(f"/{number}")) for number in range(100)])
    burst.start()
    burst.join()
    qtbot.waitUntil(lambda: model.rowCount() == 40)
    assert len(signals) == 1
    assert [model.data(model.index(row, 2)) for row in (0, 39)] == ["/60", "/99"]
    later = threading.Thread(target=bridge.hook, args=(entry("/next"),))
    later.start()
    later.join()
    qtbot.waitUntil(lambda: len(signals) == 2)
    assert model.data(model.index(39, 2)) == "/next"


def test_failed_requests_are_coloured_and_a_5xx_row_points_to_its_ticket():
    from PySide6.QtCore import Qt

    from desktop.request_log import CLIENT_ERROR, SERVER_ERROR, application_of
    from server.hosting.httpd import RequestLogEntry

    model = RequestLogModel()
    model.extend([RequestLogEntry(1.0, "GET", path, status, 0.01, "127.0.0.1")
                  for path, status in (("/a/default/index", 200), ("/a/x", 404),
                                       ("/a/default/broken?x=1", 500))])
    colours = [model.index(row, 3).data(Qt.ItemDataRole.ForegroundRole) for row in range(3)]
    assert colours[0] is None
    assert colours[1].color() == CLIENT_ERROR and colours[2].color() == SERVER_ERROR
    assert "ticket" in model.index(2, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert application_of(model.entries[2]) == "a"
