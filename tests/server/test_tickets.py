"""server/tickets.py: tickets written to real temp folders, and a real server that issues them."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import pytest

from server.hosting.httpd import WebServer
from server.manage.tickets import list_tickets, load_ticket
from server.tickets import (
    MASK,
    TICKET_ID,
    create_ticket,
    request_snapshot,
    safe_repr,
    ticket_page,
)

ENVIRON = {
    "REQUEST_METHOD": "POST",
    "wsgi.url_scheme": "http",
    "HTTP_HOST": "127.0.0.1:8000",
    "PATH_INFO": "/shop/default/buy",
    "QUERY_STRING": "item=3&api_token=abc123",
    "HTTP_COOKIE": "session_id_shop=127.0.0.1-secretcookie",
    "HTTP_AUTHORIZATION": "Basic dXNlcjpwYXNz",
    "HTTP_USER_AGENT": "pytest",
    "CONTENT_TYPE": "application/x-www-form-urlencoded",
    "REMOTE_ADDR": "127.0.0.1",
}


class Unprintable:
    def __repr__(self):
        raise RuntimeError("no repr for you")


def failing_action(quantity):
    password = "hunter2"  # noqa: F841 - a local the ticket must mask
    big = "x" * 5000  # noqa: F841 - a local the ticket must bound
    odd = Unprintable()  # noqa: F841 - a local whose repr raises
    return 10 / quantity


def make_ticket(app_folder, client="127.0.0.1", vars=None):
    try:
        failing_action(0)
    except ZeroDivisionError:
        snapshot = request_snapshot(ENVIRON, vars or {"item": "3"})
        return create_ticket(app_folder, "shop", client, sys.exc_info(), snapshot)
    raise AssertionError("the action should have failed")


def test_ticket_id_has_web2py_shape_and_file_is_json(tmp_path):
    ticket_id = make_ticket(tmp_path)
    assert TICKET_ID.match(ticket_id)
    client, day, clock, unique = ticket_id.rsplit(".", 3)[0], *ticket_id.rsplit(".", 3)[1:]
    assert client == "127.0.0.1"
    assert datetime.strptime(f"{day} {clock}", "%Y-%m-%d %H-%M-%S")
    assert len(unique) == 36
    stored = json.loads((tmp_path / "errors" / ticket_id).read_text(encoding="utf-8"))
    assert stored["error_type"] == "ZeroDivisionError"
    assert stored["message"] == "division by zero"
    assert "Traceback" in stored["traceback"] and "failing_action" in stored["traceback"]
    assert [p.name for p in (tmp_path / "errors").iterdir()] == [ticket_id]  # no temp left


def test_ipv6_client_gives_a_file_safe_id(tmp_path):
    ticket_id = make_ticket(tmp_path, client="::1")
    assert ticket_id.startswith("__1.")
    assert TICKET_ID.match(ticket_id)


def test_frames_carry_context_and_bounded_masked_locals(tmp_path):
    ticket = load_ticket(tmp_path, make_ticket(tmp_path))
    inner = ticket["frames"][-1]
    assert inner["function"] == "failing_action"
    assert inner["filename"].endswith("test_tickets.py")
    numbers = [number for number, _ in inner["context"]]
    assert inner["line"] in numbers and len(numbers) == 7
    assert any("10 / quantity" in text for _, text in inner["context"])
    local = inner["locals"]
    assert local["quantity"] == "0"
    assert local["password"] == MASK
    assert len(local["big"]) < 1100 and local["big"].endswith("...(truncated)")
    assert "unrepresentable Unprintable" in local["odd"]
    assert "hunter2" not in json.dumps([frame["locals"] for frame in ticket["frames"]])


def test_secrets_inside_dict_locals_are_masked(tmp_path):
    def handler(environ):
        settings = {"db": {"password": "dbpw"}, "name": "shop"}  # noqa: F841
        raise KeyError("boom")

    try:
        handler(dict(ENVIRON))
    except KeyError:
        ticket_id = create_ticket(tmp_path, "shop", "127.0.0.1", sys.exc_info(), {})
    frame = load_ticket(tmp_path, ticket_id)["frames"][-1]
    assert "secretcookie" not in frame["locals"]["environ"]
    assert "dXNlcjpwYXNz" not in frame["locals"]["environ"]
    assert "HTTP_USER_AGENT" in frame["locals"]["environ"]
    assert "dbpw" not in frame["locals"]["settings"] and "shop" in frame["locals"]["settings"]


def test_request_snapshot_masks_secrets():
    snapshot = request_snapshot(ENVIRON, {"item": "3", "password": "pw", "user_pwd": "x",
                                          "csrf_token": "t", "tags": ["a", "b"]})
    assert snapshot["method"] == "POST"
    assert snapshot["url"].startswith("http://127.0.0.1:8000/shop/default/buy?item=3&api_token=")
    assert "abc123" not in snapshot["url"]
    assert snapshot["headers"]["Cookie"] == MASK
    assert snapshot["headers"]["Authorization"] == MASK
    assert snapshot["headers"]["User-Agent"] == "pytest"
    assert snapshot["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert snapshot["vars"]["password"] == MASK
    assert snapshot["vars"]["user_pwd"] == MASK
    assert snapshot["vars"]["csrf_token"] == MASK
    assert snapshot["vars"]["item"] == "3"
    assert snapshot["vars"]["tags"] == ["a", "b"]
    assert snapshot["client"] == "127.0.0.1"


def test_safe_repr_bounds_and_survives():
    assert safe_repr("a" * 2000).endswith("...(truncated)")
    assert "unrepresentable" in safe_repr(Unprintable())












def test_unwritable_errors_folder_still_returns_an_id(tmp_path):
    (tmp_path / "errors").write_text("a file where the folder should be", encoding="utf-8")
    ticket_id = make_ticket(tmp_path)
    assert TICKET_ID.match(ticket_id)


def test_ticket_page_names_the_ticket_and_escapes():
    page = ticket_page("shop", "127.0.0.1.2024-01-01.00-00-00.x")
    assert "shop/127.0.0.1.2024-01-01.00-00-00.x" in page
    assert "Traceback" not in page
    hostile = ticket_page("<script>", "a&b")
    assert "<script>" not in hostile and "&lt;script&gt;/a&amp;b" in hostile


# --- real HTTP --------------------------------------------------------------------------------

@pytest.fixture
def failing_server(tmp_path):
    """A real server whose app fails and answers with a ticket page, as the pipeline will."""

    def app(environ, start_response):
        try:
            failing_action(0)
        except ZeroDivisionError:
            snapshot = request_snapshot(environ, {"q": "1", "password": "pw"})
            ticket_id = create_ticket(tmp_path, "shop", environ["REMOTE_ADDR"], sys.exc_info(),
                                      snapshot)
            body = ticket_page("shop", ticket_id).encode()
            start_response("500 Internal Server Error",
                           [("Content-Type", "text/html; charset=utf-8")])
            return [body]

    server = WebServer(app, "127.0.0.1", 0)
    server.start()
    yield server.url
    server.stop()


def test_http_error_leaves_a_ticket_and_shows_no_traceback(tmp_path, failing_server, http):
    answer = http(failing_server + "/shop/default/buy?q=1",
                  headers={"Cookie": "session=abc", "Authorization": "Bearer zzz"})
    assert answer.status == 500
    assert "Traceback" not in answer.text and "division" not in answer.text
    [summary] = list_tickets(tmp_path)
    assert f"shop/{summary.id}" in answer.text
    ticket = load_ticket(tmp_path, summary.id)
    assert ticket["request"]["headers"]["Cookie"] == MASK
    assert ticket["request"]["headers"]["Authorization"] == MASK
    assert ticket["request"]["vars"] == {"q": "1", "password": MASK}
    assert summary.url.endswith("/shop/default/buy?q=1")
    assert "abc" not in json.dumps(ticket["request"]) and "zzz" not in json.dumps(ticket)


# --- through the real pipeline ----------------------------------------------------------------

def test_pipeline_failure_stores_a_ticket_with_app_frames(root, wsgi_server, http):
    from support import write_app

    app = write_app(root, "shop", {"controllers/default.py": """
        def boom():
            password = "hunter2"
            total = 0
            return password / total
        """})
    base = wsgi_server(root)
    answer = http(base + "/shop/default/boom?api_token=abc&page=2",
                  headers={"Cookie": "session_id_shop=stolen"})
    assert answer.status == 500
    assert "Traceback" not in answer.text and "hunter2" not in answer.text
    [summary] = list_tickets(app)
    assert f"shop/{summary.id}" in answer.text
    assert summary.error_type == "TypeError"
    assert summary.url.endswith("/shop/default/boom?api_token=********&page=2")
    ticket = load_ticket(app, summary.id)
    frame = ticket["frames"][-1]
    assert frame["function"] == "boom"
    assert frame["filename"].endswith("default.py")
    assert any("password / total" in text for _, text in frame["context"])
    assert frame["locals"]["password"] == MASK and frame["locals"]["total"] == "0"
    stored = json.dumps(ticket)
    assert "hunter2" not in json.dumps([f["locals"] for f in ticket["frames"]])
    assert "stolen" not in stored
    assert "abc" not in json.dumps(ticket["request"])


def test_deep_recursion_keeps_the_innermost_frames(tmp_path):
    def dive(depth):
        return dive(depth + 1)

    try:
        dive(0)
    except RecursionError:
        ticket_id = create_ticket(tmp_path, "shop", "127.0.0.1", sys.exc_info(), {})
    frames = load_ticket(tmp_path, ticket_id)["frames"]
    assert len(frames) == 40
    assert all(frame["function"] == "dive" for frame in frames)


def test_top_level_frames_leave_out_definitions(tmp_path):
    scope = {"json": json, "helper": make_ticket, "Thing": Unprintable, "count": 3}
    try:
        exec(compile("value = count * 2\nraise ValueError(value)", "models/db.py", "exec"),
             scope)
    except ValueError:
        ticket_id = create_ticket(tmp_path, "shop", "127.0.0.1", sys.exc_info(), {})
    frame = load_ticket(tmp_path, ticket_id)["frames"][-1]
    assert frame["function"] == "<module>"
    assert frame["locals"] == {"count": "3", "value": "6"}
