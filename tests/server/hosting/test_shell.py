"""-S / -M / -R / -A / -P / -T as a user runs them: main.py in a subprocess against a real app."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap

import pytest
from support import MAIN, write_app

MODELS = """
db = DAL('sqlite://storage.sqlite')
db.define_table('item', Field('name'))
"""
CONTROLLER = '''
def index():
    """
    >>> index()
    'hello from index'
    """
    return 'hello from index'

def total():
    """
    >>> total()
    3
    """
    return 1 + 1

def undocumented():
    return 'no examples here'

def count():
    return db(db.item).count()
'''


@pytest.fixture
def shop(root):
    write_app(root, "shop", {"models/db.py": MODELS, "controllers/default.py": CONTROLLER})
    return root


def main(root, *args, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(MAIN), "--folder", str(root), *args],
                          input=stdin, capture_output=True, text=True, timeout=60)


def names_in(root) -> list[str]:
    database = root / "applications" / "shop" / "databases" / "storage.sqlite"
    with sqlite3.connect(database) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM item ORDER BY id")]


def script(root, text: str):
    path = root / "script.py"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_script_with_models_writes_the_database_sees_its_argv_and_sets_the_exit_status(shop):
    path = script(shop, """
        import sys
        for name in sys.argv[1:]:
            db.item.insert(name=name)
        db.commit()
        print('argv', sys.argv, request.is_shell, request.application)
        sys.exit(4)
    """)
    result = main(shop, "-S", "shop", "-M", "-R", str(path), "-A", "x", "y")
    assert result.returncode == 4, result.stderr
    assert f"argv [{str(path)!r}, 'x', 'y'] True shop" in result.stdout
    assert names_in(shop) == ["x", "y"]


def test_a_script_that_ends_normally_is_committed_one_that_fails_rolled_back(shop):
    ok = script(shop, "db.item.insert(name='kept')\n")
    assert main(shop, "-S", "shop", "-M", "-R", str(ok)).returncode == 0
    failing = script(shop, "db.item.insert(name='lost')\nraise RuntimeError('boom')\n")
    result = main(shop, "-S", "shop", "-M", "-R", str(failing))
    assert result.returncode == 1
    assert "RuntimeError: boom" in result.stderr
    assert names_in(shop) == ["kept"]


def test_without_M_there_is_no_db_but_the_app_environment_is_there(shop):
    path = script(shop, """
        print('db' in globals(), request.application, URL('default', 'index'), T('Yes'),
              IS_INT_IN_RANGE(0, 9)('3'), type(session).__name__, cache is not None)
    """)
    result = main(shop, "-S", "shop", "-R", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False shop /shop/default/index Yes (3, None) Session True"


def test_the_interactive_shell_answers_lines_fed_on_stdin(shop):
    result = main(shop, "-S", "shop", "-M", "-P",
                  stdin="db.item.insert(name='typed')\nprint('rows', db(db.item).count())\n")
    assert result.returncode == 0, result.stderr
    assert "rows 1" in result.stdout
    assert "shell, application 'shop'" in result.stderr
    assert names_in(shop) == []  # nothing committed: db.commit() is the user's, as in web2py


def test_shell_on_a_controller_executes_it_and_on_a_function_prints_its_result(shop):
    result = main(shop, "-S", "shop/default", stdin="print(total(), count())\n")
    assert "2 0" in result.stdout, result.stderr
    printed = main(shop, "-S", "shop/default/index")
    assert printed.returncode == 0 and printed.stdout.strip() == "hello from index"


def test_doctests_report_each_function_and_fail_the_exit_status(shop):
    result = main(shop, "-T", "shop")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "ok   shop/default/index (1 examples)" in lines
    assert "FAIL shop/default/total (1 of 1 examples)" in lines
    assert not any("undocumented" in line for line in lines)
    assert "Expected:\n    3\nGot:\n    2" in result.stdout
    assert lines[-1] == "1 passed, 1 failed"
    only = main(shop, "-T", "shop/default/index")
    assert only.returncode == 0 and only.stdout.splitlines()[-1] == "1 passed, 0 failed"


@pytest.mark.parametrize("args, message", [
    (["-S", "nosuch"], "no application named 'nosuch'"),
    (["-S", "shop/nosuch"], "no controller 'nosuch'"),
    (["-S", "../etc"], "invalid application name"),
    (["-S", "shop", "-R", "missing.py"], "no such script"),
    (["-T", "shop/nosuch"], "invalid test path"),
    (["-R", "x.py"], "-R needs -S APP"),
    (["-M"], "-M needs -S APP"),
    (["-S", "shop", "-T", "shop"], "cannot be used together"),
])
def test_wrong_targets_get_one_clear_line_and_a_non_zero_exit(shop, args, message):
    result = main(shop, *args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_url_in_the_shell_follows_routes_py_as_in_a_request(shop):
    (shop / "routes.py").write_text(
        "routers = dict(BASE=dict(default_application='shop'))\n")
    path = script(shop, "print(URL('default', 'index'), URL('default', 'total', args=[1]))\n")
    result = main(shop, "-S", "shop", "-R", str(path))
    assert result.stdout.strip() == "/ /total/1", result.stderr
    (shop / "routes.py").write_text("routers = dict(BASE=dict(default_aplication='x'))\n")
    broken = main(shop, "-S", "shop", "-R", str(path))
    assert broken.stdout.strip() == "/shop/default/index /shop/default/total/1"
    assert "default_aplication" in broken.stderr and broken.returncode == 0
