"""The Shell panel on a real app: its models run in the session's thread, ``db.tables``
answers, an endless loop is interrupted by Ctrl+C while the window keeps answering, and the
input line has history, completion and multi-line statements."""

import pytest
from PySide6.QtCore import Qt
from support import traced_call_returns, write_app

from desktop.shell_panel import ShellPanel

APP = {"models/db.py": """
    db = DAL('sqlite://storage.sqlite')
    db.define_table('thing', Field('name'))
"""}


@pytest.fixture
def shell(qtbot, root):
    write_app(root, "store", APP)
    panel = ShellPanel(root)
    qtbot.addWidget(panel)
    panel.set_application("store")
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow, timeout=20000)
    panel.input.setFocus()
    qtbot.waitUntil(lambda: panel.prompt_label.text() == ">>>" and not panel.session.busy,
                    timeout=20000)
    yield panel
    panel.shutdown()


def run(qtbot, panel, line: str) -> str:
    """Type ``line`` and Enter; the transcript's new text once the shell is ready again."""
    start = len(panel.transcript_text())
    qtbot.keyClicks(panel.input, line)
    qtbot.keyClick(panel.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not panel.interrupt_button.isEnabled(), timeout=20000)
    return panel.transcript_text()[start:]


def test_the_banner_says_db_commit_is_needed_and_db_tables_answers(qtbot, shell):
    assert "application 'store'" in shell.transcript_text()
    assert "db.commit()" in shell.transcript_text()
    assert run(qtbot, shell, "db.tables") == ">>> db.tables\n['thing']\n"


def test_an_endless_loop_is_interrupted_with_ctrl_c_and_the_shell_goes_on(qtbot, shell):
    qtbot.keyClicks(shell.input, "while True: pass")
    qtbot.keyClick(shell.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.prompt_label.text() == "...", timeout=20000)
    qtbot.keyClick(shell.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.session.busy, timeout=20000)
    assert shell.interrupt_button.isEnabled()
    qtbot.keyClick(shell.input, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: "KeyboardInterrupt" in shell.transcript_text(), timeout=20000)
    qtbot.waitUntil(lambda: not shell.interrupt_button.isEnabled(), timeout=20000)
    assert run(qtbot, shell, "6 * 7").endswith("42\n")
    assert traced_call_returns()  # nothing left behind that would wedge the debugger


def test_multi_line_statements_history_and_completion(qtbot, shell):
    qtbot.keyClicks(shell.input, "for n in range(2):")
    qtbot.keyClick(shell.input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.prompt_label.text() == "...", timeout=20000)
    run(qtbot, shell, "    print('n', n)")
    assert run(qtbot, shell, "").endswith("n 0\nn 1\n")
    assert shell.prompt_label.text() == ">>>"

    qtbot.keyClick(shell.input, Qt.Key.Key_Up)
    assert shell.input.text() == "    print('n', n)"
    qtbot.keyClick(shell.input, Qt.Key.Key_Up)
    assert shell.input.text() == "for n in range(2):"
    qtbot.keyClick(shell.input, Qt.Key.Key_Down)
    qtbot.keyClick(shell.input, Qt.Key.Key_Down)
    assert shell.input.text() == ""

    qtbot.keyClicks(shell.input, "db.th")
    qtbot.keyClick(shell.input, Qt.Key.Key_Tab)
    assert shell.input.text() == "db.thing("  # callable: "(" added, as Python's console does
    assert shell.input.hasFocus()  # Tab completed instead of moving the focus on


def test_models_that_fail_are_reported_and_restart_tries_again(qtbot, root, shell):
    write_app(root, "broken", {"models/db.py": "raise ValueError('bad model')\n"})
    shell.set_application("broken")
    qtbot.waitUntil(lambda: "ValueError: bad model" in shell.transcript_text(), timeout=20000)
    assert "models failed" in shell.status_label.text()
    (root / "applications/broken/models/db.py").write_text("answer = 42\n")
    shell.restart_button.click()
    qtbot.waitUntil(lambda: shell.status_label.text() == "Shell of broken", timeout=20000)
    assert run(qtbot, shell, "answer").endswith("42\n")
