"""``--selftest``: prove a bundle works by serving the welcome page once, end to end.

Used after packaging (and in CI) to check that the frozen program finds its apps, imports its
dependencies, binds a port, renders a view through the whole pipeline and releases the port.
"""

from __future__ import annotations

import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

SELFTEST_PATH = "/welcome/default/index"
# The welcome index names its own view file; finding it proves models, controller, view ran.
EXPECTED_TEXT = "views/default/index.html"
HOST = "127.0.0.1"


class SelftestFailure(Exception):
    """One step of the self-test failed; the message says which and why."""


def _fetch(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as answer:
            return answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError) as exc:
        raise SelftestFailure(f"GET {url} failed: {exc}") from exc


def _serve_once(root: Path, timeout: float) -> tuple[int, float]:
    """Start a server on a free port, fetch the welcome page, stop; returns (port, seconds)."""
    from server.hosting.httpd import ServerError, WebServer, port_is_free
    from server.wsgi import make_application

    if not (root / "applications" / "welcome").is_dir():
        raise SelftestFailure(f"no welcome application in {root / 'applications'}")
    server = WebServer(make_application(root), HOST, 0, threads=2)
    try:
        server.start()
    except ServerError as exc:
        raise SelftestFailure(str(exc)) from exc
    started = time.perf_counter()
    try:
        status, body = _fetch(server.url + SELFTEST_PATH, timeout)
    finally:
        server.stop()
    elapsed = time.perf_counter() - started
    if status != 200:
        raise SelftestFailure(f"GET {SELFTEST_PATH} answered {status}: {body[:200]!r}")
    if EXPECTED_TEXT not in body:
        raise SelftestFailure(f"GET {SELFTEST_PATH} did not render the welcome page")
    if not port_is_free(HOST, server.port):
        raise SelftestFailure(f"port {server.port} still answers after stop")
    return server.port, elapsed


def run_selftest(root: Path, timeout: float = 20.0) -> int:
    """Serve ``/welcome/default/index`` from ``root`` once; print one line; 0 if it worked."""
    try:
        port, elapsed = _serve_once(Path(root), timeout)
    except Exception as exc:  # any failure, expected or not, is the test's answer
        print(f"selftest FAILED: {exc}", flush=True)
        return 1
    print(f"selftest ok: GET {SELFTEST_PATH} 200 in {elapsed:.2f} s on port {port}, "
          f"port released (Python {sys.version.split()[0]})", flush=True)
    return 0
