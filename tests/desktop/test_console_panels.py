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


def test_a_paused_request_brings_the_window_to_its_line_and_f8_lets_it_go(
        make_window, qtbot, root):  # noqa: F811
    from support import HeldRequests

    from desktop.editor.breakpoint_margin import PAUSED_MARKER, marked_lines

    controller = root / "applications/hello/controllers/default.py"
    window = shown(make_window(), qtbot)
    start_on_free_port(window)
    window.open_file(controller, 2)
    editor = window.editor.current_editor()
    assert not window.commands["debug_continue"].isEnabled()
    press(qtbot, "F9")  # a breakpoint on the caret's line
    assert marked_lines(editor) == [2]
    press(qtbot, "Alt+1")  # somewhere else when the request arrives
    answers = HeldRequests()
    answers.send(window.server_panel.url + "/hello/default/index")
    debugger = window.debugger_panel
    qtbot.waitUntil(lambda: debugger.pause is not None, timeout=20000)
    assert window.panel_docks["debugger"].widget().isVisible()
    assert window.editor.current_editor() is editor and editor.caret_line() == 2
    assert marked_lines(editor, PAUSED_MARKER) == [2]
    assert window.commands["debug_continue"].isEnabled()
    press(qtbot, "F8")
    assert answers.answer().text == "first version"
    qtbot.waitUntil(lambda: not window.commands["debug_continue"].isEnabled())
    assert marked_lines(editor, PAUSED_MARKER) == []


def test_the_shell_evaluates_in_the_paused_frame_then_in_the_app_again(
        make_window, qtbot, root):  # noqa: F811
    from support import HeldRequests

    window = shown(make_window(), qtbot)
    start_on_free_port(window)
    window.apps_tree.select_path(root / "applications/hello")
    window.open_file(root / "applications/hello/controllers/default.py", 2)
    press(qtbot, "F9")
    answers = HeldRequests()
    answers.send(window.server_panel.url + "/hello/default/index")
    qtbot.waitUntil(lambda: window.debugger_panel.pause is not None, timeout=20000)
    press(qtbot, "Alt+8")
    shell = window.shell_panel
    assert shell.input.hasFocus() and shell.prompt_label.text() == "(paused) >>>"
    qtbot.waitUntil(lambda: "application 'hello'" in shell.transcript_text(), timeout=20000)
    qtbot.keyClicks(shell.input, "request.env.path_info")
    qtbot.keyClick(shell.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "(paused) >>> request.env.path_info\n'/hello/default/index'\n"
                    in shell.transcript_text(), timeout=20000)
    qtbot.keyClicks(shell.input, "while True: pass")
    qtbot.keyClick(shell.input, Qt.Key.Key_Return)
    pause = window.debugger_panel.pause
    qtbot.waitUntil(lambda: pause.evaluating, timeout=20000)
    assert shell.interrupt_button.isEnabled()
    qtbot.keyClick(shell.input, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "(paused) >>> while True: pass\nKeyboardInterrupt\n"
                    in shell.transcript_text(), timeout=20000)
    qtbot.waitUntil(lambda: not shell.interrupt_button.isEnabled(), timeout=20000)
    press(qtbot, "F8")
    assert answers.answer().text == "first version"
    qtbot.waitUntil(lambda: shell.prompt_label.text() == ">>>", timeout=20000)
    qtbot.waitUntil(lambda: shell.session is not None and not shell.session.busy,
                    timeout=20000)
    qtbot.keyClicks(shell.input, "request.application")
    qtbot.keyClick(shell.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "\n>>> request.application\n'hello'\n" in shell.transcript_text(),
                    timeout=20000)
