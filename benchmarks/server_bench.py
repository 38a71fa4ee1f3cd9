"""Pocketweb against bare cheroot, py4web and Flask: three workloads, two servers, two rounds.

``make bench`` runs it. Every contender is served by the same script (``serve_cheroot.py``, 10
threads) or by ``gunicorn -w 2``, and loaded by ``wrk -t2 -c16`` after a warm-up. Figures are
requests/s, p99 latency and the ratio to a bare WSGI hello on cheroot; bare cheroot is measured at
the start and the end of each round, so drift on a noisy machine shows. py4web and Flask come
from PyPI into their own environment (``.venv-bench``, see ``peers/requirements.txt``), never the
app's ``.venv``; without it only Pocketweb and bare cheroot are measured.

Then, in this process: the time per request of each workload through the WSGI callable, and what
a warm request still does (code compilations, ``define_table`` calls, migration checks, reads of
``.table`` migration files). Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
PEERS = HERE / "peers"
sys.path.insert(0, str(PROJECT))

WORKLOADS = ("hello", "rows", "authhello")
TITLES = {"hello": "hello action, no models",
          "rows": "20 of 100 rows through a view, DAL in models",
          "authhello": "hello in an app with DAL + Auth (8 tables)"}

ROWS_MODEL = """
db = DAL("sqlite://storage.sqlite")
db.define_table("item", Field("name"), Field("quantity", "integer"))
if not db(db.item).count():
    for i in range(100):
        db.item.insert(name="item %d" % i, quantity=i)
    db.commit()
"""
ROWS_VIEW = """<html><body><table>
{{for row in rows:}}<tr><td>{{=row.id}}</td><td>{{=row.name}}</td><td>{{=row.quantity}}</td></tr>
{{pass}}</table></body></html>"""
AUTH_MODEL = """
db = DAL("sqlite://storage.sqlite")
auth = Auth(db)
auth.define_tables()
db.define_table("item", Field("name"), Field("quantity", "integer"), auth.signature)
db.define_table("note", Field("item", "reference item"), Field("body", "text"))
"""
HELLO = 'def index():\n    return "Hello World"\n'
ROWS = "def index():\n    return dict(rows=db(db.item).select(limitby=(0, 20)))\n"
POCKETWEB_APPS = {
    "hello": {"controllers/default.py": HELLO},
    "rows": {"models/db.py": ROWS_MODEL, "controllers/default.py": ROWS,
             "views/default/index.html": ROWS_VIEW},
    "authhello": {"models/db.py": AUTH_MODEL, "controllers/default.py": HELLO},
}


# --------------------------------------------------------------------------------------------
# contenders
# --------------------------------------------------------------------------------------------
@dataclass
class Contender:
    """One framework on one server: how to start it, and the URL path of each workload."""

    name: str
    python: Path
    server: str  # "cheroot" or "gunicorn"
    paths: dict[str, str]  # workload -> path; one server process serves them all
    targets: dict[str, str]  # workload -> module:attribute ("" key: one target for all)
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = HERE


def contenders(data: Path, peers_python: Path | None) -> list[Contender]:
    own = Path(sys.executable)
    pocketweb_env = {"POCKETWEB_ROOT": str(data / "pocketweb"), "PYTHONPATH": str(PROJECT)}
    pocketweb_paths = {w: f"/{w}/default/index" for w in WORKLOADS}
    found = [Contender(f"Pocketweb on {server}", own, server, pocketweb_paths,
                       {"": "server.wsgi:application"}, pocketweb_env)
             for server in ("cheroot", "gunicorn")]
    if peers_python is None:
        return found
    py4web_env = {"BENCH_PY4WEB_APPS": str(data / "py4web" / "apps"), "PYTHONPATH": str(PEERS)}
    flask_env = {"BENCH_FLASK_DATA": str(data / "flask"), "PYTHONPATH": str(PEERS)}
    for server in ("cheroot", "gunicorn"):
        found.append(Contender(f"py4web on {server}", peers_python, server,
                               {w: f"/{w}/index" for w in WORKLOADS},
                               {"": "py4web_wsgi:application"}, py4web_env, PEERS))
        found.append(Contender(f"Flask on {server}", peers_python, server,
                               {w: "/" for w in WORKLOADS},
                               {w: f"flask_bench:{w}" for w in WORKLOADS}, flask_env, PEERS))
    return found


def prepare_data(data: Path) -> None:
    """Each contender's apps and databases in a fresh temp folder."""
    for app, files in POCKETWEB_APPS.items():
        for relative, text in files.items():
            target = data / "pocketweb" / "applications" / app / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text).lstrip())
    shutil.copytree(PEERS / "py4web_apps", data / "py4web" / "apps")
    (data / "flask").mkdir()


# --------------------------------------------------------------------------------------------
# serving and loading
# --------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Served:
    """One server process for one contender (and one target), stopped on exit."""

    def __init__(self, contender: Contender, target: str, threads: int):
        self.port = free_port()
        env = {**os.environ, **contender.env}
        if contender.server == "cheroot":
            command = [str(contender.python), str(HERE / "serve_cheroot.py"), target,
                       str(self.port), str(threads)]
        else:
            command = [str(contender.python), "-m", "gunicorn", "-w", "2", "-b",
                       f"127.0.0.1:{self.port}", "--log-level", "warning", target]
        self.process = subprocess.Popen(command, cwd=contender.cwd, env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(self.url + path, timeout=10) as answer:
                    answer.read()
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"{self.url + path} never answered") from None
                time.sleep(0.1)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.process.stdin.close()
        self.process.terminate()
        self.process.wait(timeout=30)


@dataclass
class Figure:
    rate: float
    p99_ms: float


def wrk(url: str, seconds: int, connections: int) -> Figure:
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
                            capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{output}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    value, unit = re.search(r"\s99%\s+([\d.]+)(us|ms|s)", output).groups()
    return Figure(rate, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit])


def load(served: Served, path: str, options) -> Figure:
    served.wait_ready(path)
    for _ in range(options.warmup):
        urllib.request.urlopen(served.url + path, timeout=10).read()
    return wrk(served.url + path, options.seconds, options.connections)


def measure_bare(options) -> Figure:
    bare = Contender("bare", Path(sys.executable), "cheroot", {"": "/"}, {"": "bare_hello:application"})
    with Served(bare, "bare_hello:application", options.threads) as served:
        return load(served, "/", options)


def measure(contender: Contender, options) -> dict[str, Figure]:
    figures = {}
    if "" in contender.targets:
        with Served(contender, contender.targets[""], options.threads) as served:
            for workload in WORKLOADS:
                figures[workload] = load(served, contender.paths[workload], options)
    else:
        for workload in WORKLOADS:
            with Served(contender, contender.targets[workload], options.threads) as served:
                figures[workload] = load(served, contender.paths[workload], options)
    return figures


def load_average() -> str:
    """The machine's 1-minute load average: how far from idle a figure was taken."""
    return f"{os.getloadavg()[0]:.1f}"


def print_round(number: int, bare_start: Figure, bare_end: Figure,
                results: dict[str, dict[str, Figure]], loads: tuple[str, str]) -> None:
    bare = (bare_start.rate + bare_end.rate) / 2
    print(f"\nround {number}: bare cheroot hello {bare_start.rate:.0f} req/s at the start, "
          f"{bare_end.rate:.0f} at the end (ratios use their mean, {bare:.0f}); load average "
          f"{loads[0]} at the start, {loads[1]} at the end")
    for workload in WORKLOADS:
        print(f"\n  {TITLES[workload]}")
        print(f"  {'':<22}{'req/s':>9}{'p99 ms':>9}{'ratio':>8}")
        for name, figures in results.items():
            figure = figures[workload]
            print(f"  {name:<22}{figure.rate:>9.0f}{figure.p99_ms:>9.1f}{figure.rate / bare:>8.2f}")


# --------------------------------------------------------------------------------------------
# in-process: time per request and what a warm request still does
# --------------------------------------------------------------------------------------------
class WarmWork:
    """Counts define_table calls, migration checks and .table file opens in this process."""

    def __init__(self):
        import pydal.base
        import pydal.migrator

        self.define_tables = self.migration_checks = self.table_file_opens = 0
        define_table, create_table = pydal.base.DAL.define_table, pydal.migrator.Migrator.create_table

        def counted_define_table(db, *args, **kwargs):
            self.define_tables += 1
            return define_table(db, *args, **kwargs)

        def counted_create_table(migrator, *args, **kwargs):
            self.migration_checks += 1
            return create_table(migrator, *args, **kwargs)

        pydal.base.DAL.define_table = counted_define_table
        pydal.migrator.Migrator.create_table = counted_create_table
        sys.addaudithook(self._audit)

    def _audit(self, event: str, arguments) -> None:
        if event == "open" and isinstance(arguments[0], str) and arguments[0].endswith(".table"):
            self.table_file_opens += 1

    def snapshot(self) -> tuple[int, int, int]:
        return self.define_tables, self.migration_checks, self.table_file_opens


def in_process(data: Path, requests: int, memory_requests: int = 0) -> None:
    counters = WarmWork()
    from server.wsgi import make_application

    app = make_application(data / "pocketweb")

    def call(path: str) -> None:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "",
                   "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1",
                   "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
                   "wsgi.input": io.BytesIO(), "SERVER_PROTOCOL": "HTTP/1.1"}
        body = app(environ, lambda status, headers, exc_info=None: None)
        b"".join(body)

    print(f"\nin-process, {requests} warm requests each (load average {load_average()}): wall and "
          "CPU time per request and, per warm request, compilations / define_table calls / "
          "migration checks / .table file opens")
    for workload in WORKLOADS:
        path = f"/{workload}/default/index"
        for _ in range(20):
            call(path)
        compiled = app.caches.code.compilations + app.caches.templates.compilations
        before = counters.snapshot()
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(requests):
            call(path)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        after = counters.snapshot()
        recompiled = app.caches.code.compilations + app.caches.templates.compilations - compiled
        per = [(b - a) / requests for a, b in zip(before, after, strict=True)]
        print(f"  {TITLES[workload]:<46}{elapsed / requests * 1e6:>8.0f} µs "
              f"{cpu / requests * 1e6:>6.0f} µs CPU   "
              f"{recompiled / requests:.2f} / {per[0]:.1f} / {per[1]:.1f} / {per[2]:.1f}")
    memory_growth(call, memory_requests)


def resident_kib() -> int:
    """This process's resident set size (Linux /proc), in KiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def memory_growth(call, requests: int) -> None:
    """RSS after 1,000 requests against RSS after ``requests``, the three workloads in turn."""
    if requests <= 1000:
        return
    paths = [f"/{workload}/default/index" for workload in WORKLOADS]
    for number in range(requests):
        call(paths[number % len(paths)])
        if number + 1 == 1000:
            early = resident_kib()
    late = resident_kib()
    print(f"  memory: RSS {early / 1024:.1f} MiB after 1,000 requests, {late / 1024:.1f} MiB "
          f"after {requests:,} ({(late - early) / early * 100:+.1f} %)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=200, help="requests before each load")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--peers-python", type=Path, default=PROJECT / ".venv-bench/bin/python")
    parser.add_argument("--requests", type=int, default=2000, help="in-process requests each")
    parser.add_argument("--memory-requests", type=int, default=100_000,
                        help="in-process requests before the second RSS reading (0: none)")
    parser.add_argument("--in-process-only", action="store_true",
                        help="skip the wrk rounds: only the in-process figures")
    options = parser.parse_args()
    if options.in_process_only:
        with tempfile.TemporaryDirectory() as folder:
            prepare_data(Path(folder))
            in_process(Path(folder), options.requests, options.memory_requests)
        return 0
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 1
    peers = options.peers_python if options.peers_python.exists() else None
    if peers is None:
        print(f"no peers environment at {options.peers_python}: measuring Pocketweb only")
    print(f"wrk -t2 -c{options.connections} -d{options.seconds}s after {options.warmup} warm-up "
          f"requests; cheroot with {options.threads} threads; gunicorn -w 2 (sync workers)")
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        prepare_data(data)
        for number in range(1, options.rounds + 1):
            load_at_start = load_average()
            bare_start = measure_bare(options)
            results = {c.name: measure(c, options) for c in contenders(data, peers)}
            bare_end = measure_bare(options)
            print_round(number, bare_start, bare_end, results, (load_at_start, load_average()))
        in_process(data, options.requests, options.memory_requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
