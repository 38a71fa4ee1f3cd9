"""Shared fixtures: real root folders in temp dirs, real apps, a real cheroot server on a free port."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from support import Browser, copy_welcome, fetch, memory_folder, write_app  # noqa: F401

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Under `make test` (POCKETWEB_TESTS_TMPFS=1) temporary files (tmp_path, the apps' SQLite files,
# every subprocess's) go to memory when the machine has a roomy tmpfs and TMPDIR names nothing
# else: each SQLite commit's fdatasync on a disk costs 1-20 ms of waiting, and a run makes
# thousands (as PostgreSQL's fsync is off). Only there: mutation runs start pytest thousands of
# times and may leave a killed run's folder behind, which must not stay in memory.
if (os.environ.get("POCKETWEB_TESTS_TMPFS") == "1" and "TMPDIR" not in os.environ
        and (memory := memory_folder())):
    os.environ["TMPDIR"] = memory
    tempfile.tempdir = None  # gettempdir() looks again
# Qt keeps its file dialog's history (the folders of earlier runs' tests) in the user's config
# folder; each run gets an empty one of its own, so no run depends on what an earlier one left.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="pocketweb-tests-config-")
atexit.register(shutil.rmtree, os.environ["XDG_CONFIG_HOME"], ignore_errors=True)

# Hypothesis's per-example deadline (200 ms) and its too-slow health check are timings, which
# a loaded machine runs past (a highlight example took 313 ms once, 0.15 ms when replayed):
# the project measures speed in `make bench`, never as a test's verdict.
settings.register_profile("pocketweb", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("pocketweb")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under ``make test``'s ``--dist loadgroup`` the tests of a file that share a module-scoped
    fixture (a built wheel, a gunicorn cluster, an nginx) run in one worker, so it is built
    once; every other test goes to whichever worker is free. Runs before xdist reads the marks."""
    for item in items:
        fixtures = getattr(item, "_fixtureinfo", None)
        if fixtures is None:
            continue
        scopes = {definitions[-1].scope for definitions in fixtures.name2fixturedefs.values()}
        if "module" in scopes or "class" in scopes:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::", 1)[0]))


@pytest.fixture(autouse=True)
def current_is_left_empty():
    """What a test put on ``current`` (the thread-local request state: some fixtures set
    ``current.request`` by hand) is gone before the next test in the same worker, which may
    check that ``current`` starts empty (tests/server/test_context.py)."""
    from server.current import current

    yield
    vars(current).clear()


@pytest.fixture
def root(tmp_path) -> Path:
    """An empty Pocketweb root folder (holds ``applications/``)."""
    (tmp_path / "applications").mkdir()
    return tmp_path


@pytest.fixture
def welcome_app(root) -> Path:
    """The shipped welcome app, copied into ``root`` (its folder)."""
    return copy_welcome(root)


@pytest.fixture(scope="session")
def tls_certificate(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: ``(cert.pem, key.pem)``, made once per run."""
    import subprocess

    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


@pytest.fixture
def live_server():
    """Start a real cheroot server for a root folder: ``base_url = live_server(root, **options)``
    (``options`` for the application; ``server_options`` for the WebServer: limits, hsts...).

    Every server started is stopped at teardown.
    """
    from server.hosting.httpd import WebServer
    from server.wsgi import make_application

    servers = []

    def start(root_folder: Path, server_options: dict | None = None, **options) -> str:
        options.setdefault("change_check_interval", 0)  # a test's edit is seen at once
        server = WebServer(make_application(Path(root_folder), **options), "127.0.0.1", 0,
                           **(server_options or {}))
        server.start()
        servers.append(server)
        return server.url

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def wsgi_server(request):
    """The WSGI callable for a root folder, called in-process: ``base_url = wsgi_server(root)``.

    Same signature and same base-URL use as :func:`live_server` (``http``/``browser`` reach it),
    but no socket and no server thread: each request is a call through ``wsgiref.validate``.
    Tests whose subject is the server itself (httpd, streaming, TLS) keep ``live_server``.
    ``POCKETWEB_TESTS_LIVE=1`` runs these tests over a real cheroot server instead, to compare.
    """
    if os.environ.get("POCKETWEB_TESTS_LIVE") == "1":
        yield request.getfixturevalue("live_server")
        return
    from support import serve_in_process, stop_in_process

    from server.wsgi import make_application

    bases = []

    def start(root_folder: Path, **options) -> str:
        options.setdefault("change_check_interval", 0)  # a test's edit is seen at once
        bases.append(serve_in_process(make_application(Path(root_folder), **options)))
        return bases[-1]

    yield start
    for base in bases:
        stop_in_process(base)


@pytest.fixture
def http():
    """The plain one-shot HTTP function (no cookies): ``http(url, data=..., headers=...)``."""
    return fetch


@pytest.fixture(scope="session")
def chromium():
    """The session's one headless Chromium (Debian's, through playwright), or a skip saying
    what to install."""
    from chromium import CHROMIUM, INSTALL_HINT, launch

    if not CHROMIUM.is_file():
        pytest.skip(f"browser tests need Chromium: {INSTALL_HINT}")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="browser tests need playwright: pip install -e '.[dev]'")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def browser() -> Browser:
    """A fresh cookie-keeping client."""
    return Browser()


POSTGRES_INSTALL_HINT = ("PostgreSQL server binaries (initdb, pg_ctl) not found; install them with "
                         "`apt-get install -y postgresql` (Debian/Ubuntu)")


def _postgres_bin_dir() -> Path | None:
    """Where initdb and pg_ctl live: on PATH, or Debian's /usr/lib/postgresql/<ver>/bin."""
    import shutil

    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    candidates = [Path(p).parent for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")
                  if (Path(p).parent / "initdb").is_file()]
    candidates.sort(key=lambda b: int(b.parent.name) if b.parent.name.isdigit() else 0)
    return candidates[-1] if candidates else None


@pytest.fixture(scope="session")
def postgres_uri():
    """A throwaway PostgreSQL cluster for the session: ``postgres://postgres@127.0.0.1:PORT/DB``.

    Its own data folder, port and socket folder, so a system cluster on 5432 is never touched;
    trust auth, fsync off. As root the server runs as the ``postgres`` user (it refuses root).
    """
    import shutil
    import socket
    import subprocess
    import tempfile

    bin_dir = _postgres_bin_dir()
    if bin_dir is None:
        pytest.skip(POSTGRES_INSTALL_HINT)
    pytest.importorskip("psycopg2", reason="psycopg2-binary missing: pip install -e '.[dev]'")
    as_postgres: list[str] = []
    base = Path(tempfile.mkdtemp(prefix="pocketweb-pg-"))
    if os.geteuid() == 0:
        import pwd

        try:
            account = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(base)
            pytest.skip("running as root needs a 'postgres' user to run PostgreSQL; "
                        "`apt-get install -y postgresql` creates it")
        os.chown(base, account.pw_uid, account.pw_gid)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data, sockets, log = base / "data", base / "sockets", base / "server.log"

    def run(*command: str) -> subprocess.CompletedProcess:
        return subprocess.run([*as_postgres, *command], cwd=base, capture_output=True, text=True,
                              timeout=60)

    def check(result: subprocess.CompletedProcess, what: str) -> None:
        if result.returncode != 0:
            server_log = log.read_text(errors="replace") if log.exists() else ""
            pytest.fail(f"{what} failed:\n{result.stdout}\n{result.stderr}\n{server_log}")

    check(run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
              "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"), "initdb")
    check(run("mkdir", str(sockets)), "mkdir")
    with socket.socket() as probe:  # a free port; the tiny race with other programs is accepted
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = (f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off")
    check(run(str(bin_dir / "pg_ctl"), "start", "-D", str(data), "-w", "-t", "30", "-l", str(log),
              "-o", options), "pg_ctl start")
    try:
        import psycopg2

        connection = psycopg2.connect(host="127.0.0.1", port=port, user="postgres",
                                      dbname="postgres")
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("CREATE DATABASE pocketweb_test")
        connection.close()
        yield f"postgres://postgres@127.0.0.1:{port}/pocketweb_test"
    finally:
        run(str(bin_dir / "pg_ctl"), "stop", "-D", str(data), "-m", "fast", "-w")
        shutil.rmtree(base, ignore_errors=True)


REDIS_INSTALL_HINT = ("redis-server not found; install it with `apt-get install -y redis-server` "
                      "(Debian/Ubuntu)")


@pytest.fixture(scope="session")
def redis_url():
    """A throwaway Redis for the session: ``redis://127.0.0.1:PORT/0``, its own port and folder,
    nothing saved to disk; stopped (and its folder removed) at the end."""
    import shutil
    import socket
    import subprocess
    import tempfile

    from support import wait_until

    server = shutil.which("redis-server")
    if server is None:
        pytest.skip(REDIS_INSTALL_HINT)
    redis = pytest.importorskip("redis", reason="the redis package is missing: pip install -e .")
    base = Path(tempfile.mkdtemp(prefix="pocketweb-redis-"))
    with socket.socket() as probe:  # a free port; the tiny race with other programs is accepted
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(base), "--save", "",
         "--appendonly", "no", "--logfile", str(base / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)

        def answers() -> bool:
            if process.poll() is not None:
                pytest.fail(f"redis-server exited: {(base / 'redis.log').read_text()}")
            try:
                return client.ping()
            except redis.exceptions.ConnectionError:
                return False

        wait_until(answers, 20, 0.02, "redis-server never answered")
        client.close()
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(base, ignore_errors=True)
