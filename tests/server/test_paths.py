"""The one safe-join, and where the root folder is (frozen or not)."""

import sys

import pytest

from server.paths import PathEscape, bundled_root, default_root, safe_join


def test_joins_inside(tmp_path):
    (tmp_path / "a").mkdir()
    assert safe_join(tmp_path, "a", "b.txt") == (tmp_path / "a/b.txt").resolve()
    assert safe_join(tmp_path) == tmp_path.resolve()


@pytest.mark.parametrize("parts", [("..",), ("a", "../../x"), ("/etc/passwd",), ("a\x00b",),
                                   ("\\windows",), ("c:evil",)])
def test_refuses_escapes(tmp_path, parts):
    with pytest.raises(PathEscape):
        safe_join(tmp_path, *parts)


def test_refuses_symlink_leading_out(tmp_path):
    outside = tmp_path / "outside"
    inside = tmp_path / "inside"
    outside.mkdir()
    inside.mkdir()
    (inside / "link").symlink_to(outside)
    with pytest.raises(PathEscape):
        safe_join(inside, "link", "file")


def test_root_is_the_source_folder_when_not_frozen(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert (default_root() / "server" / "paths.py").is_file()
    assert bundled_root() == default_root()


def test_root_is_the_executable_folder_when_frozen(monkeypatch, tmp_path):
    exe = tmp_path / "stick" / "pocketweb"
    exe.parent.mkdir()
    exe.write_text("")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(exe))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
    assert default_root() == exe.parent.resolve()
    assert bundled_root() == tmp_path / "bundle"


def test_subfolder_joins_under_each_folder_it_is_given(tmp_path):
    from pathlib import Path

    from server.paths import subfolder

    one, two = tmp_path / "one", tmp_path / "two"
    assert subfolder(one, "views", "x.html") == one / "views" / "x.html"
    assert subfolder(one, "views", "x.html") is subfolder(one, "views", "x.html")
    assert subfolder(two, "views", "x.html") == two / "views" / "x.html"
    for name in ("a", "b", "c"):  # new folder objects, possibly at a freed one's address
        assert subfolder(Path(tmp_path, name), "models") == tmp_path / name / "models"
