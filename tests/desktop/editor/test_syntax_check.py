"""Python syntax checks in a child process, with the in-process fallbacks."""

import sys

import pytest
from PySide6.QtCore import QProcess

from desktop.editor.syntax_check import (
    SyntaxChecker,
    SyntaxProblem,
    compile_problem,
    parse_report,
)


def test_compile_problem_reports_line_and_message():
    assert compile_problem("x = 1\n", "ok.py") is None
    problem = compile_problem("x = 1\ndef f(:\n", "bad.py")
    assert problem.line == 2 and problem.message
    nul = compile_problem("x = 1\0\n", "nul.py")  # ValueError or SyntaxError by version
    assert nul is not None and nul.line == 1 and "null" in nul.message


def test_parse_report():
    assert parse_report(b"") is None
    assert parse_report(b'[4, "invalid syntax"]\n') == SyntaxProblem(4, "invalid syntax")


@pytest.fixture
def checker(qtbot):
    checker = SyntaxChecker()
    yield checker
    qtbot.waitUntil(lambda: not checker.is_running(), timeout=10_000)


def check(qtbot, checker, source: bytes):
    with qtbot.waitSignal(checker.checked, timeout=10_000) as result:
        checker.check(source, "views.py")
    return result.args[0]


def test_child_process_finds_the_error_line(qtbot, checker):
    assert check(qtbot, checker, b"a = 1\n") is None
    problem = check(qtbot, checker, "s = 'é'\nfor x in y\n".encode())
    assert problem.line == 2
    assert problem.message == compile_problem("s = 'é'\nfor x in y\n", "views.py").message


def test_only_the_newest_check_reports(qtbot, checker):
    results = []
    checker.checked.connect(results.append)
    checker.check(b"if x\n", "old.py")
    checker.check(b"x = 1\n", "new.py")
    ended = []
    for process in checker.findChildren(QProcess):  # connected after the checker's own slot
        process.finished.connect(lambda *_: ended.append(True))
    qtbot.waitUntil(lambda: len(ended) == 2, timeout=10_000)  # the old one has finished too
    assert results == [None]


def test_missing_interpreter_falls_back_to_compiling_here(qtbot, checker, monkeypatch):
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")
    assert check(qtbot, checker, b"while True print(1)\n").line == 1


def test_frozen_program_compiles_in_process(qtbot, checker, monkeypatch):
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    results = []
    checker.checked.connect(results.append)
    checker.check(b"x = (\n", "frozen.py")
    assert [problem.line for problem in results] == [1]  # reported at once, no process
