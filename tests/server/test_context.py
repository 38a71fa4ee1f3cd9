"""The Context that owns ``current`` and the end of one unit of work (request, LOAD, job)."""

import threading
from contextlib import nullcontext

import pytest
from pydal import DAL, Field

from server.context import Context
from server.current import current
from server.http import HTTP, redirect


class RecordingSession:
    """A session that records how the context ended it (the real one needs a request)."""

    def __init__(self):
        self.forgotten = False
        self.finished = 0

    def forget(self):
        self.forgotten = True

    def _finish(self):
        self.finished += 1


def test_an_outermost_context_starts_empty_and_leaves_nothing_behind():
    current.leftover = "from some earlier code"
    try:
        with Context() as context:
            assert not hasattr(current, "leftover")
            context.bind(request="r")
            current.secret = "set by a model"
            assert current.request == "r"
        assert vars(current) == {"leftover": "from some earlier code"}
    finally:
        vars(current).clear()


def test_a_nested_context_sees_the_outer_one_and_restores_it_exactly():
    with Context() as outer:
        outer.bind(request="page", db="the models' db")
        with Context(nested=True) as inner:
            inner.bind(request="component")
            current.made_inside = True
            assert (current.request, current.db) == ("component", "the models' db")
        assert vars(current) == {"request": "page", "db": "the models' db"}
    assert vars(current) == {}


def test_success_and_http_answers_save_the_session_failures_forget_it():
    for raised, forgotten in ((None, False), (HTTP(404), False), (ValueError("bug"), True)):
        session = RecordingSession()
        with pytest.raises(Exception) if raised else nullcontext(), Context() as context:
            context.bind(session=session)
            if raised:
                raise raised
        assert (session.finished, session.forgotten) == (1, forgotten)


def test_a_nested_context_leaves_the_session_to_the_outer_one():
    session = RecordingSession()
    with Context() as outer:
        outer.bind(session=session)
        with Context(nested=True):
            pass
        assert session.finished == 0
    assert session.finished == 1


def test_databases_are_committed_on_success_and_on_redirect_rolled_back_on_error(tmp_path):
    uri = f"sqlite://{tmp_path / 'storage.sqlite'}"

    def insert_then(ending):
        with Context():
            db = DAL(uri, folder=str(tmp_path))
            db.define_table("item", Field("name"))
            db.item.insert(name=ending)
            if ending == "redirect":
                redirect("/elsewhere")
            if ending == "error":
                raise RuntimeError("the action failed")

    insert_then("ok")
    with pytest.raises(HTTP):
        insert_then("redirect")
    with pytest.raises(RuntimeError):
        insert_then("error")
    db = DAL(uri, folder=str(tmp_path))
    db.define_table("item", Field("name"))
    assert [row.name for row in db(db.item).select(orderby=db.item.id)] == ["ok", "redirect"]
    db.close()


def test_keep_databases_leaves_the_connection_open_for_the_caller(tmp_path):
    with Context(keep_databases=True):
        db = DAL(f"sqlite://{tmp_path / 'kept.sqlite'}", folder=str(tmp_path))
        db.define_table("item", Field("name"))
    db.item.insert(name="still usable")
    db.commit()
    assert db(db.item).count() == 1
    db.close()


def test_a_failing_session_save_rolls_the_databases_back_and_still_restores_current(tmp_path):
    class BrokenSession(RecordingSession):
        def _finish(self):
            raise OSError("disk full")

    uri = f"sqlite://{tmp_path / 'storage.sqlite'}"
    with pytest.raises(OSError), Context() as context:
        context.bind(session=BrokenSession())
        db = DAL(uri, folder=str(tmp_path))
        db.define_table("item", Field("name"))
        db.item.insert(name="must not stay")
    assert vars(current) == {}
    db = DAL(uri, folder=str(tmp_path))
    db.define_table("item", Field("name"))
    assert db(db.item).count() == 0
    db.close()


def test_contexts_of_two_threads_never_see_each_other():
    seen = {}
    inside = threading.Event()
    done = threading.Event()

    def other_thread():
        with Context() as context:
            context.bind(request="other")
            inside.set()
            done.wait(5)
            seen["other"] = current.request

    thread = threading.Thread(target=other_thread)
    thread.start()
    inside.wait(5)
    with Context() as context:
        context.bind(request="mine")
        seen["mine"] = current.request
    done.set()
    thread.join(5)
    assert seen == {"mine": "mine", "other": "other"}

