"""TicketsView: tickets made by failing actions over real HTTP, shown, opened and deleted."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from support import write_app

from desktop.tickets_view import TicketsView
from server import tickets

CONTROLLER = """
def index():
    return dict(ok=True)

def broken():
    divisor = 0
    return dict(value=1 / divisor)

def missing():
    raise KeyError('no such thing')
"""


@pytest.fixture
def app(root):
    return write_app(root, "shop", {"controllers/default.py": CONTROLLER})


@pytest.fixture
def view(qtbot, root, app):
    widget = TicketsView(root)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.listUpdated):
        widget.set_application("shop")
    return widget


def row_texts(view):
    return [[view.list.topLevelItem(i).text(c) for c in range(4)]
            for i in range(view.list.topLevelItemCount())]


def test_no_application_shows_nothing(qtbot, root):
    widget = TicketsView(root)
    qtbot.addWidget(widget)
    assert widget.list.topLevelItemCount() == 0
    assert "No application" in widget.status_label.text()
    assert not widget.delete_all_button.isEnabled()


def test_failing_action_ticket_appears_and_frame_opens_the_file(qtbot, root, app, view,
                                                                live_server, http):
    base_url = live_server(root)
    assert view.list.topLevelItemCount() == 0
    assert http(f"{base_url}/shop/default/broken").status == 500
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=5000)
    _time, error, message, url = row_texts(view)[0]
    assert (error, message) == ("ZeroDivisionError", "division by zero")
    assert url.endswith("/shop/default/broken")

    view.list.setCurrentItem(view.list.topLevelItem(0))
    assert "ZeroDivisionError" in view.traceback_text.toPlainText()
    frames = view.frames_tree
    controller_frame = next(
        frames.topLevelItem(i) for i in range(frames.topLevelItemCount())
        if frames.topLevelItem(i).text(0).startswith("default.py:"))
    line = CONTROLLER.lstrip("\n").splitlines().index("    return dict(value=1 / divisor)") + 1
    assert controller_frame.text(0) == f"default.py:{line} in broken"
    code, local_values = controller_frame.child(0), controller_frame.child(1)
    assert any(code.child(i).text(1).strip() == "divisor = 0" for i in range(code.childCount()))
    assert ("divisor", "0") in [(local_values.child(i).text(0), local_values.child(i).text(1))
                                for i in range(local_values.childCount())]
    request_keys = [view.request_tree.topLevelItem(i).text(0)
                    for i in range(view.request_tree.topLevelItemCount())]
    assert "url" in request_keys and "headers" in request_keys

    view.show()
    qtbot.waitExposed(view)
    frames.expandItem(controller_frame)
    frames.scrollToItem(code.child(0))
    rect = frames.visualItemRect(code.child(0))
    qtbot.mouseClick(frames.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(view.openFileRequested) as opened:
        qtbot.mouseDClick(frames.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    path, opened_line = opened.args
    assert path.resolve() == (app / "controllers" / "default.py").resolve()
    assert opened_line == line


def test_a_view_error_opens_the_template_at_its_own_line(qtbot, root, view, live_server, http):
    app = write_app(root, "shop", {
        "controllers/default.py": "def page():\n    return dict()\n",
        "views/layout.html": "<html>\n<body>\n{{include}}\n</body>\n</html>\n",
        "views/default/page.html": "{{extend 'layout.html'}}\n<h1>Hi</h1>\n<p>{{=nope}}</p>\n"})
    assert http(f"{live_server(root)}/shop/default/page").status == 500
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=5000)
    view.list.setCurrentItem(view.list.topLevelItem(0))
    frames = view.frames_tree
    innermost = frames.topLevelItem(frames.topLevelItemCount() - 1)
    assert innermost.text(0).startswith("page.html:3")
    with qtbot.waitSignal(view.openFileRequested) as opened:
        frames.itemActivated.emit(innermost, 0)
    assert opened.args == [app / "views/default/page.html", 3]


def test_newest_first_and_delete_one_then_all(qtbot, root, app, view, live_server, http):
    base_url = live_server(root)
    http(f"{base_url}/shop/default/broken")
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=5000)
    http(f"{base_url}/shop/default/missing")  # most often within the same second
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 2, timeout=5000)
    assert [row[1] for row in row_texts(view)] == ["KeyError", "ZeroDivisionError"]

    answers = iter([False, True, True])
    view.confirm = lambda _question: next(answers)
    view.list.setCurrentItem(view.list.topLevelItem(0))
    view.delete_button.click()
    assert view.list.topLevelItemCount() == 2
    view.delete_button.click()
    assert [row[1] for row in row_texts(view)] == ["ZeroDivisionError"]
    view.delete_all_button.click()
    assert view.list.topLevelItemCount() == 0
    assert not list((app / "errors").iterdir())
    assert "Deleted 1 ticket(s)" in view.status_label.text()


def test_damaged_ticket_does_not_break_the_view(qtbot, app, view):
    (app / "errors" / "127.0.0.1.2026-01-01.10-00-00.00000000-0000-4000-8000-000000000000"
     ).write_text("{not json", encoding="utf-8")
    with qtbot.waitSignal(view.listUpdated):
        view.refresh()
    assert view.list.topLevelItemCount() == 0
    assert "0 ticket(s)" in view.status_label.text()


def test_ticket_written_beside_the_view_shows_up_by_itself(qtbot, app, view):
    """Without any request: a real exception from the app's file, stored by server.tickets."""
    source = app / "controllers" / "default.py"
    environment = {}
    exec(compile(source.read_text(encoding="utf-8"), str(source), "exec"), environment)
    try:
        environment["missing"]()
    except KeyError:
        tickets.create_ticket(app, "shop", "127.0.0.1", sys.exc_info(),
                              {"url": "http://x/shop/default/missing", "method": "GET"})
    qtbot.waitUntil(lambda: view.list.topLevelItemCount() == 1, timeout=5000)
    assert row_texts(view)[0][1:] == ["KeyError", "'no such thing'", "http://x/shop/default/missing"]
    view.list.setCurrentItem(view.list.topLevelItem(0))
    frame = view.frames_tree.topLevelItem(view.frames_tree.topLevelItemCount() - 1)
    assert frame.text(0) == "default.py:9 in missing"
    view.frames_tree.setCurrentItem(frame)
    with qtbot.waitSignal(view.openFileRequested) as opened:
        qtbot.keyClick(view.frames_tree, Qt.Key.Key_Return)
    assert opened.args == [source, 9]


def write_tickets(app, count: int, hour: int = 10) -> list[str]:
    import json

    errors = app / "errors"
    errors.mkdir(exist_ok=True)
    ids = []
    for number in range(count):
        ticket_id = (f"127.0.0.1.2026-01-01.{hour:02d}-{number // 60 % 60:02d}-{number % 60:02d}."
                     f"00000000-0000-4000-8000-{number:012d}")
        (errors / ticket_id).write_text(json.dumps({
            "time": f"2026-01-01T{hour:02d}:{number // 60 % 60:02d}:{number % 60:02d}",
            "error_type": "KeyError", "message": f"number {number}", "request": {}}))
        ids.append(ticket_id)
    return ids


def test_two_thousand_tickets_list_off_the_gui_thread_and_a_new_one_alone(qtbot, app, view):
    from event_loop import finished_later

    write_tickets(app, 2000)
    with finished_later(qtbot, view.listUpdated):
        view.refresh()
    assert view.list.topLevelItemCount() == 2000
    first_row = view.list.topLevelItem(0)
    newest = write_tickets(app, 1, hour=12)[0]
    with qtbot.waitSignal(view.listUpdated, timeout=10000):
        view.refresh()
    assert view.list.topLevelItemCount() == 2001
    assert view.list.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole + 1) == newest
    assert view.list.topLevelItem(1) is first_row  # the other rows were left alone


def test_a_selection_outliving_its_application_shows_nothing(qtbot, app, view):
    """Installing a .w2p reloads the tree: the app goes away while its ticket is selected."""
    write_tickets(app, 1)
    with qtbot.waitSignal(view.listUpdated):
        view.refresh()
    item = view.list.topLevelItem(0)
    view.list.setCurrentItem(item)
    assert view.traceback_text.toPlainText() == ""  # (an empty traceback, but it was read)
    view.application = None  # as during set_application(None)
    view._listing = None
    view._ticket_chosen(item)  # a late currentItemChanged: used to call load_ticket(None, …)
    assert view.frames_tree.topLevelItemCount() == 0
    with qtbot.waitSignal(view.listUpdated):
        view.set_application(None)
    assert view.list.topLevelItemCount() == 0
