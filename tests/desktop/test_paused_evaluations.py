"""Evaluations in a paused frame come back to the GUI thread, computed in the paused thread,
without holding a worker of the shared pool; once the request went on, they say so."""

import threading

from desktop.paused_evaluations import Evaluations
from server.hosting.debugger import GONE, Pause, StackFrame, _Scope


def paused_thread(names: dict) -> tuple[Pause, threading.Thread, list]:
    """A pause whose frame sees ``names``, waited on in a thread as a request's would be;
    the list gets the name of the thread each evaluation ran in."""
    ran_in: list = []
    names["where"] = lambda: ran_in.append(threading.current_thread().name) or "seen"
    pause = Pause("request", [StackFrame("app.py", 1, "index", ())])
    pause._scopes = [_Scope(names, names)]
    thread = threading.Thread(target=pause._wait, args=(lambda: False,), name="paused")
    thread.start()
    return pause, thread, ran_in


def test_an_answer_comes_back_to_the_gui_thread(qtbot):
    pause, thread, ran_in = paused_thread({"total": 20})
    evaluations = Evaluations()
    answers = []
    evaluations.run(pause, "total * 2, where()", 0, answers.append)
    qtbot.waitUntil(lambda: answers == ["(40, 'seen')"], timeout=20000)
    assert ran_in == ["paused"]
    pause.resume("continue")
    thread.join(timeout=10)
    evaluations.run(pause, "total", 0, answers.append)
    qtbot.waitUntil(lambda: answers[-1:] == [GONE], timeout=20000)
