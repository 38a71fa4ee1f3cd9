"""The window's shell session: an app's models run once in the session's thread, statements
run there line by line, an endless loop is interrupted and the shell goes on."""

import queue
import threading

import pytest
from support import traced_call_returns, write_app

from server.hosting.shell_session import ShellSession

APP = {"models/db.py": """
    db = DAL('sqlite://storage.sqlite')
    db.define_table('thing', Field('name'))
"""}


class Transcript:
    """What the session wrote, and a wait for its next prompt."""

    def __init__(self):
        self.text = ""
        self.prompts: queue.SimpleQueue[bool] = queue.SimpleQueue()
        self.lock = threading.Lock()

    def write(self, text):
        with self.lock:
            self.text += text

    def next_prompt(self) -> bool:
        return self.prompts.get(timeout=30)

    def run(self, session, *lines) -> str:
        """Push ``lines``, wait for the prompt after each; what they wrote."""
        start = len(self.text)
        more = False
        for line in lines:
            session.push(line)
            more = self.next_prompt()
        assert not more, "statement left unfinished"
        return self.text[start:]


@pytest.fixture
def shell(root):
    write_app(root, "store", APP)
    transcript = Transcript()
    session = ShellSession(root, "store", transcript.write, transcript.prompts.put)
    session.start()
    assert transcript.next_prompt() is False
    yield session, transcript
    session.close()
    assert not session.alive


def test_models_run_and_db_answers_in_the_sessions_thread(shell):
    session, transcript = shell
    assert "application 'store'" in transcript.text and "db.commit()" in transcript.text
    assert transcript.run(session, "db.tables") == "['thing']\n"
    assert transcript.run(session, "for n in range(2):", "    print('n', n)", "") == "n 0\nn 1\n"
    assert "ZeroDivisionError" in transcript.run(session, "1/0")
    assert transcript.run(session, "db.thing.insert(name='x')") == "1\n"


def test_an_echoing_session_writes_each_line_after_its_prompt(root):
    write_app(root, "store", APP)
    transcript = Transcript()
    session = ShellSession(root, "store", transcript.write, transcript.prompts.put, echo=True)
    session.start()
    transcript.next_prompt()
    assert transcript.run(session, "if True:", "    print(1)", "") == \
        ">>> if True:\n...     print(1)\n... \n1\n"
    session.close()


def test_an_endless_loop_is_interrupted_and_the_shell_goes_on(shell):
    session, transcript = shell
    session.push("while True: pass")
    assert transcript.next_prompt() is True  # a compound statement: ends with a blank line
    session.push("")
    while not session.interrupt():  # once the loop is running
        threading.Event().wait(0.01)
    assert transcript.next_prompt() is False
    assert "KeyboardInterrupt" in transcript.text
    assert transcript.run(session, "6 * 7") == "42\n"
    assert not session.interrupt()  # nothing runs now
    assert traced_call_returns()  # the interrupt left no flag that wedges a debugger


def test_an_interrupt_that_lands_as_the_statement_ends_leaves_tracing_working(shell):
    session, transcript = shell
    for _attempt in range(20):  # each races the end of a short statement
        session.push("sum(range(2000))")
        session.interrupt()
        transcript.next_prompt()
    assert transcript.run(session, "6 * 7") == "42\n"
    assert traced_call_returns()


def test_completion_offers_names_and_attributes(shell):
    session, _ = shell
    assert "db(" in session.complete("d")  # the DAL is callable: "(" as Python's console adds
    assert session.complete("db.th") == ["db.thing("]
    assert session.complete("no_such_name.") == []


def test_uncommitted_changes_are_rolled_back_when_the_session_ends(root, shell):
    session, transcript = shell
    transcript.run(session, "db.thing.insert(name='kept')", "db.commit()",
                   "db.thing.insert(name='dropped')")
    session.close()
    again = Transcript()
    other = ShellSession(root, "store", again.write, again.prompts.put)
    other.start()
    again.next_prompt()
    assert again.run(other, "[r.name for r in db(db.thing).select()]") == "['kept']\n"
    other.close()


def test_an_app_whose_models_fail_says_why(root):
    write_app(root, "broken", {"models/db.py": "raise ValueError('bad model')\n"})
    said = queue.SimpleQueue()
    session = ShellSession(root, "broken", lambda text: None, lambda more: None, said.put)
    session.start()
    assert "ValueError: bad model" in said.get(timeout=30)
    session.close()
    assert not session.alive
