"""The Output panel over a real server started from the window's server panel: prints of a
controller appear, per app; the text is searchable; the ring keeps only the newest lines."""

import time

import pytest
from PySide6.QtCore import Qt
from support import write_app

from desktop.output_panel import OutputPanel
from desktop.server_panel import ServerPanel
from server.hosting.output import OutputLine

SAYS = {"controllers/default.py": """
    def index():
        print('said by', request.application, request.vars.n)
        return 'ok'
"""}


@pytest.fixture
def serve(make_panel):
    """``serve()``: a started ServerPanel for ``root`` (made in the test's call phase, where
    pytest's capture of sys.stdout is in place), stopped at teardown."""

    def start() -> ServerPanel:
        panel = make_panel()
        assert panel.start_server(), panel.status_label.text()
        return panel

    return start


@pytest.fixture
def make_output(qtbot):
    def make(**options) -> OutputPanel:
        panel = OutputPanel(**options)
        qtbot.addWidget(panel)
        return panel

    return make


def test_a_print_from_a_controller_appears_and_each_app_can_be_shown_alone(
        root, serve, make_output, http, qtbot):
    write_app(root, "north", SAYS)
    write_app(root, "south", SAYS)
    output = make_output()
    server = serve()
    assert http(server.url + "/north/default/index?n=1").text == "ok"
    assert http(server.url + "/south/default/index?n=2").text == "ok"
    qtbot.waitUntil(lambda: "said by south 2" in output.shown_text(), timeout=20000)
    assert "[north] said by north 1" in output.shown_text()

    output.filter_box.setCurrentText("south")
    assert "said by south 2" in output.shown_text()
    assert "north" not in output.shown_text()
    output.filter_box.setCurrentText("All")
    assert "said by north 1" in output.shown_text()


def test_find_selects_each_match_in_turn_and_says_when_there_is_none(make_output, qtbot):
    output = make_output()
    output.add_lines([OutputLine(time.time(), "a", "print", text)
                      for text in ("apple one", "pear", "apple two")])
    output.show()
    qtbot.waitExposed(output)
    output.activateWindow()
    qtbot.waitUntil(output.isActiveWindow, timeout=20000)
    output.view.setFocus()
    qtbot.keyClick(output.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert output.find_edit.hasFocus()
    qtbot.keyClicks(output.find_edit, "apple")
    qtbot.keyClick(output.find_edit, Qt.Key.Key_Return)
    assert output.view.textCursor().block().text().endswith("apple one")
    qtbot.keyClick(output.find_edit, Qt.Key.Key_Return)
    assert output.view.textCursor().block().text().endswith("apple two")
    qtbot.keyClick(output.find_edit, Qt.Key.Key_Return)  # wraps around
    assert output.view.textCursor().block().text().endswith("apple one")
    qtbot.keyClick(output.find_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert output.view.textCursor().block().text().endswith("apple two")
    output.find_edit.setText("plum")
    assert not output.find_next() and output.find_status.text() == "Not found"


def test_only_the_newest_lines_are_kept(make_output):
    output = make_output(max_lines=3)
    output.add_lines([OutputLine(1.0, "", "print", f"line {n}") for n in range(10)])
    assert [line.text for line in output.lines] == ["line 7", "line 8", "line 9"]
    assert output.view.document().blockCount() == 3
    output.filter_box.setCurrentText("Server")
    assert output.shown_text().count("line") == 3
    output.clear()
    assert not output.lines and output.shown_text() == ""


def test_enter_on_a_ticket_line_asks_for_that_ticket(make_output, qtbot):
    output = make_output()
    output.add_lines([OutputLine(12.5, "shop", "log", "ERROR pocketweb.wsgi: ticket shop/x",
                                 ticket="x"), OutputLine(13.0, "shop", "print", "after")])
    cursor = output.view.textCursor()
    cursor.movePosition(cursor.MoveOperation.Start)
    output.view.setTextCursor(cursor)
    with qtbot.waitSignal(output.ticketRequested) as asked:
        qtbot.keyClick(output.view, Qt.Key.Key_Return)
    assert asked.args == ["shop", 12.5]
    cursor.movePosition(cursor.MoveOperation.End)
    output.view.setTextCursor(cursor)
    with qtbot.assertNotEmitted(output.ticketRequested):
        qtbot.keyClick(output.view, Qt.Key.Key_Return)
