"""server/tickets.py: tickets written to real temp folders, and apps that issue them over HTTP."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import pytest
from support import assert_answer, serve_in_process, stop_in_process

from server.manage.tickets import list_tickets, load_ticket
from server.tickets import (
    MASK,
    TICKET_ID,
    code_context,
    create_ticket,
    is_secret_key,
    new_ticket_id,
    request_snapshot,
    safe_repr,
    safe_text,
    scrubbed,
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
    assert safe_repr("a" * 2000) == repr("a" * 2000)[:1000] + "...(truncated)"
    assert safe_repr("a" * 998) == repr("a" * 998)  # 1000 characters with the quotes: whole
    assert safe_repr(Unprintable()) == "<unrepresentable Unprintable: RuntimeError>"
    assert safe_repr([1, 2], limit=3) == "[1,...(truncated)"


class Unprintable2(Unprintable):
    def __str__(self):
        raise ValueError("no str either")


def test_safe_text_bounds_and_falls_back_to_the_repr():
    assert safe_text("b" * 4000) == "b" * 4000
    assert safe_text("b" * 4001) == "b" * 4000 + "...(truncated)"
    assert safe_text(Unprintable2()) == "<unrepresentable Unprintable2: RuntimeError>"
    assert safe_text(KeyError("k")) == "'k'"


def test_new_ticket_id_keeps_a_file_safe_bounded_client():
    when = datetime(2026, 3, 4, 5, 6, 7)
    assert new_ticket_id("10.0.0.1", when).startswith("10.0.0.1.2026-03-04.05-06-07.")
    assert new_ticket_id("", when).startswith("unknown.2026-03-04.05-06-07.")
    assert new_ticket_id(None, when).startswith("unknown.")
    assert new_ticket_id("a/b c", when).startswith("a_b_c.")
    long_client = new_ticket_id("x" * 100, when)
    assert long_client.startswith("x" * 64 + ".2026") and TICKET_ID.match(long_client)


@pytest.mark.parametrize("name", ["password", "PASSWD", "my_pwd", "client_secret", "Token",
                                  "Cookie", "authorization", "Proxy-Authorization",
                                  "HTTP_COOKIE", "http_authorization", "HTTP_PROXY_AUTHORIZATION"])
def test_secret_names(name):
    assert is_secret_key(name)


@pytest.mark.parametrize("name", ["user", "HTTP_USER_AGENT", "cookies_eaten", "author", 3])
def test_names_that_are_not_secret(name):
    assert not is_secret_key(name)


def test_scrubbing_masks_nested_secrets_within_its_bounds():
    nested = {"a": {"b": {"c": {"password": "deep"}}}, "list": [{"token": "t"}], "n": 1}
    assert scrubbed(nested) == {"a": {"b": {"c": {"password": MASK}}}, "list": [{"token": MASK}],
                                "n": 1}
    too_deep = {"1": {"2": {"3": {"4": {"password": "x"}}}}}
    assert scrubbed(too_deep)["1"]["2"]["3"]["4"] == {"password": "x"}  # depth 4 stops here
    assert scrubbed(("a", "b")) == ["a", "b"]
    assert len(scrubbed(list(range(150)))) == 100
    assert len(scrubbed({str(i): i for i in range(150)})) == 100


def test_locals_are_bounded_in_number(tmp_path):
    scope = {f"v{i}": i for i in range(250)}
    try:
        exec(compile("raise ValueError('many locals')", "models/db.py", "exec"), scope)
    except ValueError:
        ticket_id = create_ticket(tmp_path, "shop", "127.0.0.1", sys.exc_info(), {})
    shown = load_ticket(tmp_path, ticket_id)["frames"][-1]["locals"]
    assert len(shown) == 200 and shown["v0"] == "0" and "v200" not in shown


def test_code_context_is_clipped_at_the_ends_of_the_file(tmp_path):
    source = tmp_path / "five.py"
    source.write_text("".join(f"line{n}\n" for n in range(1, 6)))
    assert code_context(str(source), 1) == [[1, "line1"], [2, "line2"], [3, "line3"], [4, "line4"]]
    assert code_context(str(source), 5) == [[2, "line2"], [3, "line3"], [4, "line4"], [5, "line5"]]
    assert code_context(str(tmp_path / "gone.py"), 3) == []


def test_ticket_records_the_app_time_and_client(tmp_path):
    before = datetime.now()
    ticket = load_ticket(tmp_path, make_ticket(tmp_path, client="10.1.2.3", vars={"q": "x"}))
    assert (ticket["application"], ticket["client_ip"]) == ("shop", "10.1.2.3")
    assert before <= datetime.fromisoformat(ticket["time"]) <= datetime.now()
    assert ticket["request"]["vars"] == {"q": "x"}
    assert ticket["id"].startswith("10.1.2.3.")


def test_ticket_of_the_exception_being_handled_when_none_is_given(tmp_path):
    try:
        raise LookupError("missing thing")
    except LookupError:
        ticket_id = create_ticket(tmp_path, "shop", "127.0.0.1", None, None)
    ticket = load_ticket(tmp_path, ticket_id)
    assert (ticket["error_type"], ticket["message"]) == ("LookupError", "missing thing")
    assert ticket["request"] == {}


def test_request_snapshot_url_and_headers_from_a_bare_environ():
    snapshot = request_snapshot({"SERVER_NAME": "box", "SCRIPT_NAME": "/mount",
                                 "PATH_INFO": "/a/b/c", "CONTENT_LENGTH": "12",
                                 "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, None)
    assert snapshot == {
        "method": "", "url": "http://box/mount/a/b/c", "vars": {}, "client": "",
        "headers": {"Content-Length": "12", "X-Forwarded-For": "1.2.3.4"},
    }
    https = request_snapshot({"wsgi.url_scheme": "https", "HTTP_HOST": "h", "PATH_INFO": "/",
                              "QUERY_STRING": "a=&pwd=1"}, {"n": 5, "pwd": "x"})
    assert https["url"] == "https://h/?a=&pwd=********"
    assert https["vars"] == {"n": "5", "pwd": MASK}


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
    """An app that fails and answers with a ticket page, as the pipeline does (in-process)."""

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

    base = serve_in_process(app)
    yield base
    stop_in_process(base)


def test_http_error_leaves_a_ticket_and_shows_no_traceback(tmp_path, failing_server, http):
    answer = http(failing_server + "/shop/default/buy?q=1",
                  headers={"Cookie": "session=abc", "Authorization": "Bearer zzz"})
    assert_answer(answer, 500, "Ticket issued")
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
    assert_answer(answer, 500, "Ticket issued")
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


def test_a_ticket_made_after_the_except_block_keeps_the_exception_given(tmp_path):
    import traceback

    try:
        failing_action(0)
    except ZeroDivisionError:
        saved = sys.exc_info()
    ticket = load_ticket(tmp_path, create_ticket(tmp_path, "shop", "127.0.0.1", saved, {}))
    assert (ticket["error_type"], ticket["message"]) == ("ZeroDivisionError", "division by zero")
    assert ticket["traceback"] == "".join(traceback.format_exception(*saved))
    assert ticket["frames"][-1]["function"] == "failing_action"


def test_a_ticket_without_any_exception_still_says_so(tmp_path):
    ticket = load_ticket(tmp_path, create_ticket(tmp_path, "shop", "127.0.0.1", None, {}))
    assert (ticket["error_type"], ticket["frames"]) == ("None", [])


def test_a_ticket_that_cannot_be_written_is_logged_by_name(tmp_path, caplog):
    (tmp_path / "errors").write_text("a file where the folder should be", encoding="utf-8")
    with caplog.at_level("ERROR", logger="pocketweb.ticket_files"):
        ticket_id = make_ticket(tmp_path)
    (record,) = [r for r in caplog.records if r.name == "pocketweb.ticket_files"]
    assert record.getMessage() == f"could not store error ticket shop/{ticket_id}"


def test_tickets_are_readable_json_even_for_odd_values(tmp_path):
    snapshot = {"vars": {"name": "José"}, "odd": object()}
    ticket_id = make_ticket_with(tmp_path / "new" / "app", snapshot)  # folders made as needed
    text = (tmp_path / "new" / "app" / "errors" / ticket_id).read_text(encoding="utf-8")
    assert text.startswith('{\n "id": ')  # indented one space, as web2py's admin shows it
    assert '"José"' in text
    assert json.loads(text)["request"]["odd"].startswith("<object object at ")


def make_ticket_with(app_folder, request_info):
    try:
        failing_action(0)
    except ZeroDivisionError:
        return create_ticket(app_folder, "shop", "10.0.0.1", sys.exc_info(), request_info)


def test_client_names_keep_their_letters_of_both_cases():
    assert new_ticket_id("Host-A.b", datetime(2026, 1, 1)).startswith("Host-A.b.2026-01-01.")


def test_header_names_with_dashes_are_recognised_as_secret():
    assert is_secret_key("HTTP-Cookie") and is_secret_key("http-proxy-authorization")


def test_scrubbing_through_lists_counts_their_depth():
    assert scrubbed([[[{"password": "x"}]]]) == [[[{"password": MASK}]]]
    assert scrubbed([[[[{"password": "x"}]]]]) == [[[[{"password": "x"}]]]]  # past the bound


def test_code_context_comes_from_the_loader_when_the_file_is_not_on_disk(tmp_path):
    class Loader:
        def get_source(self, name):
            return "first = 1\nsecond = 2   \nthirdX = 3\n"

    scope = {"__name__": "virtual_module", "__loader__": Loader()}
    try:
        exec(compile("first = 1\nsecond = 2   \nthirdX = 3 / 0\n", str(tmp_path / "virtual.py"),
                     "exec"), scope)
    except ZeroDivisionError:
        ticket_id = create_ticket(tmp_path, "shop", "127.0.0.1", sys.exc_info(), {})
    frame = load_ticket(tmp_path, ticket_id)["frames"][-1]
    assert frame["context"] == [[1, "first = 1"], [2, "second = 2   "], [3, "thirdX = 3"]]


def test_request_snapshot_without_host_or_path_and_values_that_are_not_text():
    from decimal import Decimal

    snapshot = request_snapshot({"QUERY_STRING": "a=1"}, {"price": Decimal("1.5"), "n": 5})
    assert snapshot["url"] == "http://?a=1"
    assert snapshot["vars"] == {"price": "Decimal('1.5')", "n": "5"}


def test_frames_and_context_of_source_only_a_loader_knows(tmp_path):
    from server.tickets import frames_of

    class Loader:
        def get_source(self, name):
            return "one = 1\ntwo = 1 / 0\nendX\n"

    filename = str(tmp_path / "only_in_the_loader.py")
    scope = {"__name__": "loader_only", "__loader__": Loader()}
    assert code_context(filename, 2, scope) == [[1, "one = 1"], [2, "two = 1 / 0"], [3, "endX"]]
    try:
        exec(compile("one = 1\ntwo = 1 / 0\n", str(tmp_path / "other_loader_file.py"), "exec"),
             {"__name__": "loader_two", "__loader__": Loader()})
    except ZeroDivisionError:
        frame = frames_of(sys.exc_info()[2])[-1]
    assert frame["context"][:2] == [[1, "one = 1"], [2, "two = 1 / 0"]]


def test_posted_text_is_cut_at_the_repr_limit():
    snapshot = request_snapshot({}, {"essay": "e" * 2000})
    assert snapshot["vars"]["essay"] == "e" * 1000 + "...(truncated)"


def test_ticket_page_in_full():
    assert ticket_page("shop", "id-1") == (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Internal error</title>'
        "</head>\n<body><h1>Internal error</h1>\n<p>Ticket issued: <code>shop/id-1</code></p>\n"
        "<p>The details are in the Tickets panel of Pocketweb.</p>\n</body></html>\n")
