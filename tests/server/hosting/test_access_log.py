"""The headless server's request lines: the console's and web2py's httpserver.log format."""

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
    AccessLog(console=True)(entry())
    assert capsys.readouterr().out == "GET /a/b/c?x=1 200 250.0 ms\n"
