"""FileStamps: one stat per file per check interval, fresh after the interval or a forget."""

import os

from server.file_stamps import FileStamps


class Clock:
    """A clock the test moves by hand: no test waits on the real one."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _rewrite(path, text: str) -> None:
    """Write ``text`` and move the file's time on, so the change shows whatever the clock."""
    path.write_text(text)
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 10**9))


def _edited_file(tmp_path, interval: float):
    """A file, a hand-moved clock and FileStamps that looked at the file once; then the file
    is edited."""
    path, clock = tmp_path / "a.py", Clock()
    path.write_text("one")
    stamps = FileStamps(interval, clock)
    first = stamps.mtime(path)
    _rewrite(path, "two")
    return path, clock, stamps, first


def test_with_no_interval_every_look_is_a_fresh_stat(tmp_path):
    path, _clock, stamps, first = _edited_file(tmp_path, 0)
    assert stamps.mtime(path) == path.stat().st_mtime_ns != first
    path.unlink()
    assert stamps.stat(path) is None and stamps.mtime(path) == -1


def test_within_the_interval_a_look_reuses_the_last_stat_and_after_it_looks_again(tmp_path):
    path, clock, stamps, first = _edited_file(tmp_path, 0.5)
    clock.now += 0.4
    stamps.begin()
    assert stamps.mtime(path) == first  # the documented delay: noticed within the interval
    clock.now += 0.1
    stamps.begin()
    assert stamps.mtime(path) == path.stat().st_mtime_ns != first


def test_a_missing_file_that_appears_is_found_after_the_interval(tmp_path):
    path, clock = tmp_path / "new.html", Clock()
    stamps = FileStamps(1, clock)
    assert not stamps.is_file(path)
    path.write_text("x")
    clock.now += 1
    stamps.begin()
    assert stamps.is_file(path) and not stamps.is_dir(path)
    assert stamps.is_dir(tmp_path) and not stamps.is_file(tmp_path)


def test_forget_and_drop_make_the_next_look_fresh_at_once(tmp_path):
    a, b, clock = tmp_path / "a", tmp_path / "b", Clock()
    a.write_text("1")
    b.write_text("1")
    stamps = FileStamps(3600, clock)
    first_a, first_b = stamps.mtime(a), stamps.mtime(b)
    _rewrite(a, "22")
    _rewrite(b, "22")
    stamps.drop(a)  # we wrote a ourselves
    assert stamps.mtime(a) != first_a and stamps.mtime(b) == first_b
    stamps.forget()  # a save in the window
    assert stamps.mtime(b) == b.stat().st_mtime_ns != first_b


def test_begin_forgets_nothing_before_the_interval_has_passed(tmp_path):
    path, clock, stamps, first = _edited_file(tmp_path, 2)
    for _ in range(3):
        clock.now += 0.5
        stamps.begin()
        assert stamps.mtime(path) == first
    clock.now += 0.5
    stamps.begin()
    assert stamps.mtime(path) != first


def test_the_generation_moves_on_whenever_a_look_may_see_something_new(tmp_path):
    clock = Clock()
    stamps = FileStamps(1, clock)
    seen = stamps.generation
    stamps.begin()
    assert stamps.unchanged_since(seen)
    for change in (lambda: stamps.drop(tmp_path), stamps.forget):
        change()
        assert not stamps.unchanged_since(seen)
        seen = stamps.generation
    clock.now += 1
    stamps.begin()
    assert not stamps.unchanged_since(seen)
    assert not FileStamps(0).unchanged_since(FileStamps(0).generation)  # no interval: never
