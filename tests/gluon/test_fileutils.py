"""gluon.fileutils: web2py's file helpers, version parsing and .w2p round trip."""

import datetime
import os

from gluon.fileutils import (
    abspath,
    create_app,
    listdir,
    open_file,
    parse_version,
    read_file,
    readlines_file,
    recursive_unlink,
    up,
    w2p_pack,
    w2p_unpack,
    write_file,
)
from gluon.settings import global_settings


def test_read_write_and_open_text_as_utf8(tmp_path):
    target = str(tmp_path / "note.txt")
    write_file(target, "caffè\nline two")
    assert read_file(target) == "caffè\nline two"
    assert readlines_file(target) == ["caffè", "line two"]
    assert read_file(target, "rb") == "caffè\nline two".encode()
    with open_file(target, "r") as handle:
        assert handle.readline() == "caffè\n"


def test_listdir_is_recursive_relative_sorted_and_filtered(tmp_path):
    for name in ("models/db.py", "models/menu.py", "controllers/default.py", "views/x.html",
                 ".hidden/secret.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    assert listdir(str(tmp_path), r".*\.py$") == [
        "controllers/default.py", "models/db.py", "models/menu.py"]
    assert listdir(str(tmp_path / "models")) == ["db.py", "menu.py"]
    full = listdir(str(tmp_path / "models"), drop=False)
    assert full == [os.path.join(str(tmp_path / "models"), "db.py"),
                    os.path.join(str(tmp_path / "models"), "menu.py")]
    assert "models" in listdir(str(tmp_path), "^models$", add_dirs=True)
    assert listdir(str(tmp_path), r".*\.py$", maxnum=1) == ["controllers/default.py"]


def test_recursive_unlink_removes_trees_files_and_ignores_missing(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "f").write_text("x")
    (tmp_path / "single").write_text("x")
    recursive_unlink(str(tmp_path / "a"))
    recursive_unlink(str(tmp_path / "single"))
    recursive_unlink(str(tmp_path / "never-there"))
    assert list(tmp_path.iterdir()) == []


def test_parse_version_reads_both_of_web2pys_formats():
    assert parse_version("Version 2.24.1-stable+timestamp.2023.03.22.21.50.26") == \
        (2, 24, 1, "stable", datetime.datetime(2023, 3, 22, 21, 50, 26))
    assert parse_version("Version 1.99.7 (2012-03-04 22:12:08) stable") == \
        (1, 99, 7, "stable", datetime.datetime(2012, 3, 4, 22, 12, 8))
    assert parse_version("not a version") is None


def test_the_running_version_parses():
    major, minor, patch, pre_release, build = parse_version(global_settings.web2py_version)
    assert (major, minor) >= (2, 0) and isinstance(build, datetime.datetime)
    assert pre_release.startswith("pocketweb")


def test_up_and_abspath():
    assert up("/a/b/c/") == "/a/b" and up("/a/b/c") == "/a/b"
    assert abspath("applications", "x") == os.path.join(global_settings.applications_parent,
                                                        "applications", "x")


def test_w2p_pack_then_unpack_into_a_new_app(root):
    app = create_app(str(root / "applications" / "first"))
    assert os.path.isfile(os.path.join(app, "controllers", "default.py"))
    write_file(os.path.join(app, "private", "mark.txt"), "packed")
    archive = str(root / "first.w2p")
    w2p_pack(archive, app)
    copy = str(root / "applications" / "second")
    w2p_unpack(archive, copy)
    assert read_file(os.path.join(copy, "private", "mark.txt")) == "packed"
    assert not os.path.exists(archive)  # delete_tar=True is web2py's default
