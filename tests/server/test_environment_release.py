"""A finished request's globals are emptied only when no code can read them again: whatever
still holds them (a thread, a stored function, lambda or object of the app's code, a
generator body, a kept ``current.globalenv``) reads them as they were, in later requests too."""

import gc
import sys
import threading
import types
import wsgiref.util

import pytest
from support import write_app

from server.environment_release import release_environment
from server.wsgi import make_application

CONTROLLER = '''
import threading
import weakref
import pocketweb_test_stash as stash

GREETING = "hello from the controller"

def greet():
    return GREETING

def plain():
    stash.refs.append(weakref.ref(request))
    return "plain"

def moved():
    stash.refs.append(weakref.ref(request))
    redirect(URL("plain"))

def missing():
    stash.kept = greet
    raise HTTP(404, "not here")

def keep_function():
    stash.kept = greet
    return "kept"

def keep_lambda():
    stash.kept = lambda: GREETING
    return "kept"

def keep_object():
    class Greeter:
        def __call__(self):
            return GREETING
    stash.kept = Greeter()
    return "kept"

def keep_globals():
    stash.kept = lambda env=current.globalenv: env["GREETING"]
    return "kept"

def keep_through_an_object_of_the_globals():
    response.meta.later = greet
    stash.kept = response.meta.later
    return "kept"

def start_thread():
    def later():
        stash.go.wait(10)
        stash.seen.append(greet())
    thread = threading.Thread(target=later)
    stash.thread = thread
    thread.start()
    return "started"

def generator():
    return (GREETING[:5] + str(n) for n in range(2))
'''


@pytest.fixture
def stash():
    module = types.ModuleType("pocketweb_test_stash")
    module.refs, module.seen, module.go, module.kept = [], [], threading.Event(), None
    sys.modules[module.__name__] = module
    yield module
    module.go.set()
    del sys.modules[module.__name__]


@pytest.fixture
def application(root, stash):
    write_app(root, "r", {"controllers/default.py": CONTROLLER})
    return make_application(root, change_check_interval=0)


def call(application, action: str) -> bytes:
    environ = {"PATH_INFO": f"/r/default/{action}"}
    wsgiref.util.setup_testing_defaults(environ)
    return b"".join(application(environ, lambda status, headers, exc_info=None: None))


@pytest.mark.parametrize(("action", "answer"), [("plain", b"plain"), ("moved", None)])
def test_a_requests_objects_are_freed_as_it_ends_without_the_cycle_collector(
        application, stash, action, answer):
    call(application, action)  # warm: compiled once
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        body = call(application, action)
        assert answer is None or body == answer
        assert stash.refs[-1]() is None  # freed by reference counting alone
    finally:
        if was_enabled:
            gc.enable()


@pytest.mark.parametrize("action", ["keep_function", "keep_lambda", "keep_object",
                                    "keep_globals", "keep_through_an_object_of_the_globals",
                                    "missing"])
def test_what_the_app_kept_still_reads_its_globals_in_later_requests(application, stash, action):
    assert call(application, action) == (b"not here" if action == "missing" else b"kept")
    assert call(application, "plain") == b"plain"  # another request in between
    assert stash.kept() == "hello from the controller"


def test_a_thread_the_request_started_reads_its_globals_after_the_request(application, stash):
    assert call(application, "start_thread") == b"started"
    stash.go.set()
    stash.thread.join(10)
    assert stash.seen == ["hello from the controller"]


def test_a_generator_body_reads_the_globals_while_it_is_sent(application):
    assert call(application, "generator") == b"hello0hello1"


def test_globals_held_by_anything_else_are_kept():
    env = {"x": 1}
    other_holder = [env]
    assert not release_environment(env) and env == {"x": 1}
    del other_holder
    exec("def f():\n    return x\n", env)
    kept = env["f"]
    assert not release_environment(env) and kept() == 1
    del kept
    assert release_environment(env) and env == {}


def test_only_the_names_made_after_the_frameworks_are_counted():
    """A function the app put in the place of one of the framework's names is not counted (so
    the globals are kept); names after the last framework name are."""
    env = {"URL": None, "__name__": "__main__"}
    exec("def URL():\n    return 1\n", env)
    assert not release_environment(env) and env["URL"]() == 1
    env = {"URL": None, "__name__": "__main__"}
    exec("def index():\n    return 1\ndef helper():\n    return 2\n", env)
    assert release_environment(env) and env == {}
