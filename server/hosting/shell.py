"""web2py's console side: ``-S app`` (an interactive shell in the app's environment), ``-R script``
(run a script there), ``-T app`` (the doctests of its controllers).

``-S`` takes ``app``, ``app/controller`` (also executes that controller, so its functions can be
called) or ``app/controller/function`` (prints what the function returns, then exits). The
environment comes from :func:`server.execution.model_environment`, the same builder cron, the
scheduler and the desktop use. As in web2py, a script that ends normally has its database work
committed, one that fails is rolled back, and in the interactive shell ``db.commit()`` is the
user's to call.
"""

from __future__ import annotations

import code
import contextlib
import doctest
import inspect
import re
import sys
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from server import __version__
from server.context import close_databases
from server.execution import CodeCache, controller_path, model_environment
from server.paths import subfolder
from server.rewrite import RoutesError, outside_requests

TARGET = re.compile(r"^/?(?P<a>\w+)(?:/(?P<c>\w+)(?:/(?P<f>\w+))?)?$")


class ShellError(Exception):
    """A target that cannot be opened (no such app or controller), with a one-line message."""


@dataclass
class Target:
    application: str
    controller: str | None = None
    function: str | None = None


def parse_target(text: str) -> Target:
    """``app[/controller[/function]]``, as web2py's -S and -T take it."""
    match = TARGET.match(text or "")
    if not match:
        raise ShellError(f"invalid application name: {text!r} (use app, app/controller or "
                         "app/controller/function)")
    return Target(match.group("a"), match.group("c"), match.group("f"))


@contextlib.contextmanager
def environment(root: Path, target: Target, with_models: bool,
                keep_databases: bool = False) -> Iterator[dict]:
    """The app's globals for the shell, inside the app's :class:`~server.context.Context`
    (leaving commits, or rolls back after an exception); naming a controller runs its models
    and its file."""
    folder = Path(root) / "applications" / target.application
    if not folder.is_dir():
        raise ShellError(f"no application named {target.application!r} in {root / 'applications'}")
    path = controller_path(folder, target.controller) if target.controller else None
    if path is not None and not path.is_file():
        raise ShellError(f"no controller {target.controller!r} in {target.application}")
    with model_environment(root, target.application, with_models or path is not None,
                           keep_databases, target.controller, target.function,
                           is_shell=True) as env:
        request = env["request"]
        request._rewrite = _routes_for(root, request)
        if path is not None:
            exec(CodeCache().get(path).code, env)  # noqa: S102 - the user's own app
        yield env


def _routes_for(root: Path, request):
    """URL() in the shell writes what routes.py says, as in web2py (a broken file: plain URLs)."""
    try:
        return outside_requests(root, request.application, request.environ)
    except RoutesError as exc:
        print(f"pocketweb: {exc}; URL() writes plain URLs", file=sys.stderr)
        return None


# --------------------------------------------------------------------------------------------
# -S / -R
# --------------------------------------------------------------------------------------------
def run_shell(root: Path, target_text: str, with_models: bool = False, script: str | None = None,
              args: list[str] | None = None, plain: bool = False) -> int:
    """Open the shell (or run ``script``) in the app's environment; returns the exit status."""
    try:
        target = parse_target(target_text)
        source, filename = _what_to_run(target, script)
    except ShellError as exc:
        print(f"pocketweb: error: {exc}", file=sys.stderr)
        return 2
    sys.argv = [script or target_text, *(args or [])]
    if source is None:
        return _interactive(root, target, with_models, plain)
    try:
        with environment(root, target, with_models) as env:
            if script:
                env["__file__"] = filename
            exec(compile(source, filename, "exec"), env)  # noqa: S102 - the user's own script
    except ShellError as exc:
        print(f"pocketweb: error: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # rolled back, as web2py does after sys.exit()
        return _exit_status(exc.code)
    except BaseException:  # rolled back; the status says it failed
        traceback.print_exc()
        return 1
    return 0


def _what_to_run(target: Target, script: str | None) -> tuple[str | None, str]:
    """The code to run (None: the interactive shell) and the file name it reports."""
    if target.function:
        return f"print({target.function}())", "<shell>"
    if not script:
        return None, "<shell>"
    path = Path(script)
    if not path.is_file():
        raise ShellError(f"no such script: {script}")
    return path.read_text(encoding="utf-8"), str(path)


def _exit_status(value) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def _interactive(root: Path, target: Target, with_models: bool, plain: bool) -> int:
    """The shell itself; what was not committed with ``db.commit()`` is rolled back at the end,
    as in web2py."""
    try:
        with environment(root, target, with_models, keep_databases=True) as env:
            interact(env, subfolder(root / "applications", target.application), plain)
    except ShellError as exc:
        print(f"pocketweb: error: {exc}", file=sys.stderr)
        return 2
    finally:
        close_databases(commit=False)
    return 0


def interact(env: dict, app_folder: Path, plain: bool) -> None:
    """IPython when installed and not ``plain``; else Python's own console with completion and
    a per-app history file when the terminal allows it."""
    if not plain:
        try:
            import IPython
        except ImportError:
            pass
        else:
            IPython.start_ipython(argv=[], user_ns=env)
            return
    _enable_history(env, app_folder)
    banner = (f"Pocketweb {__version__} shell, application {env['request'].application!r} "
              f"(Python {sys.version.split()[0]}); db.commit() to keep changes")
    code.interact(banner=banner, local=env, exitmsg="")


def _enable_history(env: dict, app_folder: Path) -> None:
    if not sys.stdin.isatty():
        return
    try:
        import readline
        import rlcompleter
    except ImportError:
        return
    history = app_folder / ".pythonhistory"
    readline.set_completer(rlcompleter.Completer(env).complete)
    readline.parse_and_bind("tab: complete")
    try:
        readline.read_history_file(history)
    except OSError:
        pass
    import atexit

    atexit.register(_save_history, readline, history)


def _save_history(readline, history: Path) -> None:
    try:
        readline.write_history_file(history)
    except OSError:
        pass


# --------------------------------------------------------------------------------------------
# -T: doctests of controllers
# --------------------------------------------------------------------------------------------
def run_doctests(root: Path, target_text: str, verbose: bool = False) -> int:
    """Run the doctests in the docstrings of an app's controller functions, each in a fresh
    environment (models run, controller executed), and print one line per function.
    Returns 0 when all pass, 1 when one fails, 2 when the target is wrong."""
    try:
        target = parse_target(target_text)
        folder = Path(root) / "applications" / target.application
        files = _controller_files(folder, target)
    except ShellError as exc:
        print(f"pocketweb: error: {exc}", file=sys.stderr)
        return 2
    failed = passed = 0
    for path in files:
        for name in _documented_functions(path, target.function):
            label = f"{target.application}/{path.stem}/{name}"
            try:
                outcome = _doctest_in_app(root, Target(target.application, path.stem, name),
                                          verbose)
            except Exception as exc:  # the models or the controller itself failed
                failed += 1
                print(f"FAIL {label} (the app's code failed: {type(exc).__name__}: {exc})")
                continue
            if outcome.failed:
                failed += 1
                print(f"FAIL {label} ({outcome.failed} of {outcome.attempted} examples)")
            else:
                passed += 1
                print(f"ok   {label} ({outcome.attempted} examples)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def _doctest_in_app(root: Path, target: Target, verbose: bool) -> doctest.TestResults:
    """One function's examples in a fresh environment; what they wrote is rolled back."""
    try:
        with environment(root, target, True, keep_databases=True) as env:
            return _run_docstring(env[target.function], env,
                                  f"{target.controller}.py: {target.function}", verbose)
    finally:
        close_databases(commit=False)


def _controller_files(folder: Path, target: Target) -> list[Path]:
    controllers = folder / "controllers"
    if not controllers.is_dir():
        raise ShellError(f"invalid test path: {target.application} has no controllers")
    if target.controller is None:
        return sorted(controllers.glob("*.py"))
    path = controller_path(folder, target.controller)
    if not path.is_file():
        raise ShellError(f"invalid test path: no controller {target.controller!r}")
    return [path]


def _documented_functions(path: Path, only: str | None) -> list[str]:
    """Top-level functions of a controller whose docstring holds examples, in file order."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and (only is None or node.name == only):
            doc = ast.get_docstring(node) or ""
            if ">>>" in doc:
                names.append(node.name)
    return names


def _run_docstring(function, env: dict, name: str, verbose: bool) -> doctest.TestResults:
    finder = doctest.DocTestFinder(recurse=False)
    runner = doctest.DocTestRunner(verbose=verbose)
    for test in finder.find(function, name, globs=env):
        test.filename = inspect.getsourcefile(function) or name
        runner.run(test)
    return doctest.TestResults(runner.failures, runner.tries)
