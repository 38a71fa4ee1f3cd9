"""The apps' file watcher: a file changed outside the window is reported once for its app;
what a running app writes itself (databases, sessions, tickets, cache) is not; the thread
notices by itself, wakes at once when asked, and stops."""

import os
import queue

import pytest
from support import write_app

from server.hosting.live_reload_watch import AppsWatcher, app_stamps


@pytest.fixture
def apps(root):
    write_app(root, "hello", {"controllers/default.py": "def index():\n    return 'one'\n",
                              "views/default/index.html": "<p>{{=1}}</p>\n"})
    write_app(root, "other", {"models/db.py": "x = 1\n"})
    return root / "applications"


def touch(path, text: str) -> None:
    """Write ``text`` and move the time on, as a save a moment later would."""
    path.write_text(text, encoding="utf-8")
    status = path.stat()
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))


def test_a_changed_file_is_reported_once_for_its_app(apps):
    reported = []
    watcher = AppsWatcher(apps, reported.append)
    watcher.start()
    watcher.stop()  # passes below are made by hand
    assert watcher.scan() == []
    touch(apps / "hello/views/default/index.html", "<p>{{=2}}</p>\n")
    assert watcher.scan() == ["hello"]
    assert watcher.scan() == []
    (apps / "other/modules/new.py").write_text("y = 2\n")
    (apps / "hello/controllers/default.py").unlink()
    assert watcher.scan() == ["hello", "other"]
    assert reported == ["hello", "hello", "other"]


def test_what_a_running_app_writes_itself_is_not_a_change(apps):
    watcher = AppsWatcher(apps, lambda app: None)
    watcher.start()
    watcher.stop()
    for folder in ("databases", "sessions", "errors", "cache", "uploads", "private"):
        (apps / "hello" / folder / "written.txt").write_text("by a request")
    (apps / "hello/controllers/__pycache__").mkdir()
    (apps / "hello/controllers/__pycache__/default.cpython.pyc").write_bytes(b"\0")
    assert watcher.scan() == []
    assert "controllers/default.py" in app_stamps(apps / "hello")


@pytest.fixture
def watching(apps):
    """(watcher, queue of reported apps) for a factory ``watching(poll_seconds)``; stopped
    after the test."""
    started = []

    def start(poll_seconds: float):
        reported: queue.SimpleQueue = queue.SimpleQueue()
        watcher = AppsWatcher(apps, reported.put, poll_seconds=poll_seconds)
        started.append(watcher)
        watcher.start()
        return watcher, reported

    yield start
    for watcher in started:
        watcher.stop()


def test_the_thread_notices_by_itself_and_stops(apps, watching):
    watcher, reported = watching(0.05)
    touch(apps / "other/models/db.py", "x = 2\n")
    assert reported.get(timeout=30) == "other"
    watcher.stop()
    assert not watcher.running


def test_look_now_wakes_the_thread_before_its_time(apps, watching):
    watcher, reported = watching(3600)
    touch(apps / "hello/controllers/default.py", "def index():\n    return 'two'\n")
    watcher.look_now()
    assert reported.get(timeout=30) == "hello"
    watcher.stop()
    assert not watcher.running and reported.empty()


def test_a_stopped_watcher_does_not_start_again(apps):
    watcher = AppsWatcher(apps, lambda app: None)
    watcher.stop()
    watcher.start()
    assert not watcher.running
