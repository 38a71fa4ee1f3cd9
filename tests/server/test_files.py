"""Files are written whole or not at all."""

from __future__ import annotations

import os
import stat

import pytest

from server.files import atomic_file, write_atomically


def test_write_atomically_replaces_the_file_and_encodes_text(tmp_path):
    target = tmp_path / "settings.txt"
    target.write_text("old")
    write_atomically(target, "né")
    assert target.read_bytes() == "né".encode()
    write_atomically(target, b"\x00raw")
    assert target.read_bytes() == b"\x00raw"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "session"
    target.write_bytes(b"before")
    with pytest.raises(RuntimeError), atomic_file(target) as out:
        out.write(b"half of it")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir()] == ["session"]


def test_the_partial_file_sits_beside_the_target_until_the_block_ends(tmp_path):
    target = tmp_path / "ticket"
    with atomic_file(target) as out:
        out.write(b"x")
        (partial,) = [p for p in tmp_path.iterdir()]
        assert partial.name.startswith(".ticket-") and partial.name.endswith(".partial")
        assert not target.exists()
    assert target.read_bytes() == b"x"


def test_mode_is_set_before_the_file_appears(tmp_path):
    target = tmp_path / "password"
    old_umask = os.umask(0)
    try:
        write_atomically(target, "secret", mode=0o600)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
