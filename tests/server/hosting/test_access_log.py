"""The headless server's request lines: the console's and web2py's httpserver.log format."""

import sys
import threading
import time

from server.hosting.access_log import AccessLog, console_line, web2py_line
from server.hosting.httpd import RequestLogEntry


def entry(path="/a/b/c?x=1", status=200):
    return RequestLogEntry(time=time.mktime((2026, 5, 4, 3, 2, 1, 0, 0, -1)), method="GET",
                           path=path, status=status, duration=0.25, client="10.0.0.7",
                           protocol="HTTP/1.1")


def test_web2py_format_drops_the_query_and_escapes_commas():
    assert web2py_line(entry()) == \
        "10.0.0.7, 2026-05-04 03:02:01, GET, /a/b/c, HTTP/1.1, 200, 0.250000"
    assert ", /a/x%2Cy, " in web2py_line(entry("/a/x,y"))
    assert console_line(entry(status=404)) == "GET /a/b/c?x=1 404 250.0 ms"


def test_the_file_is_appended_and_the_console_can_be_quiet(tmp_path, capsys):
    target = tmp_path / "httpserver.log"
    target.write_text("older line\n")
    log = AccessLog(console=False, filename=target)
    log(entry())
    log(entry(status=500))
    log.close()
    lines = target.read_text().splitlines()
    assert lines[0] == "older line" and lines[2].endswith(", 500, 0.250000")
    assert capsys.readouterr().out == ""
    console = AccessLog(console=True)
    console(entry())
    console.close()
    assert capsys.readouterr().out == "GET /a/b/c?x=1 200 250.0 ms\n"


class HeldConsole:
    """A console whose writes wait until released, noting which thread wrote."""

    def __init__(self):
        self.writing, self.release = threading.Event(), threading.Event()
        self.writers, self.text = set(), []

    def write(self, text):
        self.writers.add(threading.current_thread())
        self.writing.set()
        assert self.release.wait(10)
        self.text.append(text)

    def flush(self):
        pass


def test_a_slow_console_never_holds_the_request_that_logs(monkeypatch):
    console = HeldConsole()
    monkeypatch.setattr(sys, "stdout", console)
    log = AccessLog(console=True)
    log(entry())  # returns although the console is not written yet
    log(entry(status=404))
    assert console.writing.wait(10)
    assert threading.current_thread() not in console.writers
    console.release.set()
    log.close()
    assert "".join(console.text) == "GET /a/b/c?x=1 200 250.0 ms\nGET /a/b/c?x=1 404 250.0 ms\n"
