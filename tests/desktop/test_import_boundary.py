"""desktop/ reaches the framework only through its two small APIs: server.manage and
server.hosting (plus server.options' frozen settings they hand around)."""

import ast
from pathlib import Path

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"
ALLOWED = ("server.manage", "server.hosting")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names += [node.module] if node.module != "server" else [
                f"server.{alias.name}" for alias in node.names]
    return names


def test_desktop_imports_the_server_only_through_manage_and_hosting():
    crossings = {}
    for path in sorted(DESKTOP.rglob("*.py")):
        wrong = [name for name in imported_modules(path)
                 if (name == "server" or name.startswith("server."))
                 and not name.startswith(ALLOWED)]
        if wrong:
            crossings[str(path.relative_to(DESKTOP))] = wrong
    assert crossings == {}


def test_the_check_sees_an_import_that_crosses(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from server.paths import safe_join\nimport server.wsgi\n"
                      "from server import tickets\nfrom server.manage import apps\n")
    assert imported_modules(sample) == ["server.paths", "server.wsgi", "server.tickets",
                                        "server.manage"]
