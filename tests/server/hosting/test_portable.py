"""Portable root logic, frozen and not, on real temp folders standing in for a USB stick."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest
from support import write_app

from server import paths
from server.hosting import portable


@pytest.fixture
def frozen(tmp_path, monkeypatch):
    """Pretend to be a PyInstaller bundle: executable on a 'stick', files unpacked elsewhere."""
    stick = tmp_path / "stick"
    stick.mkdir()
    bundle = tmp_path / "bundle"
    write_app(bundle, "welcome", {"controllers/default.py": "# pristine welcome\n",
                                  "databases/bundled.sqlite": "should not be copied"})
    write_app(bundle, "examples", {"controllers/default.py": "# pristine examples\n"})
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(sys, "executable", str(stick / "pocketweb"))
    return stick


def test_frozen_root_is_the_executables_folder(frozen):
    assert portable.writable_root(None) == frozen.resolve()


def test_explicit_folder_wins(frozen, tmp_path):
    assert portable.writable_root(tmp_path / "mine") == (tmp_path / "mine").resolve()
    assert portable.writable_root(str(tmp_path / "x" / ".." / "y")) == (tmp_path / "y").resolve()


def test_not_frozen_root_is_the_source_tree(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert portable.writable_root(None) == paths.SOURCE_ROOT


def test_first_start_on_an_empty_stick_seeds_bundled_apps(frozen):
    assert sorted(portable.seed_root(frozen)) == ["examples", "welcome"]
    welcome = frozen / "applications" / "welcome"
    assert (welcome / "controllers" / "default.py").read_text() == "# pristine welcome\n"
    assert list((welcome / "databases").iterdir()) == []
    assert sorted(os.listdir(frozen / "applications")) == ["examples", "welcome"]


def test_seeding_never_overwrites_user_data(frozen):
    write_app(frozen, "welcome", {"controllers/default.py": "# edited by the user\n"})
    assert portable.seed_root(frozen) == ["examples"]
    edited = frozen / "applications" / "welcome" / "controllers" / "default.py"
    assert edited.read_text() == "# edited by the user\n"
    assert portable.seed_root(frozen) == []


def test_seeding_keeps_a_user_folder_even_when_it_is_not_an_app(frozen):
    (frozen / "applications" / "examples").mkdir(parents=True)
    (frozen / "applications" / "examples" / "notes.txt").write_text("mine")
    assert portable.seed_root(frozen) == ["welcome"]
    assert os.listdir(frozen / "applications" / "examples") == ["notes.txt"]


def test_seeding_into_the_bundle_itself_does_nothing(frozen):
    bundle = Path(sys._MEIPASS)
    before = sorted(p.relative_to(bundle) for p in bundle.rglob("*"))
    assert portable.seed_root(bundle) == []
    assert sorted(p.relative_to(bundle) for p in bundle.rglob("*")) == before


def test_not_frozen_seeds_from_the_source_tree(monkeypatch, tmp_path):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    expected = sorted(
        p.name for p in (paths.SOURCE_ROOT / "applications").iterdir()
        if (p / "controllers").is_dir() or (p / "__init__.py").is_file()
    )
    assert sorted(portable.seed_root(tmp_path)) == expected


def test_processes_starting_at_once_in_a_new_root_all_seed_it(monkeypatch, tmp_path):
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    start_together = threading.Barrier(4)
    errors = []

    def start():
        start_together.wait()
        try:
            portable.seed_root(tmp_path)
        except portable.PortableError as error:
            errors.append(error)

    starters = [threading.Thread(target=start) for _ in range(4)]
    for starter in starters:
        starter.start()
    for starter in starters:
        starter.join(60)
    assert errors == []
    assert (tmp_path / "applications" / "welcome" / "controllers" / "default.py").is_file()
    assert not list((tmp_path / "applications").glob(".*"))  # no staging folder left


def test_writable_folder_passes_and_missing_one_is_created(tmp_path):
    assert portable.check_writable(tmp_path) is None
    fresh = tmp_path / "new" / "root"
    assert portable.check_writable(fresh) is None
    assert (fresh / "applications").is_dir()
    assert not [p for p in tmp_path.rglob(".pocketweb-write-test-*")]


def test_a_root_that_cannot_exist_gets_a_clear_message(tmp_path):
    blocker = tmp_path / "stick"
    blocker.write_text("a file where the folder should be")
    message = portable.check_writable(blocker / "root")
    assert message is not None
    assert str(blocker / "root") in message and "Choose another folder" in message
    assert blocker.read_text() == "a file where the folder should be"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root can write into a chmod 0o555 folder, so it cannot be read-only")
def test_read_only_folder_gets_a_clear_message(tmp_path):
    stick = tmp_path / "stick"
    (stick / "applications").mkdir(parents=True)
    stick.chmod(0o555)
    (stick / "applications").chmod(0o555)
    try:
        assert "cannot save" in portable.check_writable(stick)
    finally:
        (stick / "applications").chmod(0o755)
        stick.chmod(0o755)


def test_seeding_a_read_only_root_raises_a_clear_error(frozen, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("not a folder")
    with pytest.raises(portable.PortableError, match="could not copy the bundled app"):
        portable.seed_root(blocker)


def test_fallback_root_is_per_user_and_not_created(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    fallback = portable.fallback_root()
    assert tmp_path in fallback.parents
    assert fallback.name.lower() == "pocketweb"
    assert not fallback.exists()
    assert portable.check_writable(fallback) is None


def test_prepare_root_checks_and_seeds_the_stick(frozen):
    assert portable.prepare_root() == frozen.resolve()
    assert sorted(os.listdir(frozen / "applications")) == ["examples", "welcome"]


def test_prepare_root_refuses_an_unwritable_folder_without_writing(frozen, tmp_path):
    blocker = tmp_path / "locked"
    blocker.write_text("a file, not a folder")
    with pytest.raises(portable.PortableError, match="cannot save"):
        portable.prepare_root(blocker / "root")
    assert blocker.read_text() == "a file, not a folder"
    assert not (frozen / "applications").exists()


def test_help_documents_are_found_in_the_source_tree(monkeypatch):
    monkeypatch.delattr(sys, "frozen", raising=False)
    documents = portable.help_documents()
    assert documents["README"] == paths.SOURCE_ROOT / "README.md"
    assert documents["Tutorial"].read_text(encoding="utf-8").startswith("# ")


def test_help_documents_missing_from_a_bundle_are_left_out(frozen, tmp_path):
    (tmp_path / "bundle" / "README.md").write_text("# Pocketweb\n")
    assert portable.help_documents() == {"README": tmp_path / "bundle" / "README.md"}
