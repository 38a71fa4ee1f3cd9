"""Mutation testing of Pocketweb's core modules with mutmut, each module against its own tests.

    python scripts/mutate.py                      # the core set, one module after another
    python scripts/mutate.py server/routing.py    # one module (or a few)
    python scripts/mutate.py server/routing.py --only 'server.routing.x_URL*'

Each module is mutated in a scratch copy of the work tree under ``build/mutate/<module>/`` and
tested only with its mirrored test file (``server/forms/form.py`` -> ``tests/server/forms/
test_form.py``), so the score says how well *that* file pins the module down. A run is bounded
by ``--minutes``; what finished by then is reported. Survivors listed in
``tests/mutation-equivalents.md`` (mutants that change nothing observable) are left out of the
score; the others are written with their diffs to ``build/mutate/<module>/survivors.txt``.

A developer's tool: not part of ``make test`` or CI (a module takes minutes).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRATCH = ROOT / "build" / "mutate"
EQUIVALENTS = ROOT / "tests" / "mutation-equivalents.md"
MUTMUT = [sys.executable, "-m", "mutmut"]
CORE = [
    "server/routing.py", "server/static.py", "server/tickets.py", "server/views.py",
    "server/forms/form.py", "server/forms/sqlform.py", "server/auth/page_forms.py",
    "server/auth/login_pages.py", "server/auth/registration_pages.py",
    "server/auth/password_pages.py", "server/auth/profile_pages.py",
    "server/request.py", "server/response.py", "server/sessions.py", "server/execution.py",
]
CONFIG = """
[tool.mutmut]
source_paths = ["server"]
only_mutate = ["{module}"]
pytest_add_cli_args_test_selection = ["{tests}"]
pytest_add_cli_args = ["-p", "no:cacheprovider", "-x"]
also_copy = ["gluon", "desktop", "applications", "main.py"]
use_git_change_detection = false
"""
KILLED = {"killed", "timeout", "segfault"}


def mirrored_tests(module: str) -> str:
    """``server/forms/form.py`` -> ``tests/server/forms/test_form.py``."""
    path = Path(module)
    return str(Path("tests") / path.parent / f"test_{path.name}")


def prepare(module: str) -> Path:
    """A fresh copy of the work tree's files (tracked and new, as they are now) plus the config."""
    work = SCRATCH / module.removesuffix(".py").replace("/", ".")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.split("\n")
    archive = work / "tree.tar"
    with tarfile.open(archive, "w") as tar:
        for name in filter(None, files):
            if (ROOT / name).is_file():
                tar.add(ROOT / name, arcname=name)
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    archive.unlink()
    with open(work / "pyproject.toml", "a", encoding="utf-8") as config:
        config.write(CONFIG.format(module=module, tests=mirrored_tests(module)))
    return work


def run_mutmut(work: Path, only: list[str], children: int, minutes: float) -> bool:
    """Run mutmut until it ends or the time is up; True when it finished."""
    command = [*MUTMUT, "run", "--max-children", str(children), *only]
    with open(work / "run.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(command, cwd=work, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            process.wait(timeout=minutes * 60)
            return True
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait()
            return False


def results(work: Path) -> dict[str, str]:
    """Mutant name -> status (killed, survived, no tests, timeout, not checked, ...)."""
    output = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=work, capture_output=True,
                            text=True).stdout
    found = (line.strip().split(": ", 1) for line in output.splitlines() if "__mutmut_" in line)
    return {name: status for name, status in found}


def known_equivalents() -> set[str]:
    if not EQUIVALENTS.exists():
        return set()
    return set(re.findall(r"`(server\.[\w.]+__mutmut_\d+)`", EQUIVALENTS.read_text("utf-8")))


def write_survivors(work: Path, survivors: list[str]) -> Path:
    report = work / "survivors.txt"
    with open(report, "w", encoding="utf-8") as out:
        for name in survivors:
            shown = subprocess.run([*MUTMUT, "show", name], cwd=work, capture_output=True,
                                   text=True).stdout
            out.write(f"### {name}\n{shown}\n")
    return report


def summarize(module: str, work: Path, finished: bool) -> dict:
    statuses = results(work)
    equivalents = known_equivalents()
    counts = Counter(statuses.values())
    killed = sum(counts[s] for s in KILLED)
    equivalent = [n for n, s in statuses.items() if s not in KILLED and n in equivalents]
    survivors = [n for n, s in statuses.items() if s not in KILLED and n not in equivalents]
    scored = len(statuses) - len(equivalent)
    score = 100.0 * killed / scored if scored else 0.0
    report = write_survivors(work, [n for n in survivors if statuses[n] != "not checked"])
    print(f"{module}: {len(statuses)} mutants, {killed} killed, {len(equivalent)} equivalent, "
          f"{len(survivors)} left ({dict(counts)}) -> {score:.1f} %"
          f"{'' if finished else '  (time limit reached: partial)'}\n  survivors: {report}")
    return dict(module=module, mutants=len(statuses), killed=killed,
                equivalent=len(equivalent), score=score)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="paths under server/ (default: the core set)")
    parser.add_argument("--only", nargs="*", default=[], help="mutant name globs to run")
    parser.add_argument("--minutes", type=float, default=20, help="time limit per module")
    parser.add_argument("--children", type=int, default=1, help="parallel mutant runs")
    options = parser.parse_args(argv)
    modules = options.modules or CORE
    for module in modules:
        if not (ROOT / module).is_file() or not (ROOT / mirrored_tests(module)).is_file():
            parser.error(f"{module}: no such module or no {mirrored_tests(module)}")
    rows = []
    for module in modules:
        work = prepare(module)
        finished = run_mutmut(work, options.only, options.children, options.minutes)
        rows.append(summarize(module, work, finished))
    if len(rows) > 1:
        print("\n| module | mutants | killed | equivalent | score |\n|---|---|---|---|---|")
        for row in rows:
            print(f"| {row['module']} | {row['mutants']} | {row['killed']} | {row['equivalent']} "
                  f"| {row['score']:.0f} % |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
