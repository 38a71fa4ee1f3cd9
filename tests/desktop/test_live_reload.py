"""A save in the window's editor, or a file changed by another program, reloads the app's page
open in headless Chromium."""

from __future__ import annotations

import pytest
from scripted_ask import ScriptedAsk
from support import fetch, wait_until, write_app

from desktop.editor.tabs import SaveAnswer
from desktop.live_reload import app_of
from desktop.main_window import MainWindow
from server.hosting.httpd import free_port

PAGE = """
def index():
    return '<html><body><h1>first version</h1></body></html>'

def form():
    return ('<html><body><h1>form, first</h1><form><input name="title" value="">'
            '</form></body></html>')
"""


@pytest.fixture
def running(qtbot, root):
    """A window serving the hello app on a free port, and the controller's path."""
    controller = write_app(root, "hello", {"controllers/default.py": PAGE}) / \
        "controllers/default.py"
    window = MainWindow(root, ask=ScriptedAsk(), open_url=lambda url: None)
    window.editor.confirm_save = lambda path: SaveAnswer.Discard
    qtbot.addWidget(window)
    window.server_panel.set_address("127.0.0.1", free_port())
    assert window.server_panel.start_server()
    window.open_file(controller)
    yield window, controller
    window.server_panel.shutdown()


def save(window, old: str, new: str) -> None:
    editor = window.editor.current_editor()
    editor.setText(editor.text().replace(old, new))
    window.commands["save"].trigger()


@pytest.fixture
def page(chromium):
    context = chromium.new_context()
    yield context.new_page()
    context.close()


def test_saving_a_file_of_the_app_reloads_its_open_page(running, page):
    window, _controller = running
    board = window.live_reload.board
    page.goto(window.server_panel.url + "/hello/default/index")
    wait_until(lambda: board.waiting == 1, timeout=30, message="the page never started polling")
    save(window, "first version", "second version")
    page.wait_for_selector("text=second version", timeout=30_000)


def test_a_file_changed_outside_the_window_reloads_the_open_page(running, page):
    window, controller = running
    board = window.live_reload.board
    page.goto(window.server_panel.url + "/hello/default/index")
    wait_until(lambda: board.waiting == 1, timeout=30, message="the page never started polling")
    number = board.number("hello")
    controller.write_text(PAGE.replace("first version", "changed by another editor"))
    page.wait_for_selector("text=changed by another editor", timeout=30_000)
    assert board.number("hello") == number + 1  # one change, one reload
    window.server_panel.shutdown()
    assert not window.live_reload.watcher.running  # the watcher stops with the server


def test_a_page_with_unsaved_input_asks_before_reloading(running, page):
    window, _controller = running
    board = window.live_reload.board
    page.goto(window.server_panel.url + "/hello/default/form")
    page.fill("input[name=title]", "typed, not sent")
    wait_until(lambda: board.waiting == 1, timeout=30)
    with page.expect_event("dialog") as asked:
        save(window, "form, first", "form, second")
    assert "lost" in asked.value.message
    asked.value.dismiss()
    wait_until(lambda: board.waiting == 1, timeout=30, message="declined: the page polls on")
    assert page.input_value("input[name=title]") == "typed, not sent"
    assert "form, first" in page.content()
    with page.expect_event("dialog") as asked:
        save(window, "form, second", "form, third")
    asked.value.accept()
    page.wait_for_selector("text=form, third", timeout=30_000)


def test_files_outside_an_app_belong_to_none(root):
    assert app_of(root, root / "applications/hello/views/x.html") == "hello"
    assert app_of(root, root / "routes.py") is None
    assert app_of(root, root / "applications/hello") is None


def test_the_server_menu_turns_live_reload_off_and_on(running):
    window, _controller = running
    action = window.commands["live_reload"]
    assert action.isChecked() and window.live_reload.board.enabled
    action.trigger()
    assert not action.isChecked() and not window.live_reload.board.enabled
    assert "<script" not in fetch(window.server_panel.url + "/hello/default/index").text
    action.trigger()
    assert window.live_reload.board.enabled
