"""Test helpers importable by any test as ``from support import ...`` (a unique module name:
``conftest`` is ambiguous once sub-folders have their own conftest.py)."""

from __future__ import annotations

import http.client
import http.cookiejar
import io
import itertools
import os
import queue
import subprocess
import sys
import textwrap
import threading
import urllib.error
import urllib.parse
import urllib.request
import urllib.response
from pathlib import Path
from wsgiref.validate import validator

SESSION_COUNTER_CONTROLLER = '''
import os
import time

def count():
    session.counter = (session.counter or 0) + 1
    return str(session.counter)

def slow_count():
    value = (session.counter or 0) + 1
    time.sleep(0.05)
    session.counter = value
    return str(value)

def look():
    return str(session.counter)
'''
"""The session tests' controller: a counter, the same with a pause between read and write (to
overlap concurrent requests), and a look that changes nothing."""


def counts_after_overlapping_requests(browser, base: str, requests: int) -> str:
    """One ``count``, then ``requests`` concurrent ``slow_count`` of the same user (the
    session controller above); what ``look`` reads after: ``requests + 1`` if none was lost."""
    import threading

    browser.get(base + "/count")
    threads = [threading.Thread(target=browser.get, args=(base + "/slow_count",))
               for _ in range(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return browser.get(base + "/look").text


def write_app(root: Path, name: str, files: dict[str, str]) -> Path:
    """Create ``applications/<name>`` under ``root`` with ``files`` (relative path -> text)."""
    app = root / "applications" / name
    for sub in ("models", "controllers", "views", "languages", "static", "modules",
                "private", "uploads", "databases", "sessions", "errors", "cache", "cron"):
        (app / sub).mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        target = app / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return app


def copy_welcome(root: Path) -> Path:
    """A fresh copy of the shipped welcome app in ``root/applications`` (without the data it
    made while running here); returns its folder."""
    import shutil

    source = Path(__file__).resolve().parents[1] / "applications" / "welcome"
    target = root / "applications" / "welcome"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(
        "databases", "sessions", "errors", "cache", "uploads", "*.eml", "__pycache__"))
    return target


def memory_folder(path: str = "/dev/shm", room: int = 4 * 2**30) -> str | None:
    """``path`` when it is a tmpfs (files in memory) that lets programs run from it and has
    ``room`` bytes free, else None (another system, a noexec or small /dev/shm)."""
    import shutil

    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    for line in mounts:
        _device, mount_point, kind, options, *_ = line.split()
        if mount_point == path and kind == "tmpfs" and "noexec" not in options.split(","):
            return path if os.access(path, os.W_OK) and shutil.disk_usage(path).free >= room \
                else None
    return None


class Fetched:
    """A finished HTTP exchange: status, headers and body, whatever the status."""

    def __init__(self, status: int, headers, body: bytes, reason: str = ""):
        self.status = status
        self.headers = headers
        self.body = body
        self.reason = reason

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


#: RFC 9110's reason phrases where Python's ``HTTPStatus`` still has RFC 2616's
REASON_RENAMED = {413: "Content Too Large", 414: "URI Too Long", 416: "Range Not Satisfiable",
                  422: "Unprocessable Content"}


def assert_answer(answer, status: int, message: str | None = None, **headers: str) -> None:
    """An answer checked for all that carries its behaviour, not its status alone: the status
    with its standard reason phrase, ``message`` in the body, and each named header's value
    (``Location=``, ``WWW_Authenticate=``, ``Content_Type=``: ``_`` stands for ``-``)."""
    text = answer.text if hasattr(answer, "text") else answer.body.decode("utf-8", "replace")
    shown = (answer.status, text[:300])
    assert answer.status == status, shown
    if getattr(answer, "reason", None) is not None:
        reasons = {http.HTTPStatus(status).phrase, REASON_RENAMED.get(status)}
        assert answer.reason in reasons, (answer.reason, shown)
    if message is not None:
        assert message in text, shown
    for name, value in headers.items():
        name = name.replace("_", "-")
        found = answer.header(name) if isinstance(answer, RawResponse) else answer.headers[name]
        assert found == value, (name, found, shown)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# --- the in-process client --------------------------------------------------------------------

_IN_PROCESS: dict[str, object] = {}  # "host:port" -> a validated WSGI callable
_next_host = itertools.count(1)


def serve_in_process(wsgi_app) -> str:
    """Make ``wsgi_app`` reachable by :func:`fetch` and :class:`Browser` without a socket.

    Returns a base URL (``http://in-process-N.test:80``) whose requests are turned into WSGI calls
    of ``wsgiref.validate.validator(wsgi_app)``, which fails the test on any breach of the WSGI
    spec. Cookies, redirects and error answers go through urllib exactly as over the network.
    """
    host = f"in-process-{next(_next_host)}.test:80"
    _IN_PROCESS[host] = validator(wsgi_app)
    return f"http://{host}"


def stop_in_process(base_url: str) -> None:
    _IN_PROCESS.pop(urllib.parse.urlsplit(base_url).netloc, None)


class _InProcessHandler(urllib.request.BaseHandler):
    """Answers requests for :func:`serve_in_process` hosts; any other host goes to the network."""

    handler_order = 100  # before urllib's HTTPHandler (500)

    def http_open(self, request: urllib.request.Request):
        app = _IN_PROCESS.get(request.host)
        if app is None:
            return None
        status, header_list, body = call_wsgi(app, wsgi_environ(request))
        code, reason = status.split(" ", 1)
        headers = http.client.HTTPMessage()
        for name, value in header_list:
            headers[name] = value
        if request.get_method() == "HEAD":
            body = b""  # as any server does: the headers only
        answer = urllib.response.addinfourl(io.BytesIO(body), headers, request.full_url, int(code))
        answer.msg = reason
        return answer


def wsgi_environ(request: urllib.request.Request) -> dict:
    """The WSGI environ a server would build for ``request`` (a prepared urllib request)."""
    parts = urllib.parse.urlsplit(request.full_url)
    data = request.data or b""
    environ = {
        "REQUEST_METHOD": request.get_method(),
        "SCRIPT_NAME": "",
        "PATH_INFO": urllib.parse.unquote_to_bytes(parts.path or "/").decode("latin-1"),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname,
        "SERVER_PORT": str(parts.port or 80),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.header_items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
        else:
            environ["HTTP_" + key] = value
    if data:
        environ.setdefault("CONTENT_LENGTH", str(len(data)))
    return environ


def call_wsgi(app, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """One WSGI call: (status line, headers, the whole body), the body iterable closed."""
    started = {}

    def start_response(status, headers, exc_info=None):
        started["status"], started["headers"] = status, headers
        return lambda data: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started["status"], started["headers"], body


def fetch(url: str, data: bytes | None = None, headers: dict | None = None,
          method: str | None = None, follow_redirects: bool = False,
          cookies=None, timeout: float = 15) -> Fetched:
    """One real HTTP request; non-2xx answers are returned, not raised. A dict ``data`` is sent
    form-encoded; a ``cookies`` jar is read and updated. ``timeout``: how long the client
    waits for the server to say anything."""
    if isinstance(data, dict):
        data = urllib.parse.urlencode(data, doseq=True).encode()
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    handlers = [_InProcessHandler()]
    if cookies is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(cookies))
    if not follow_redirects:
        handlers.append(_NoRedirect())
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as answer:
            return Fetched(answer.status, answer.headers, answer.read(), answer.msg)
    except urllib.error.HTTPError as error:
        return Fetched(error.code, error.headers, error.read(), error.reason)


class HeldRequests:
    """Requests sent in threads, which a debugger's breakpoint may hold, and their answers.
    Each client waits as a browser does, however long the test takes to step through it (a
    loaded machine's steps can add up to more than :func:`fetch`'s usual wait)."""

    CLIENT_WAITS = 600.0

    def __init__(self):
        self.answers: queue.SimpleQueue = queue.SimpleQueue()

    def send(self, url: str) -> None:
        threading.Thread(target=lambda: self.answers.put(fetch(url, timeout=self.CLIENT_WAITS)),
                         daemon=True).start()

    def answer(self, timeout: float = 30) -> Fetched:
        """The next answer, once the request was let go."""
        return self.answers.get(timeout=timeout)


class Browser:
    """A cookie-keeping HTTP client, like a user's browser: ``get``, ``post`` (form or bytes)."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()

    def request(self, url, data=None, headers=None, method=None, follow_redirects=False):
        return fetch(url, data, headers, method, follow_redirects, cookies=self.cookies)

    def get(self, url, **kwargs):
        return self.request(url, **kwargs)

    def post(self, url, data, **kwargs):
        return self.request(url, data=data, method="POST", **kwargs)


def process_gone(pid: int) -> bool:
    """Ended: no such process, or a zombie nobody has reaped yet (Linux: reads /proc)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return state == "Z"


def wait_until(condition, timeout: float = 10.0, interval: float = 0.01,
               message: str = "the condition never held"):
    """Poll ``condition()`` until it returns something true, and return that; fail the test
    after ``timeout`` seconds. The one way tests wait for another thread or process."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        outcome = condition()
        if outcome:
            return outcome
        if time.monotonic() > deadline:
            raise AssertionError(f"{message} (waited {timeout} s)")
        time.sleep(interval)


MAIN = Path(__file__).resolve().parents[1] / "main.py"


def serve_main(folder: Path, port: int, *extra, env=None):
    """Run ``main.py --folder folder -p port *extra`` until it answers; (process, first page)."""
    import subprocess
    import sys

    process = subprocess.Popen(
        [sys.executable, str(MAIN), "--folder", str(folder), "-p", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)

    def first_page():
        if process.poll() is not None:
            raise AssertionError(process.communicate()[1])
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                return answer.read().decode()
        except OSError:
            return None

    try:  # a cold start at load 28 took over 20 s
        return process, wait_until(first_page, 60, 0.05, "main.py never answered")
    except AssertionError:
        process.kill()
        raise


# --------------------------------------------------------------------------------------------
# raw HTTP: bytes on a socket, for tests where the exact bytes matter
# --------------------------------------------------------------------------------------------
class RawResponse:
    """One answer read off a socket: status, headers (lower-cased names, in order), body."""

    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes,
                 reason: str | None = None):
        self.status = status
        self.headers = headers
        self.body = body
        self.reason = reason

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k == name.lower()]
        return values[-1] if values else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def raw_connection(url: str, timeout: float = 10.0):
    """A socket to the server at ``url`` and a binary file reading from it."""
    import socket

    host, port = urllib.parse.urlsplit(url).hostname, urllib.parse.urlsplit(url).port
    sock = socket.create_connection((host, port), timeout=timeout)
    return sock, sock.makefile("rb")


def read_response(stream, head: bool = False) -> RawResponse:
    """Read exactly one answer from ``stream`` (``head``: the answer to a HEAD, no body)."""
    status_line = stream.readline()
    if not status_line:
        raise ConnectionError("the server closed the connection without answering")
    _version, status_text, *reason = status_line.decode("latin-1").split(" ", 2)
    status = int(status_text)
    headers = []
    while True:
        line = stream.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers.append((name.strip().lower(), value.strip()))
    answer = RawResponse(status, headers, b"", reason[0].strip() if reason else "")
    if head or status in (204, 304) or 100 <= status < 200:
        return answer
    if (answer.header("transfer-encoding") or "").lower() == "chunked":
        answer.body = _read_chunks(stream)
    elif answer.header("content-length") is not None:
        answer.body = stream.read(int(answer.header("content-length")))
    else:
        answer.body = stream.read()
    return answer


def _read_chunks(stream) -> bytes:
    body = b""
    while True:
        size = int(stream.readline().split(b";")[0], 16)
        if size == 0:
            stream.readline()
            return body
        body += stream.read(size)
        stream.readline()


def raw_exchange(url: str, data: bytes, answers: int = 1, head: bool = False) -> list[RawResponse]:
    """Send ``data`` on a new connection and read ``answers`` answers."""
    sock, stream = raw_connection(url)
    with sock, stream:
        sock.sendall(data)
        return [read_response(stream, head=head) for _ in range(answers)]


def tickets(app_folder: Path) -> list[Path]:
    """The tickets an app has stored (a client's mistake must never add one)."""
    return sorted((app_folder / "errors").glob("*"))


def assert_client_mistake(answer: RawResponse, status: int, app_folder: Path,
                          healthy_url: str, healthy_body: bytes | None = None) -> None:
    """A client's mistake was answered as one: its status, a one-line plain reason (no
    traceback, no markup echoed), no ticket stored, and the server still answers ``healthy_url``
    normally afterwards."""
    assert answer.status == status, (answer.status, answer.body[:200])
    assert b"Traceback" not in answer.body and b"<" not in answer.body, answer.body[:200]
    assert len(answer.body.strip().splitlines()) <= 1, answer.body[:200]
    assert tickets(app_folder) == []
    split = urllib.parse.urlsplit(healthy_url)
    path = split.path + (f"?{split.query}" if split.query else "")
    request = f"GET {path} HTTP/1.1\r\nHost: {split.netloc}\r\nConnection: close\r\n\r\n"
    (after,) = raw_exchange(f"{split.scheme}://{split.netloc}", request.encode())
    assert after.status == 200
    if healthy_body is not None:
        assert after.body == healthy_body


class LocalHTTPService:
    """A real HTTP server on a free loopback port answering with ``handler(method, path,
    headers, body) -> (status, content_type, text)``; a context manager that stops it."""

    def __init__(self, handler):
        import http.server
        import threading

        answer = handler

        class Handler(http.server.BaseHTTPRequestHandler):
            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                status, content_type, text = answer(self.command, self.path, self.headers, body)
                data = text.encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _serve

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def closed_port_url() -> str:
    """A loopback URL nothing listens on (the port was just free)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def serve_without_display(folder: Path, *extra) -> tuple[str, str]:
    """Run main.py with no display (so it falls back to serving headless) until it answers;
    stop it and return (its first page, what it said on stderr)."""
    import os

    from server.hosting.httpd import free_port

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    process, page = serve_main(folder, free_port(), *extra, env=env)
    process.terminate()
    _, err = process.communicate(timeout=10)
    return page, err


# A scaffold app with runtime data beside its sources (app-management tests).
SCAFFOLD_FILES = {
    "__init__.py": "",
    "controllers/default.py": "def index():\n    return dict(message='scaffold')\n",
    "views/layout.html": "<html>{{include}}</html>\n",
    "views/default/index.html": "{{extend 'layout.html'}}{{=message}}\n",
    "models/db.py": "# scaffold model\n",
    "static/css/site.css": "body {}\n",
    "sessions/abc": "session data",
    "errors/127.0.0.1.x": "ticket",
    "cache/cache.shelve": "cached",
    "databases/storage.sqlite": "database bytes",
}


def entries(folder) -> list[str]:
    return sorted(os.listdir(folder))


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def start_gunicorn(root: Path, workers: int, env: dict,
                   *options: str) -> tuple[subprocess.Popen, str]:
    """gunicorn serving ``root`` (``POCKETWEB_ROOT``) with ``workers`` processes, once it
    answers: ``(process, base URL)``. ``options`` are more of gunicorn's flags."""
    from server.hosting.httpd import free_port
    from server.paths import SOURCE_ROOT

    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    process = subprocess.Popen(
        [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "20",
         *options, "server.wsgi:application"],
        cwd=SOURCE_ROOT, env={**os.environ, **env, "POCKETWEB_ROOT": str(root)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def answers():
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}")
        try:
            return urllib.request.urlopen(base + "/", timeout=2).status  # noqa: S310 - loopback
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return None

    wait_until(answers, 30, 0.05, "gunicorn never answered")
    return process, base


def stop_gunicorn(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=20)


def workers_of(master: subprocess.Popen) -> list[int]:
    """The pids whose parent is gunicorn's master (its workers), read from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master.pid:
                pids.append(int(entry.name))
    return pids


def doc_block(doc: Path, language: str) -> str:
    """The one fenced ```language block of a doc, as a reader would copy it: tests that take a
    documented step run the doc's own text, so the doc cannot drift from what is tested."""
    import re

    (block,) = re.findall(rf"```{language}\n(.*?)```", doc.read_text(), re.S)
    return block


def localised(snippet: str, replacements: dict[str, str]) -> str:
    """A doc's snippet with its site-specific values swapped for a test's. Every value must be
    in the snippet: a changed doc fails here rather than leaving a step untested."""
    for doc_value, ours in replacements.items():
        assert doc_value in snippet, f"the documented snippet no longer says {doc_value!r}"
        snippet = snippet.replace(doc_value, ours)
    return snippet


def traced_call_returns(timeout: float = 30.0) -> bool:
    """Whether a function called under a trace function, in a fresh thread, returns. CPython
    3.11 spins for ever at that call once its pending-exception flag was left set (see
    server.hosting.thread_interrupts); a spinning thread is freed before this returns."""
    import threading

    from server.hosting.thread_interrupts import clear_stale_flag

    returned = threading.Event()

    def traced() -> None:
        sys.settrace(lambda frame, event, arg: None)
        try:
            (lambda: None)()
        finally:
            sys.settrace(None)
        returned.set()

    threading.Thread(target=traced, daemon=True).start()
    answer = returned.wait(timeout)
    if not answer:
        clear_stale_flag()
    return answer
