"""Output capture: prints and logs of apps served by a real cheroot server, per thread and app,
with the console the server was started from still getting everything."""

import logging
import subprocess
import sys
import threading

import pytest
from support import assert_answer, write_app

from server.hosting.httpd import RequestLogEntry
from server.hosting.output import access_output, capture_output, thread_output

APP = {
    "models/db.py": "print('model of', request.application)\n",
    "controllers/default.py": """
        import logging

        def index():
            print('hello', request.vars.who)
            print('second', 'line', sep='\\n')
            return 'ok'

        def warn():
            logging.getLogger('web2py.app.' + request.application).warning('careful %s', 1)
            return 'warned'

        def fail():
            return 1 / 0

        def chatty():
            import os
            for number in range(50):
                print(f'{request.vars.who}-{number}', end='')
                print(' end')
            return 'ok'
    """,
}


class Lines(list):
    start: object


@pytest.fixture
def lines():
    """What the listener got; it starts listening in the test's call phase, where pytest's own
    capture has already put its sys.stdout in place (between phases pytest swaps it back)."""
    captured = Lines()
    stops = []
    captured.start = lambda: stops.append(capture_output(captured.append))
    yield captured
    for stop in stops:
        stop()


@pytest.fixture
def base(root, live_server):
    write_app(root, "talk", APP)
    write_app(root, "other", APP)
    return live_server(root)


def texts(lines, app=None, kind="print"):
    return [line.text for line in list(lines) if line.kind == kind
            and (app is None or line.app == app)]


def test_prints_of_models_and_controllers_are_lines_of_their_app(lines, base, http, capfd):
    lines.start()
    assert http(base + "/talk/default/index?who=ann").text == "ok"
    assert http(base + "/other/default/index?who=bob").text == "ok"
    assert texts(lines, "talk") == ["model of talk", "hello ann", "second", "line"]
    assert texts(lines, "other") == ["model of other", "hello bob", "second", "line"]
    assert "hello ann" in capfd.readouterr().out  # the console still shows it


def test_threads_printing_at_once_never_share_a_line(lines, base, http):
    lines.start()
    def ask(who):
        assert http(f"{base}/talk/default/chatty?who={who}").text == "ok"

    threads = [threading.Thread(target=ask, args=(who,)) for who in ("aa", "bb", "cc")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    chatty = [text for text in texts(lines, "talk") if text.endswith(" end")]
    assert len(chatty) == 150
    for who in ("aa", "bb", "cc"):
        assert [text for text in chatty if text.startswith(who)] == \
            [f"{who}-{number} end" for number in range(50)]


def test_logging_and_tickets_become_lines_of_their_app(lines, base, http):
    lines.start()
    assert http(base + "/talk/default/warn").text == "warned"
    assert "WARNING web2py.app.talk: careful 1" in texts(lines, "talk", kind="log")
    answer = http(base + "/talk/default/fail")
    assert_answer(answer, 500, "Ticket issued")
    announced = [line for line in lines if line.ticket]
    assert len(announced) == 1 and announced[0].app == "talk"
    assert announced[0].ticket in answer.text


def test_warnings_still_reach_an_unconfigured_console_once():
    """Python prints warnings to stderr when logging is not configured; listening keeps that."""
    script = ("import logging; from server.hosting.output import capture_output\n"
              "got = []; capture_output(got.append)\n"
              "logging.getLogger('x').warning('careful'); print(len(got), got[0].text)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stderr == "careful\n"
    assert done.stdout == "1 WARNING x: careful\n"


def test_stopping_restores_the_streams_and_the_root_logger():
    before = sys.stdout, sys.stderr, list(logging.root.handlers)
    stop = capture_output(lambda line: None)
    assert sys.stdout is not before[0]
    stop()
    stop()  # twice is harmless
    assert (sys.stdout, sys.stderr, logging.root.handlers) == before


def test_thread_output_takes_only_this_threads_writes(lines, capfd):
    lines.start()
    taken = []
    with thread_output(taken.append):
        print("to the shell")
        other = threading.Thread(target=print, args=("from elsewhere",))
        other.start()
        other.join()
        sys.stdout.writelines(["written ", "lines\n"])
    assert "".join(taken) == "to the shell\nwritten lines\n"
    assert texts(lines) == ["from elsewhere"]
    out = capfd.readouterr().out
    assert "from elsewhere" in out and "to the shell" not in out


def test_access_lines_name_the_app_of_the_path():
    entry = RequestLogEntry(time=1.0, method="GET", path="/talk/default/index?x=1", status=200,
                            duration=0.002, client="127.0.0.1")
    line = access_output(entry)
    assert (line.app, line.kind, line.text) == ("talk", "access",
                                               "GET /talk/default/index?x=1 200 2.0 ms")
    assert access_output(RequestLogEntry(1.0, "GET", "/", 404, 0.0, "")).app == ""
