"""Requests per second of the framework on cheroot, next to a bare WSGI hello on the same settings.

Run with ``make bench`` (installs wrk from Debian's packages when missing). Prints a table and
whether a warm request compiled anything (the code and template cache counters).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.hosting.httpd import WebServer  # noqa: E402
from server.wsgi import make_application  # noqa: E402

HELLO_CONTROLLER = """
def hello():
    return "Hello World"
"""
CONTROLLER = """
def page():
    return dict(rows=[dict(id=i, name="row %d" % i) for i in range(100)])

def rows():
    return response.json(db(db.item).select(limitby=(0, 20)).as_list())
"""
MODEL = """
db = DAL("sqlite://storage.sqlite", pool_size=0)
db.define_table("item", Field("name"), Field("quantity", "integer"))
if not db(db.item).count():
    for i in range(100):
        db.item.insert(name="item %d" % i, quantity=i)
    db.commit()
"""
VIEW = """<html><body><table>
{{for row in rows:}}<tr><td>{{=row['id']}}</td><td>{{=row['name']}}</td></tr>
{{pass}}</table></body></html>"""


def bare_hello(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "11")])
    return [b"Hello World"]


def make_root(folder: Path) -> Path:
    app = folder / "applications" / "bench"
    # The database model is conditional (models/default/): only the default controller uses it,
    # as a web2py app keeps a hello-world page free of database work.
    for sub, text in (("controllers/default.py", CONTROLLER), ("models/default/db.py", MODEL),
                      ("controllers/plain.py", HELLO_CONTROLLER),
                      ("views/default/page.html", VIEW)):
        (app / sub).parent.mkdir(parents=True, exist_ok=True)
        (app / sub).write_text(textwrap.dedent(text))
    return folder


def wrk(url: str, seconds: int, connections: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True, text=True, check=True).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{output}")
    return float(match.group(1))


def measure(app, paths, seconds, connections, threads, counters=lambda: None):
    """Warm every path once, then load each with wrk; return rates and the counters in between."""
    server = WebServer(app, "127.0.0.1", 0, threads=threads)
    server.start()
    try:
        for path in paths:
            urllib.request.urlopen(server.url + path).read()  # warm up: compile, migrate
        warm = counters()
        rates = {path: wrk(server.url + path, seconds, connections) for path in paths}
        return rates, warm, counters()
    finally:
        server.stop()


LABELS = {"/bench/plain/hello": "hello action",
          "/bench/default/page": "100-row template page",
          "/bench/default/rows": "20-row DAL query as JSON"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--threads", type=int, default=10)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 1
    settings = (options.seconds, options.connections, options.threads)
    with tempfile.TemporaryDirectory() as folder:
        app = make_application(make_root(Path(folder)))
        (bare, _, _) = measure(bare_hello, ["/"], *settings)
        rates, warm, after = measure(app, list(LABELS), *settings, counters=lambda: (
            app.code_cache.compilations, app.template_cache.compilations))
    print(f"{'what':<34}{'requests/s':>12}{'vs bare':>10}")
    print(f"{'bare WSGI hello (cheroot)':<34}{bare['/']:>12.0f}{'100%':>10}")
    for path, rate in rates.items():
        print(f"{LABELS[path]:<34}{rate:>12.0f}{rate / bare['/']:>10.0%}")
    share = rates["/bench/plain/hello"] / bare["/"]
    print(f"\nhello action at {share:.0%} of bare cheroot (target 50% or more): "
          f"{'met' if share >= 0.5 else 'NOT met'}")
    print(f"compilations (code files, templates) after warm-up: {warm}; after the load: {after}"
          f" -> {'no recompilation on warm requests' if warm == after else 'RECOMPILED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
