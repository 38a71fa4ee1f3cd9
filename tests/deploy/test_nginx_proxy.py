"""docs/deploy.md's step 5, taken for real: Debian's nginx, configured with the very snippet the
doc shows, terminates TLS in front of real gunicorn workers. The app sees the browser's https
scheme and address as nginx's proxy headers say, builds https URLs, and its static files are
served by nginx from disk."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
from pathlib import Path

import pytest
from support import doc_block, localised, start_gunicorn, stop_gunicorn, wait_until, write_app

from server.hosting.httpd import free_port
from server.paths import SOURCE_ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux",
                                reason="the client at 127.0.0.2 needs Linux's whole 127/8 loopback")

DEPLOY_DOC = SOURCE_ROOT / "docs" / "deploy.md"
NGINX_INSTALL_HINT = "nginx not found; install it with `apt-get install -y nginx` (Debian/Ubuntu)"
HOST = "example.org"  # the doc's server_name, sent as the browser would
CONTROLLER = '''
def facts():
    return response.json(dict(
        is_https=request.is_https, scheme=request.env.wsgi_url_scheme, client=request.client,
        forwarded_for=request.env.http_x_forwarded_for, host=request.env.http_host,
        url=URL("default", "facts", scheme=True)))
'''
STATIC_TEXT = "served from disk by nginx\n"


def nginx_binary() -> str | None:
    """nginx on PATH, or where Debian puts it (/usr/sbin is not on every user's PATH)."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def nginx_main_config(folder: Path, servers: str) -> str:
    """The doc's server blocks inside a configuration that keeps everything in ``folder``."""
    temp_paths = "\n".join(f"    {kind}_temp_path {folder / 'temp' / kind};"
                           for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    user = "user root;\n" if os.geteuid() == 0 else ""  # its workers must read the temp folder
    return (f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\n"
            f"error_log {folder / 'error.log'} info;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n    access_log {folder / 'access.log'};\n{temp_paths}\n"
            "    types { text/plain txt; text/html html; }\n"
            f"{servers}}}\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory, tls_certificate):
    """``(tls_port, http_port, gunicorn_base)``: two gunicorn workers serving the app
    ``proxied`` and nginx in front of them, configured as docs/deploy.md shows."""
    binary = nginx_binary()
    if binary is None:
        pytest.skip(NGINX_INSTALL_HINT)
    root = tmp_path_factory.mktemp("site")
    (root / "applications").mkdir()
    write_app(root, "proxied", {"controllers/default.py": CONTROLLER,
                                "static/hello.txt": STATIC_TEXT})
    gunicorn, gunicorn_base = start_gunicorn(root, 2, {})
    folder = tmp_path_factory.mktemp("nginx")
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / "temp" / kind).mkdir(parents=True)
    cert, key = tls_certificate
    tls_port, http_port = free_port(), free_port()
    servers = localised(doc_block(DEPLOY_DOC, "nginx"), {
        "listen 443 ssl;": f"listen 127.0.0.1:{tls_port} ssl;",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "/etc/letsencrypt/live/example.org/fullchain.pem": str(cert),
        "/etc/letsencrypt/live/example.org/privkey.pem": str(key),
        "/srv/pocketweb/root": str(root),
        "http://127.0.0.1:8000": gunicorn_base})
    (folder / "nginx.conf").write_text(nginx_main_config(folder, servers))
    nginx = subprocess.Popen([binary, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                              "-e", str(folder / "error.log")],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def listening() -> bool:
            if nginx.poll() is not None:
                pytest.fail(f"nginx exited: {nginx.stderr.read()}"
                            f"{(folder / 'error.log').read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", tls_port), timeout=1).close()
                return True
            except OSError:
                return False

        wait_until(listening, 30, 0.02, "nginx never listened")
        yield tls_port, http_port, gunicorn_base
    finally:
        nginx.terminate()
        nginx.wait(timeout=20)
        stop_gunicorn(gunicorn)


def browser_get(port: int, path: str, cert: Path | None, headers: dict | None = None,
                source: str = "127.0.0.1") -> http.client.HTTPResponse:
    """A GET for ``HOST`` from ``source``: over TLS that trusts only ``cert``, or plain HTTP."""
    if cert is None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20,
                                                source_address=(source, 0))
    else:
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False  # the test certificate names no host; its chain is checked
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=20, context=context,
                                                 source_address=(source, 0))
    connection.request("GET", path, headers={"Host": HOST, **(headers or {})})
    answer = connection.getresponse()
    answer.body = answer.read()
    connection.close()
    return answer


def test_a_page_through_nginx_over_tls_sees_https_and_the_forwarded_client(site, tls_certificate):
    tls_port, _, _ = site
    answer = browser_get(tls_port, "/proxied/default/facts", tls_certificate[0],
                         {"X-Forwarded-For": "198.51.100.7"}, source="127.0.0.2")
    assert answer.status == 200
    facts = json.loads(answer.body)
    assert facts["is_https"] is True and facts["scheme"] == "https"
    assert facts["forwarded_for"] == "198.51.100.7, 127.0.0.2"  # nginx added its peer
    assert facts["client"] == "198.51.100.7"  # the right-most address no local proxy wrote
    assert facts["host"] == HOST
    assert facts["url"] == f"https://{HOST}/proxied/default/facts"


def test_static_files_are_served_by_nginx_from_disk(site, tls_certificate):
    tls_port, _, gunicorn_base = site
    answer = browser_get(tls_port, "/proxied/static/hello.txt", tls_certificate[0])
    assert answer.status == 200 and answer.body.decode() == STATIC_TEXT
    assert answer.getheader("Cache-Control") == "max-age=86400"  # the doc's `expires 1d`
    direct = http.client.HTTPConnection(gunicorn_base.removeprefix("http://"), timeout=20)
    direct.request("GET", "/proxied/static/hello.txt")
    from_app = direct.getresponse()
    assert from_app.read().decode() == STATIC_TEXT
    direct.close()
    # nginx's ETag is "<mtime>-<size>" in hex; Pocketweb's (size and nanoseconds) differs
    assert answer.getheader("ETag") != from_app.getheader("ETag")
    assert re.fullmatch(f'"[0-9a-f]+-{len(STATIC_TEXT):x}"', answer.getheader("ETag"))


def test_plain_http_is_sent_to_https(site):
    _, http_port, _ = site
    answer = browser_get(http_port, "/proxied/default/facts?x=1", None)
    assert answer.status == 301
    assert answer.getheader("Location") == f"https://{HOST}/proxied/default/facts?x=1"
