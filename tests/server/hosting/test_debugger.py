"""The debugger over real HTTP: a request held at a breakpoint in its own thread while the
server answers others; its locals, evaluation in the frame, stepping, continue and stop."""

import queue
import threading

import pytest
from support import fetch, write_app

from server.hosting.debugger import Debugger, describe
from server.hosting.httpd import WebServer
from server.wsgi import make_application

CONTROLLER = """\
from helper import double

def index():
    total = 20
    total = double(total) + 2
    return 'total=%s' % total

def other():
    return 'still answering'
"""
HELPER = """\
def double(number):
    result = number * 2
    return result
"""
MODEL = """\
colour = 'blue'
db = DAL('sqlite://storage.sqlite')
"""


class Requests:
    """Requests sent in threads, and their answers."""

    def __init__(self):
        self.answers: queue.SimpleQueue = queue.SimpleQueue()

    def send(self, url: str) -> None:
        threading.Thread(target=lambda: self.answers.put(fetch(url)), daemon=True).start()

    def answer(self):
        return self.answers.get(timeout=30)


@pytest.fixture
def debugged(root):
    """(debugger, base url, queue of pauses): a real server whose app runs under a debugger."""
    app = write_app(root, "calc", {"controllers/default.py": CONTROLLER,
                                   "modules/helper.py": HELPER, "models/db.py": MODEL})
    pauses = queue.SimpleQueue()
    debugger = Debugger(pauses.put)
    server = WebServer(debugger.wrap(make_application(root)), "127.0.0.1", 0)
    server.start()
    yield debugger, server.url, pauses, app
    debugger.continue_all()
    debugger.clear_all()
    server.stop()


def next_pause(pauses):
    return pauses.get(timeout=30)


def value_of(pause, name):
    return next(variable.value for variable in pause.frames[-1].variables
                if variable.name == name)


def test_a_request_stops_steps_and_continues_while_others_are_answered(debugged):
    debugger, base, pauses, app = debugged
    controller = app / "controllers/default.py"
    debugger.set_breakpoint(controller, 5)
    requests = Requests()
    requests.send(base + "/calc/default/index")
    pause = next_pause(pauses)
    assert (pause.file, pause.line) == (str(controller.resolve()), 5)
    assert pause.frames[-1].function == "index"
    assert value_of(pause, "total") == "20"
    assert fetch(base + "/calc/default/other").text == "still answering"
    assert pause.evaluate("total * 3") == "60"
    assert pause.evaluate("colour") == "'blue'"
    assert pause.evaluate("no_such") == "NameError: name 'no_such' is not defined"

    pause.resume("step")  # into the module's function
    inner = next_pause(pauses)
    assert inner.file == str((app / "modules/helper.py").resolve())
    assert (inner.line, inner.frames[-1].function) == (2, "double")
    assert [frame.function for frame in inner.frames][-2:] == ["index", "double"]
    inner.resume("next")
    below = next_pause(pauses)
    assert below.line == 3 and value_of(below, "result") == "40"
    below.resume("return")  # out: back in index, after the line that called it
    back = next_pause(pauses)
    assert (back.frames[-1].function, back.line) == ("index", 6)
    assert value_of(back, "total") == "42"
    back.resume("continue")
    assert requests.answer().text == "total=42"

    requests.send(base + "/calc/default/index")  # step over the call this time
    again = next_pause(pauses)
    again.resume("next")
    over = next_pause(pauses)
    assert over.line == 6 and value_of(over, "total") == "42"
    over.resume("continue")
    assert requests.answer().text == "total=42"
    assert debugger.paused == []


def test_models_and_modules_take_breakpoints_and_stop_ends_with_a_ticket(debugged):
    debugger, base, pauses, app = debugged
    debugger.set_breakpoint(app / "models/db.py", 2)
    requests = Requests()
    requests.send(base + "/calc/default/index")
    pause = next_pause(pauses)
    assert pause.line == 2 and value_of(pause, "colour") == "'blue'"
    assert "DAL" not in [variable.name for variable in pause.frames[-1].variables]
    debugger.clear_breakpoint(app / "models/db.py", 2)
    debugger.set_breakpoint(app / "modules/helper.py", 3)
    pause.resume("continue")
    held = next_pause(pauses)
    assert held.line == 3 and value_of(held, "result") == "40"
    held.resume("stop")
    answer = requests.answer()
    assert answer.status == 500 and "ticket" in answer.text.lower()
    assert any("BdbQuit" in path.read_text() for path in (app / "errors").iterdir())


def test_without_breakpoints_nothing_is_traced(debugged):
    debugger, base, pauses, app = debugged
    debugger.set_breakpoint(app / "controllers/default.py", 5)
    debugger.clear_breakpoint(app / "controllers/default.py", 5)
    assert debugger.breakpoints() == []
    assert fetch(base + "/calc/default/index").text == "total=42"
    assert pauses.empty()


def test_values_are_described_with_their_parts():
    variable = describe("row", {"name": "ann", "tags": ["a", "b"]})
    assert (variable.type, variable.value) == ("dict", "{'name': 'ann', 'tags': ['a', 'b']}")
    tags = next(child for child in variable.children if child.name == "'tags'")
    assert [child.value for child in tags.children] == ["'a'", "'b'"]
    assert describe("n", 3).children == ()
