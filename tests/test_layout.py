"""Conventions of the source tree that review alone keeps forgetting: small server modules,
one logger tree, and a server that never reaches for the window."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_SERVER_MODULE_LINES = 500


def python_files(*packages: str) -> list[Path]:
    return sorted(path for package in packages for path in (ROOT / package).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_server_module_is_over_the_size_limit():
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in python_files("server")}
    assert {name: lines for name, lines in sizes.items() if lines > MAX_SERVER_MODULE_LINES} == {}


@pytest.mark.parametrize("package", ["server", "gluon", "desktop"])
def test_every_logger_is_under_the_pocketweb_tree(package):
    strays = []
    for path in python_files(package):
        for name in re.findall(r"getLogger\(([^)]*)\)", path.read_text(encoding="utf-8")):
            if not re.fullmatch(r"""["']pocketweb(\.[a-z0-9_.]+)?["']""", name.strip()):
                strays.append(f"{path.relative_to(ROOT)}: getLogger({name})")
    assert strays == []


def test_the_server_never_imports_the_window():
    offenders = [f"{path.relative_to(ROOT)}: {name}" for path in python_files("server", "gluon")
                 for name in imported_modules(path)
                 if name.split(".")[0] in ("desktop", "PySide6", "shiboken6")]
    assert offenders == []
