"""The console panels in the main window: the access log and server messages reach Output, and
a ticket line there opens that ticket in the Tickets panel."""

from PySide6.QtCore import QPoint, Qt
from support import write_app
from test_main_window import make_window, press, shown, start_on_free_port  # noqa: F401


def test_a_ticket_line_in_output_opens_the_ticket(make_window, qtbot, root, http):  # noqa: F811
    write_app(root, "shop", {"controllers/default.py": "def broken():\n    return 1 / 0\n"})
    window = shown(make_window(), qtbot)
    start_on_free_port(window)
    output = window.output_panel
    answer = http(window.server_panel.url + "/shop/default/broken")
    assert answer.status == 500
    qtbot.waitUntil(lambda: "GET /shop/default/broken 500" in output.shown_text(), timeout=20000)
    assert f"Serving {window.server_panel.url}" in output.shown_text()
    ticket_line = next(line for line in output.lines if line.ticket)
    assert ticket_line.ticket in answer.text

    press(qtbot, "Alt+7")
    assert output.isAncestorOf(window.focusWidget())
    block = next(output.view.document().findBlockByNumber(n)
                 for n in range(output.view.document().blockCount())
                 if ticket_line.ticket in output.view.document().findBlockByNumber(n).text())
    link_x = output.view.fontMetrics().horizontalAdvance(block.text()[:block.text().index("ERROR")])
    rect = output.view.blockBoundingGeometry(block).translated(output.view.contentOffset())
    where = QPoint(int(link_x + 8), int(rect.center().y()))
    qtbot.mouseClick(output.view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    tickets = window.tickets_view
    qtbot.waitUntil(lambda: tickets.selected_ticket_id() == ticket_line.ticket, timeout=10000)
    assert tickets.application == "shop" and tickets.isVisible()


def test_the_shell_follows_the_selected_app_and_answers(make_window, qtbot, root):  # noqa: F811
    window = shown(make_window(), qtbot)
    window.apps_tree.select_path(root / "applications/hello")
    press(qtbot, "Alt+8")
    shell = window.shell_panel
    assert shell.isVisible() and shell.application == "hello"
    assert shell.input.hasFocus()
    qtbot.waitUntil(lambda: "application 'hello'" in shell.transcript_text(), timeout=20000)
    qtbot.waitUntil(lambda: not shell.session.busy, timeout=20000)
    qtbot.keyClicks(shell.input, "request.application")
    qtbot.keyClick(shell.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ">>> request.application\n'hello'\n" in shell.transcript_text(),
                    timeout=20000)
    window.close()
    assert shell.session is None
