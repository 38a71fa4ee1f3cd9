"""Live reload over a real cheroot server: the script in local HTML pages, the bounded long poll."""

from __future__ import annotations

import json
import threading
import urllib.request

import pytest
from support import assert_answer, call_wsgi, fetch, wait_until, write_app, wsgi_environ

from server.hosting.httpd import WebServer
from server.hosting.live_reload import (
    POLL_PATH,
    SCRIPT_PATH,
    ChangeBoard,
    inject,
    with_live_reload,
)
from server.wsgi import make_application

CONTROLLER = """
def index():
    return '<html><body><p>page</p></body></html>'

def fragment():
    return '<p>no body tag</p>'

def data():
    response.headers['Content-Type'] = 'application/json'
    return '{"a": 1}'
"""


@pytest.fixture
def served(root):
    """``(base_url, board, server)``: the hello app behind live reload on a free port."""
    write_app(root, "hello", {"controllers/default.py": CONTROLLER})
    board = ChangeBoard(max_waiting=2)
    server = WebServer(with_live_reload(make_application(root), board), "127.0.0.1", 0)
    server.start()
    yield server.url, board, server
    server.stop()


def poll_in_thread(url: str) -> dict:
    """Start a poll on a thread; ``answer["body"]`` is filled when it returns."""
    answer: dict = {}

    def run():
        answer["body"] = json.loads(fetch(url).body)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    answer["thread"] = thread
    return answer


def test_a_local_html_page_carries_the_script_with_its_app_and_change_number(served):
    base, board, _server = served
    board.changed("hello")
    page = fetch(base + "/hello/default/index")
    assert page.status == 200
    tag = (f'<script src="{SCRIPT_PATH}" data-poll="{POLL_PATH}" data-app="hello" '
           f'data-number="1"></script></body>')
    assert tag in page.text
    assert int(page.headers["Content-Length"]) == len(page.body)


def test_fragments_and_other_types_are_left_alone(served):
    base, _board, _server = served
    assert fetch(base + "/hello/default/fragment").text == "<p>no body tag</p>"
    assert fetch(base + "/hello/default/data").text == '{"a": 1}'


def test_the_script_is_served_from_the_package(served):
    base, _board, _server = served
    script = fetch(base + SCRIPT_PATH)
    assert script.status == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert b"location.reload" in script.body


def test_a_poll_waits_until_the_app_changes(served):
    base, board, _server = served
    answer = poll_in_thread(f"{base}{POLL_PATH}?app=hello&number=0")
    wait_until(lambda: board.waiting == 1)
    board.changed("other")  # another app's save does not end this wait
    assert board.waiting == 1
    board.changed("hello")
    answer["thread"].join(10)
    assert answer["body"] == {"number": 1, "retry": 0}


def test_a_poll_behind_the_current_number_returns_at_once(served):
    base, board, _server = served
    board.changed("hello")
    assert json.loads(fetch(f"{base}{POLL_PATH}?app=hello&number=0").body)["number"] == 1


def test_no_more_than_max_waiting_polls_hold_a_thread(served):
    base, board, _server = served
    answers = [poll_in_thread(f"{base}{POLL_PATH}?app=hello&number=0") for _ in range(2)]
    wait_until(lambda: board.waiting == 2)
    turned_away = json.loads(fetch(f"{base}{POLL_PATH}?app=hello&number=0").body)
    assert turned_away == {"number": 0, "retry": 5}
    board.changed("hello")
    for answer in answers:
        answer["thread"].join(10)
        assert answer["body"]["number"] == 1


def test_stopping_the_server_ends_the_waiting_polls(served):
    base, board, server = served
    answer = poll_in_thread(f"{base}{POLL_PATH}?app=hello&number=0")
    wait_until(lambda: board.waiting == 1)
    server.stop()
    answer["thread"].join(10)
    assert answer["body"] == {"number": 0, "retry": 5}


def test_a_bad_number_is_a_client_mistake(served):
    base, _board, _server = served
    answer = fetch(f"{base}{POLL_PATH}?app=hello&number=x")
    assert_answer(answer, 400, "number must be an integer")
    assert answer.text == "number must be an integer"


def test_a_relayed_request_is_not_local(served):
    base, _board, _server = served
    headers = {"X-Forwarded-For": "203.0.113.9"}
    assert_answer(fetch(base + SCRIPT_PATH, headers=headers), 404, "not found")
    assert "<script" not in fetch(base + "/hello/default/index", headers=headers).text


def test_a_remote_client_gets_neither_the_script_nor_the_endpoints(root):
    write_app(root, "hello", {"controllers/default.py": CONTROLLER})
    app = with_live_reload(make_application(root), ChangeBoard())
    for path in ("/hello/default/index", SCRIPT_PATH, POLL_PATH + "?app=hello&number=0"):
        environ = wsgi_environ(urllib.request.Request("http://192.0.2.1:8000" + path))
        environ["REMOTE_ADDR"] = "192.0.2.7"
        status, _headers, body = call_wsgi(app, environ)
        assert b"<script" not in body
        if path.startswith("/__pocketweb__"):
            assert status.startswith("404")


def test_a_change_makes_the_served_application_look_at_its_files_again(root):
    """The window's save or the watcher's find reaches the Application before the page
    reloads, so the reloaded page is never served from what was seen before the save."""
    app = write_app(root, "hello", {"controllers/default.py": CONTROLLER})
    board = ChangeBoard()
    served = with_live_reload(make_application(root, change_check_interval=3600), board)
    environ = wsgi_environ(urllib.request.Request("http://127.0.0.1:8000/hello/default/index"))
    assert b"<p>page</p>" in call_wsgi(served, dict(environ))[2]
    (app / "controllers/default.py").write_text(CONTROLLER.replace("<p>page</p>", "<p>new</p>"))
    board.enabled = False  # a save counts even with live reload off
    board.changed("hello")
    assert b"<p>new</p>" in call_wsgi(served, dict(environ))[2]


def test_inject_goes_before_the_last_body_end_tag_whatever_its_case():
    assert inject(b"<BODY>x</BODY>", b"<s>") == b"<BODY>x<s></BODY>"
    assert inject(b"<p>fragment</p>", b"<s>") is None


def test_turned_off_pages_are_served_as_they_are_and_saves_reload_nothing(served):
    base, board, _server = served
    board.enabled = False
    assert "<script" not in fetch(base + "/hello/default/index").text
    board.changed("hello")
    assert board.number("hello") == 0
