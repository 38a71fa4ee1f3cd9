"""gluon.cfs.getcfs: computed once per version of the file."""

import os

from gluon.cfs import getcfs


def test_value_is_recomputed_only_when_the_file_changes(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("one")
    calls = []

    def compute():
        calls.append(1)
        return path.read_text().upper()

    assert getcfs("k", str(path), compute) == "ONE" and getcfs("k", str(path), compute) == "ONE"
    assert len(calls) == 1
    path.write_text("two")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert getcfs("k", str(path), compute) == "TWO" and len(calls) == 2
    assert getcfs("plain", str(path)) == "two"
