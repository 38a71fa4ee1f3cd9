"""Reading and writing editor files: UTF-8 only, line endings and BOM kept, binary refused."""

import codecs

import pytest

from desktop.editor.files import (
    UnreadableFileError,
    content_digest,
    read_text_file,
    write_text_file,
)


def test_utf8_text_and_crlf_line_endings_are_read_verbatim(tmp_path):
    path = tmp_path / "a.py"
    path.write_bytes("x = 'é'\r\ny = 2\r\n".encode())
    loaded = read_text_file(path)
    assert loaded.text == "x = 'é'\r\ny = 2\r\n"
    assert loaded.uses_crlf
    assert not loaded.has_bom


def test_bom_is_remembered_and_written_back(tmp_path):
    path = tmp_path / "b.py"
    path.write_bytes(codecs.BOM_UTF8 + b"x = 1\n")
    loaded = read_text_file(path)
    assert loaded.text == "x = 1\n" and loaded.has_bom
    digest = write_text_file(path, b"x = 2\n", loaded.has_bom)
    assert path.read_bytes() == codecs.BOM_UTF8 + b"x = 2\n"
    assert digest == content_digest(path)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "logo.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    with pytest.raises(UnreadableFileError, match="binary"):
        read_text_file(path)


def test_nul_late_in_a_text_file_is_refused_so_nothing_after_it_is_lost(tmp_path):
    path = tmp_path / "data.txt"
    path.write_bytes(b"x" * 100_000 + b"\0tail")
    with pytest.raises(UnreadableFileError, match="binary"):
        read_text_file(path)


def test_undecodable_file_is_refused_with_the_bad_byte(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("café".encode("latin-1"))
    with pytest.raises(UnreadableFileError, match="not UTF-8.*byte 3"):
        read_text_file(path)


def test_folder_and_missing_file_are_refused(tmp_path):
    with pytest.raises(UnreadableFileError, match="folder"):
        read_text_file(tmp_path)
    with pytest.raises(UnreadableFileError, match="does not exist"):
        read_text_file(tmp_path / "missing.py")


def test_digest_changes_with_content_only(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("one")
    first = content_digest(path)
    path.write_text("one")
    assert content_digest(path) == first
    path.write_text("two")
    assert content_digest(path) != first
    assert content_digest(tmp_path / "gone") is None
