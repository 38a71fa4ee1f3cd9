"""Application management on real folders: create, rename, delete, new files."""

from __future__ import annotations

import sys

import pytest
from support import SCAFFOLD_FILES, entries, files_under, write_app

from server.manage import apps

# ----------------------------------------------------------------------------- listing


def test_list_apps_finds_only_application_folders(root):
    write_app(root, "zeta", {})
    (root / "applications" / "alpha").mkdir()
    (root / "applications" / "alpha" / "__init__.py").write_text("")
    (root / "applications" / "not_an_app").mkdir()
    (root / "applications" / "bad-name" / "controllers").mkdir(parents=True)
    (root / "applications" / "README").write_text("a file")
    assert apps.list_apps(root) == ["alpha", "zeta"]


def test_list_apps_without_applications_folder_is_empty(tmp_path):
    assert apps.list_apps(tmp_path) == []


# ----------------------------------------------------------------------------- create


def test_create_app_copies_scaffold_without_runtime_data(scaffolded):
    folder = apps.create_app(scaffolded, "blog")
    assert folder == scaffolded / "applications" / "blog"
    assert (folder / "controllers" / "default.py").read_text() == SCAFFOLD_FILES[
        "controllers/default.py"]
    assert (folder / "static" / "css" / "site.css").is_file()
    for sub in apps.STANDARD_FOLDERS:
        assert (folder / sub).is_dir(), sub
    for sub in ("sessions", "errors", "cache", "databases"):
        assert list((folder / sub).iterdir()) == [], sub
    assert "blog" in apps.list_apps(scaffolded)
    assert entries(scaffolded / "applications") == ["blog", "welcome"]


def test_create_app_skips_compiled_caches(scaffolded):
    cache = scaffolded / "applications" / "welcome" / "controllers" / "__pycache__"
    cache.mkdir()
    (cache / "default.cpython-311.pyc").write_bytes(b"x")
    folder = apps.create_app(scaffolded, "blog")
    assert not (folder / "controllers" / "__pycache__").exists()


def test_create_app_uses_bundled_scaffold_when_root_has_none(root, tmp_path_factory, monkeypatch):
    bundle = tmp_path_factory.mktemp("bundle")
    write_app(bundle, "welcome", {"controllers/default.py": "# bundled\n"})
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    folder = apps.create_app(root, "fresh")
    assert (folder / "controllers" / "default.py").read_text() == "# bundled\n"


def test_create_app_without_any_scaffold_says_so(root, tmp_path_factory, monkeypatch):
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path_factory.mktemp("empty")), raising=False)
    with pytest.raises(apps.AppError, match="scaffold is missing"):
        apps.create_app(root, "fresh")
    assert entries(root / "applications") == []


def test_every_shipped_app_is_a_starting_point():
    """The apps under version control (what the bundle ships) and STARTING_POINTS agree."""
    import subprocess

    from server.paths import SOURCE_ROOT

    listed = subprocess.run(["git", "ls-files", "applications"], cwd=SOURCE_ROOT,
                            capture_output=True, text=True)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    shipped = sorted({line.split("/")[1] for line in listed.stdout.split() if line.count("/") > 1})
    shipped.remove("admin")  # the admin-password login web2py apps' appadmin sends to, not a start
    assert shipped == sorted(apps.STARTING_POINTS)


@pytest.mark.parametrize("example", sorted(apps.STARTING_POINTS))
def test_create_app_can_start_from_any_shipped_example(root, example):
    from server.paths import SOURCE_ROOT

    assert apps.starting_points(root) == apps.STARTING_POINTS
    folder = apps.create_app(root, "mine", start_from=example)
    shipped = SOURCE_ROOT / "applications" / example
    assert (folder / "controllers/default.py").read_bytes() == (  # URLs in comments renamed
        shipped / "controllers/default.py").read_bytes().replace(f"/{example}/".encode(), b"/mine/")
    assert (folder / "views/layout.html").is_file()
    assert list((folder / "databases").iterdir()) == []


def test_starting_point_prefers_the_roots_copy_and_lists_only_present_ones(
        scaffolded, tmp_path_factory, monkeypatch):
    bundle = tmp_path_factory.mktemp("bundle")
    write_app(bundle, "todo", {"controllers/default.py": "# bundled todo\n"})
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    assert list(apps.starting_points(scaffolded)) == ["welcome", "todo"]
    assert (apps.create_app(scaffolded, "tasks", "todo") / "controllers/default.py").read_text() \
        == "# bundled todo\n"
    with pytest.raises(apps.AppError, match="'bank' scaffold is missing"):
        apps.create_app(scaffolded, "money", "bank")


def test_an_unknown_starting_point_is_refused(scaffolded):
    with pytest.raises(apps.AppError, match="'nosuch' is not a starting point"):
        apps.create_app(scaffolded, "blog", "nosuch")
    assert entries(scaffolded / "applications") == ["welcome"]


def test_create_app_refuses_existing(scaffolded):
    apps.create_app(scaffolded, "blog")
    with pytest.raises(apps.AppExistsError, match="already exists"):
        apps.create_app(scaffolded, "blog")


@pytest.mark.parametrize("name", ["", "1blog", "my-app", "../evil", "a/b", "a b", "x.y", "é"])
def test_create_app_refuses_bad_names(scaffolded, name):
    with pytest.raises(apps.AppNameError, match="not a valid application name"):
        apps.create_app(scaffolded, name)
    assert entries(scaffolded / "applications") == ["welcome"]
    assert entries(scaffolded) == ["applications"]


# ----------------------------------------------------------------------------- delete / rename


def test_delete_app_removes_everything(scaffolded):
    apps.create_app(scaffolded, "blog")
    apps.delete_app(scaffolded, "blog")
    assert entries(scaffolded / "applications") == ["welcome"]


def test_delete_missing_app_is_a_clear_error(scaffolded):
    with pytest.raises(apps.AppNotFoundError, match="no application named 'ghost'"):
        apps.delete_app(scaffolded, "ghost")


def test_delete_refuses_a_link_leading_outside(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "keep.txt").write_text("precious")
    (root / "applications" / "linked").symlink_to(outside, target_is_directory=True)
    with pytest.raises(apps.AppNameError, match="outside"):
        apps.delete_app(root, "linked")
    assert (outside / "keep.txt").read_text() == "precious"


def test_rename_app_moves_the_folder(scaffolded):
    apps.create_app(scaffolded, "blog")
    moved = apps.rename_app(scaffolded, "blog", "journal")
    assert moved.name == "journal"
    assert apps.list_apps(scaffolded) == ["journal", "welcome"]


def test_rename_refuses_existing_target_and_keeps_both(scaffolded):
    apps.create_app(scaffolded, "blog")
    with pytest.raises(apps.AppExistsError):
        apps.rename_app(scaffolded, "blog", "welcome")
    assert apps.list_apps(scaffolded) == ["blog", "welcome"]


def test_rename_refuses_bad_new_name(scaffolded):
    with pytest.raises(apps.AppNameError):
        apps.rename_app(scaffolded, "welcome", "../up")
    assert apps.list_apps(scaffolded) == ["welcome"]


# ----------------------------------------------------------------------------- new files


def test_new_controller_has_an_index_action_returning_a_dict(scaffolded):
    path = apps.new_file(scaffolded, "welcome", "controller", "shop")
    assert path == scaffolded / "applications" / "welcome" / "controllers" / "shop.py"
    namespace = {}
    exec(compile(path.read_text(), str(path), "exec"), namespace)
    result = namespace["index"]()
    assert isinstance(result, dict) and "shop" in result["message"]


def test_new_view_extends_the_layout(scaffolded):
    path = apps.new_file(scaffolded, "welcome", "view", "shop/index")
    assert path.relative_to(scaffolded / "applications" / "welcome").as_posix() == (
        "views/shop/index.html")
    assert path.read_text().startswith("{{extend 'layout.html'}}")


@pytest.mark.parametrize("kind, name, relative", [
    ("model", "tables", "models/tables.py"),
    ("model", "menu.py", "models/menu.py"),
    ("module", "helpers", "modules/helpers.py"),
    ("language", "pt-br", "languages/pt-br.py"),
    ("static", "js/app.js", "static/js/app.js"),
    ("private", "notes.txt", "private/notes.txt"),
])
def test_new_file_kinds_land_in_their_folders(scaffolded, kind, name, relative):
    path = apps.new_file(scaffolded, "welcome", kind, name)
    assert path == scaffolded / "applications" / "welcome" / relative
    assert path.is_file()


def test_new_python_files_compile(scaffolded):
    for kind, name in (("model", "m"), ("module", "mod"), ("language", "it")):
        path = apps.new_file(scaffolded, "welcome", kind, name)
        compile(path.read_text(), str(path), "exec")


def test_new_file_refuses_existing_and_keeps_its_content(scaffolded):
    with pytest.raises(apps.AppExistsError, match="controllers/default.py already exists"):
        apps.new_file(scaffolded, "welcome", "controller", "default")
    path = scaffolded / "applications" / "welcome" / "controllers" / "default.py"
    assert path.read_text() == SCAFFOLD_FILES["controllers/default.py"]


@pytest.mark.parametrize("kind, name", [
    ("model", "../escape"), ("model", "/etc/passwd"), ("model", "bad name"),
    ("model", "1st"), ("model", "notes.txt"), ("controller", "sub/dir"),
    ("view", "../../x"), ("static", "a/../../b.js"), ("static", ""),
    ("language", "english!"), ("private", "..\\up.txt"),
])
def test_new_file_refuses_bad_names(scaffolded, kind, name):
    before = files_under(scaffolded)
    with pytest.raises(apps.AppNameError):
        apps.new_file(scaffolded, "welcome", kind, name)
    assert files_under(scaffolded) == before


def test_new_file_refuses_unknown_kind_and_missing_app(scaffolded):
    with pytest.raises(apps.AppError, match="unknown file kind"):
        apps.new_file(scaffolded, "welcome", "script", "x")
    with pytest.raises(apps.AppNotFoundError):
        apps.new_file(scaffolded, "ghost", "model", "x")


# ----------------------------------------------------------------------------- pack
