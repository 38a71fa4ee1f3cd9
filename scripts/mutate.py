"""Mutation testing of Pocketweb's core modules with mutmut, each module against its own tests.

    python scripts/mutate.py                      # the core set, one module after another
    python scripts/mutate.py server/routing.py    # one module (or a few)
    python scripts/mutate.py server/routing.py --only 'server.routing.x_URL*'

Each module is mutated in a scratch copy of the work tree under ``build/mutate/<module>/`` and
tested only with its mirrored tests, so the score says how well *they* pin the module down:
``server/forms/form.py`` -> ``tests/server/forms/test_form.py``, plus the files that split a
large mirror by job, ``test_<module>_<job>.py`` beside it (``test_sqlform_uploads.py``). A
``test_<module>_<rest>.py`` that is itself a module's mirror is not a part:
``tests/server/test_request_caches.py`` mirrors ``server/request_caches.py``, not
``server/request.py``.

A run is bounded by ``--minutes``; the score counts only the mutants checked. Each module's
results are kept in ``build/mutate/<module>.results.json`` and merged into the next run's: a
mutant not checked this time (outside ``--only``, or after the time limit) keeps its earlier
verdict while its function's code is unchanged (mutmut's hash of it); a changed function's
earlier verdicts are dropped. ``--fresh`` forgets them. Survivors listed in
``tests/mutation-equivalents.md`` (mutants that change nothing observable) are left out of the
score; the others are written with their diffs to ``build/mutate/<module>/survivors.txt``.

A developer's tool: not part of ``make test`` or CI (a module takes minutes).
"""

from __future__ import annotations

import argparse
import ast
import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import textwrap
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
NOT_CHECKED = "not checked"


def own_mirror(module: str) -> Path:
    """``server/forms/form.py`` -> ``tests/server/forms/test_form.py``."""
    path = Path(module)
    return Path("tests") / path.parent / f"test_{path.name}"


def mirrored_tests(module: str) -> list[str]:
    """The module's own test file, if any, and the ``test_<module>_<job>.py`` parts beside it
    that are no other module's mirror (the longest module name a file's name starts with owns
    it)."""
    own = own_mirror(module)
    stem = Path(module).stem
    siblings = {p.stem for p in (ROOT / module).parent.glob("*.py")}
    found = [str(own)] if (ROOT / own).is_file() else []
    for part in sorted((ROOT / own.parent).glob(f"test_{stem}_*.py")):
        name = part.stem.removeprefix("test_")
        owners = [s for s in siblings if name == s or name.startswith(s + "_")]
        if max(owners, key=len, default=None) == stem:
            found.append(str(part.relative_to(ROOT)))
    return found


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
        config.write(CONFIG.format(module=module, tests='", "'.join(mirrored_tests(module))))
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


def function_hashes(work: Path, module: str) -> dict[str, str]:
    """mutmut's hash of each mutated function's code (in its ``.meta`` file)."""
    meta = work / "mutants" / f"{module}.meta"
    if not meta.is_file():
        return {}
    return json.loads(meta.read_text("utf-8")).get("hash_by_function_name", {})


def function_of(mutant: str) -> str:
    """``server.routing.x_URL__mutmut_5`` -> ``x_URL`` (mutmut's key of the function)."""
    return mutant.rsplit("__mutmut_", 1)[0].rpartition(".")[2]


def saved_results(module: str) -> Path:
    return SCRATCH / f"{module.removesuffix('.py').replace('/', '.')}.results.json"


def merge_earlier(module: str, statuses: dict[str, str], hashes: dict[str, str]) -> int:
    """Give the mutants not checked now their earlier verdict where their function is
    unchanged; save the merged results. Returns how many verdicts were carried over."""
    saved = saved_results(module)
    earlier = json.loads(saved.read_text("utf-8")) if saved.is_file() else {}
    old_hashes, old_statuses = earlier.get("hashes", {}), earlier.get("statuses", {})
    carried = 0
    for name, status in statuses.items():
        now = hashes.get(function_of(name))
        unchanged = now is not None and now == old_hashes.get(function_of(name))
        if status == NOT_CHECKED and name in old_statuses and unchanged:
            statuses[name] = old_statuses[name]
            carried += 1
    checked = {n: s for n, s in statuses.items() if s != NOT_CHECKED}
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps({"hashes": hashes, "statuses": checked}, indent=1), "utf-8")
    return carried


def known_equivalents() -> set[str]:
    if not EQUIVALENTS.exists():
        return set()
    return set(re.findall(r"`(server\.[\w.]+__mutmut_\d+)`", EQUIVALENTS.read_text("utf-8")))


def mutant_sources(work: Path, module: str) -> dict[str, str]:
    """Each function of mutmut's mutated copy of the module, by name (``x_URL__mutmut_orig``,
    ``x_URL__mutmut_5``, methods as ``xǁClassǁname__mutmut_3``), as source text."""
    path = work / "mutants" / module
    text = path.read_text("utf-8")
    lines = text.splitlines()
    found = {}
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and "__mutmut_" in node.name:
            found[node.name] = textwrap.dedent("\n".join(lines[node.lineno - 1:node.end_lineno]))
    return found


def write_survivors(work: Path, module: str, survivors: list[str]) -> Path:
    """Each survivor's diff against the original function, all read from mutmut's mutated copy
    in one go (``mutmut show`` takes seconds a mutant)."""
    sources = mutant_sources(work, module)
    report = work / "survivors.txt"
    with open(report, "w", encoding="utf-8") as out:
        for name in survivors:
            function = name.rpartition(".")[2]
            original = sources.get(function.rsplit("__mutmut_", 1)[0] + "__mutmut_orig", "")
            mutant = sources.get(function, "").replace(function, function.rsplit("__mutmut_", 1)[0]
                                                       + "__mutmut_orig", 1)
            diff = difflib.unified_diff(original.splitlines(), mutant.splitlines(), module,
                                        module, n=1, lineterm="")
            out.write(f"### {name}\n" + "\n".join(list(diff)[2:]) + "\n\n")
    return report


def summarize(module: str, work: Path, finished: bool) -> dict:
    """Score the checked mutants (this run's and the earlier verdicts still valid)."""
    everything = results(work)
    ran = {n for n, s in everything.items() if s != NOT_CHECKED}
    carried = merge_earlier(module, everything, function_hashes(work, module))
    statuses = {n: s for n, s in everything.items() if s != NOT_CHECKED}
    equivalents = known_equivalents()
    counts = Counter(statuses.values())
    killed = sum(counts[s] for s in KILLED)
    equivalent = [n for n, s in statuses.items() if s not in KILLED and n in equivalents]
    survivors = [n for n, s in statuses.items() if s not in KILLED and n not in equivalents]
    scored = len(statuses) - len(equivalent)
    score = 100.0 * killed / scored if scored else 0.0
    report = write_survivors(work, module, survivors)
    unchecked = len(everything) - len(statuses)
    partial = "" if finished else "  (time limit reached: partial)"
    print(f"{module}: {len(everything)} mutants, {len(statuses)} checked ({len(ran)} in this "
          f"run, {carried} from earlier runs), {unchecked} not checked; {killed} killed, "
          f"{len(equivalent)} equivalent, {len(survivors)} left ({dict(counts)}) -> "
          f"{score:.1f} % of the checked{partial}\n  survivors: {report}")
    return dict(module=module, mutants=len(statuses), killed=killed,
                equivalent=len(equivalent), score=score)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("modules", nargs="*", help="paths under server/ (default: the core set)")
    parser.add_argument("--only", nargs="*", default=[], help="mutant name globs to run")
    parser.add_argument("--minutes", type=float, default=20, help="time limit per module")
    parser.add_argument("--children", type=int, default=1, help="parallel mutant runs")
    parser.add_argument("--fresh", action="store_true", help="forget earlier runs' verdicts")
    options = parser.parse_args(argv)
    modules = options.modules or CORE
    for module in modules:
        if not (ROOT / module).is_file() or not mirrored_tests(module):
            parser.error(f"{module}: no such module or no {own_mirror(module)} "
                         f"(or test_{Path(module).stem}_<job>.py beside it)")
    rows = []
    for module in modules:
        if options.fresh:
            saved_results(module).unlink(missing_ok=True)
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
