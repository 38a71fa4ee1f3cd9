"""The debugger over real HTTP: a request held at a breakpoint in its own thread while the
server answers others; its locals, evaluation in the frame, stepping, continue and stop; views'
template lines; and the rules that keep it from wedging the server (a closed debugger or a
stopping server releases paused requests, and no trace function outlives a request)."""

import ctypes
import queue
import sys
import threading

import pytest
from support import HeldRequests, fetch, traced_call_returns, write_app

from server.hosting.debugger import GONE, Debugger, canonical
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

def page():
    rows = ['ann', 'bob']
    return dict(rows=rows)
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
LAYOUT = """\
<html><body>
{{title = 'Names'}}
<h1>{{=title}}</h1>
{{include}}
</body></html>
"""
PAGE_VIEW = """\
{{extend 'layout.html'}}
<ul>
{{for name in rows:}}
<li>{{=name.upper()}}</li>
{{pass}}
</ul>
"""


class TraceAfterwards:
    """Outside the debugger: each request thread's trace function once the debugged call
    returned (what the thread runs with next)."""

    def __init__(self, app):
        self.app = app
        self.seen: queue.SimpleQueue = queue.SimpleQueue()

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        finally:
            self.seen.put(sys.gettrace())

    def stop_waiting(self):
        self.app.stop_waiting()


@pytest.fixture
def served(root):
    """(debugger, server, pauses, app folder, trace record): a real server whose app runs
    under a debugger."""
    app = write_app(root, "calc", {"controllers/default.py": CONTROLLER,
                                   "modules/helper.py": HELPER, "models/db.py": MODEL,
                                   "views/layout.html": LAYOUT,
                                   "views/default/page.html": PAGE_VIEW})
    pauses = queue.SimpleQueue()
    debugger = Debugger(pauses.put)
    record = TraceAfterwards(debugger.wrap(make_application(root)))
    server = WebServer(record, "127.0.0.1", 0)
    server.start()
    yield debugger, server, pauses, app, record
    debugger.close()
    server.stop()


@pytest.fixture
def debugged(served):
    debugger, server, pauses, app, _record = served
    return debugger, server.url, pauses, app


def next_pause(pauses):
    return pauses.get(timeout=30)


def hold(debugger, pauses, app, base, file: str, line: int, page: str = "index"):
    """(requests, pause): a breakpoint at ``file``:``line`` of the app and a request held
    there."""
    debugger.set_breakpoint(app / file, line)
    requests = HeldRequests()
    requests.send(f"{base}/calc/default/{page}")
    return requests, next_pause(pauses)


def value_of(pause, name):
    return next(variable.value for variable in pause.frames[-1].variables
                if variable.name == name)


def test_a_request_stops_steps_and_continues_while_others_are_answered(debugged):
    debugger, base, pauses, app = debugged
    controller = app / "controllers/default.py"
    debugger.set_breakpoint(controller, 5)
    requests = HeldRequests()
    requests.send(base + "/calc/default/index")
    pause = next_pause(pauses)
    assert (pause.file, pause.line) == (canonical(controller), 5)
    assert pause.frames[-1].function == "index"
    assert value_of(pause, "total") == "20"
    assert fetch(base + "/calc/default/other").text == "still answering"
    assert pause.evaluate("total * 3") == "60"
    assert pause.evaluate("colour") == "'blue'"
    assert pause.evaluate("no_such") == "NameError: name 'no_such' is not defined"

    pause.resume("step")  # into the module's function
    inner = next_pause(pauses)
    assert inner.file == canonical(app / "modules/helper.py")
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
    assert over.evaluate("total") == GONE


def test_a_resumed_request_waits_no_more_even_before_its_thread_goes_on(debugged):
    """A window asks :meth:`Debugger.waiting` which request to show: one the user resumed
    is not among them from that moment, though its thread may take a while to wake."""
    debugger, base, pauses, app = debugged
    requests, pause = hold(debugger, pauses, app, base, "controllers/default.py", 5)
    second = HeldRequests()
    second.send(base + "/calc/default/index")
    other = next_pause(pauses)
    assert list(map(id, debugger.waiting())) == [id(pause), id(other)]
    assert pause.waiting and other.waiting
    pause.resume("continue")
    assert not pause.waiting and list(map(id, debugger.waiting())) == [id(other)]
    assert requests.answer().text == "total=42"
    other.resume("stop")
    assert not other.waiting and debugger.waiting() == []
    assert second.answer().status == 500


def test_a_statement_in_the_paused_frame_changes_what_the_request_goes_on_with(debugged):
    debugger, base, pauses, app = debugged
    requests, pause = hold(debugger, pauses, app, base, "controllers/default.py", 6)
    assert pause.evaluate("total = 7") == ""
    assert pause.evaluate("total") == "7"
    pause.resume("continue")
    assert requests.answer().text == "total=7"


class Evaluation:
    """An expression evaluated in a paused frame from another thread (as the window does)."""

    def __init__(self, pause, expression):
        self.answers: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=lambda: self.answers.put(pause.evaluate(expression)),
                         daemon=True).start()

    def answer(self):
        return self.answers.get(timeout=30)


def interrupt_once_running(pause):
    while not pause.interrupt():  # once the evaluation runs in the paused thread
        threading.Event().wait(0.01)


def test_an_endless_evaluation_is_interrupted_and_the_request_goes_on(debugged):
    debugger, base, pauses, app = debugged
    requests, pause = hold(debugger, pauses, app, base, "controllers/default.py", 5)
    assert not pause.interrupt()  # nothing is evaluated now
    endless = Evaluation(pause, "while True: total = total + 1")
    interrupt_once_running(pause)
    assert endless.answer() == "KeyboardInterrupt"
    assert pause.evaluate("total > 20") == "True"
    pause.evaluate("total = 20")
    pause.resume("continue")
    assert requests.answer().text == "total=42"
    assert traced_call_returns()


def test_stopping_the_server_ends_a_request_running_an_endless_evaluation(served):
    debugger, server, pauses, app, record = served
    requests, pause = hold(debugger, pauses, app, server.url, "modules/helper.py", 2)
    endless = Evaluation(pause, "while True: pass")
    while not pause.evaluating:
        threading.Event().wait(0.01)
    stopped = threading.Event()
    threading.Thread(target=lambda: (server.stop(), stopped.set()), daemon=True).start()
    assert stopped.wait(30), "the server's stop waited for the endless evaluation"
    assert endless.answer() == "KeyboardInterrupt"
    assert requests.answer().status == 500
    assert record.seen.get(timeout=30) is None


def test_models_and_modules_take_breakpoints_and_stop_ends_with_a_ticket(debugged):
    debugger, base, pauses, app = debugged
    requests, pause = hold(debugger, pauses, app, base, "models/db.py", 2)
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


def test_a_view_stops_at_its_template_lines_through_extend(debugged):
    debugger, base, pauses, app = debugged
    view, layout = app / "views/default/page.html", app / "views/layout.html"
    debugger.set_breakpoint(view, 4)
    debugger.set_breakpoint(layout, 3)
    requests = HeldRequests()
    requests.send(base + "/calc/default/page")
    first = next_pause(pauses)
    assert (first.file, first.line) == (canonical(layout), 3)
    assert value_of(first, "title") == "'Names'"
    first.resume("continue")
    names = []
    for _row in range(2):  # once per row of the loop, not per compiled line
        held = next_pause(pauses)
        assert (held.file, held.line) == (canonical(view), 4)
        names.append(held.evaluate("name"))
        held.resume("continue")
    assert names == ["'ann'", "'bob'"]
    answer = requests.answer()
    assert "<h1>Names</h1>" in answer.text and "<li>BOB</li>" in answer.text
    assert pauses.empty()


def test_without_breakpoints_nothing_is_traced(served):
    debugger, server, pauses, app, record = served
    debugger.set_breakpoint(app / "controllers/default.py", 5)
    debugger.clear_breakpoint(app / "controllers/default.py", 5)
    assert debugger.breakpoints() == []
    assert fetch(server.url + "/calc/default/index").text == "total=42"
    assert pauses.empty() and debugger.tracing == 0


def test_closing_releases_a_paused_request_with_a_ticket_and_leaves_no_tracer(served):
    debugger, server, pauses, app, record = served
    requests, pause = hold(debugger, pauses, app, server.url, "controllers/default.py", 5)
    assert record.seen.empty()  # the paused request's thread still runs the debugged call
    debugger.close()
    answer = requests.answer()
    assert answer.status == 500 and "ticket" in answer.text.lower()
    assert record.seen.get(timeout=30) is None  # that thread carries no trace function
    assert debugger.tracing == 0 and debugger.paused == [] and pause.over
    assert fetch(server.url + "/calc/default/index").text == "total=42"  # never held again
    assert record.seen.get(timeout=30) is None
    assert pauses.empty()


def test_stopping_the_server_ends_a_paused_request(served):
    debugger, server, pauses, app, record = served
    requests, _pause = hold(debugger, pauses, app, server.url, "modules/helper.py", 2)
    stopped = threading.Event()
    threading.Thread(target=lambda: (server.stop(), stopped.set()), daemon=True).start()
    assert stopped.wait(30), "the server's stop waited for the paused request"
    assert requests.answer().status == 500
    assert record.seen.get(timeout=30) is None
    assert debugger.tracing == 0 and debugger.paused == []


def test_each_request_thread_is_left_without_a_trace_function(served):
    debugger, server, pauses, app, record = served
    debugger.set_breakpoint(app / "controllers/default.py", 5)
    requests = HeldRequests()
    for _request in range(3):
        requests.send(server.url + "/calc/default/index")
        next_pause(pauses).resume("continue")
        assert requests.answer().text == "total=42"
        assert record.seen.get(timeout=30) is None
    assert debugger.tracing == 0
    assert sys.gettrace() is None  # the test's own thread was never traced


def no_frame_is_traced() -> bool:
    return all(frame.f_trace is None for top in sys._current_frames().values()
               for frame in _callers(top))


def _callers(frame):
    while frame is not None:
        yield frame
        frame = frame.f_back


def test_after_closing_no_thread_has_a_traced_frame(served):
    debugger, server, pauses, app, record = served
    requests, pause = hold(debugger, pauses, app, server.url, "modules/helper.py", 2)
    pause.resume("step")  # callers traced too now
    next_pause(pauses)
    debugger.close()
    assert requests.answer().status == 500
    assert record.seen.get(timeout=30) is None
    assert no_frame_is_traced()


def test_a_flag_left_set_by_a_withdrawn_interrupt_does_not_wedge_a_request(served):
    """CPython 3.11 spins at a traced call's entry once someone withdrew a thread interrupt
    (the Shell once did): the request would never reach its breakpoint nor end."""
    debugger, server, pauses, app, _record = served
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(threading.get_ident()), None)
    requests, pause = hold(debugger, pauses, app, server.url, "controllers/default.py", 5)
    pause.resume("continue")
    assert requests.answer().text == "total=42"
