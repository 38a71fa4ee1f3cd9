"""The rules about application names and folders every management action checks first."""

from __future__ import annotations

import os

import pytest

from server.manage.app_folders import (
    STANDARD_FOLDERS,
    AppExistsError,
    AppNameError,
    AppNotFoundError,
    app_folder,
    applications_folder,
    check_app_name,
    ensure_standard_folders,
    existing_app_folder,
    is_app_folder,
    is_compiled_cache,
    list_apps,
    new_app_folder,
    staging_folder,
    unused_app_name,
)


@pytest.mark.parametrize("name", ["blog", "_private", "Shop2", "a"])
def test_identifiers_are_application_names(name):
    assert check_app_name(name) == name


@pytest.mark.parametrize("name", ["", "2shop", "my-app", "a b", "../x", "é", "app.w2p", None, 3])
def test_other_names_are_refused_with_the_rule(name):
    with pytest.raises(AppNameError, match="not a valid application name: use letters, digits"):
        check_app_name(name)


def test_app_folder_is_inside_applications(root):
    assert app_folder(root, "blog") == applications_folder(root) / "blog"
    assert applications_folder(root) == root / "applications"


def test_an_app_folder_that_is_a_link_out_of_applications_is_refused(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere")
    applications_folder(root).mkdir(exist_ok=True)
    os.symlink(outside, applications_folder(root) / "escape")
    with pytest.raises(AppNameError, match="points outside the applications folder"):
        app_folder(root, "escape")


def test_existing_app_folder_names_the_missing_app(root):
    with pytest.raises(AppNotFoundError, match="there is no application named 'nope'"):
        existing_app_folder(root, "nope")


def test_list_apps_keeps_real_apps_with_valid_names_sorted(root):
    apps = applications_folder(root)
    for name in ("zeta", "alpha"):
        (apps / name / "controllers").mkdir(parents=True)
    (apps / "marked").mkdir()
    (apps / "marked" / "__init__.py").write_text("")
    (apps / "bad-name" / "controllers").mkdir(parents=True)
    (apps / "just_a_folder").mkdir()
    (apps / "notes.txt").write_text("")
    assert list_apps(root) == ["alpha", "marked", "zeta"]
    assert is_app_folder(apps / "alpha") and not is_app_folder(apps / "notes.txt")


def test_list_apps_of_a_root_without_applications_is_empty(tmp_path):
    assert list_apps(tmp_path / "nothing") == []


@pytest.mark.parametrize("name, expected", [
    ("__pycache__", True), ("default.cpython-311.pyc", True), ("default.py", False),
    ("compiled", False),
])
def test_compiled_caches_are_recognised(name, expected):
    assert is_compiled_cache(name) is expected


def test_staging_folder_is_hidden_beside_the_target_and_empty(tmp_path):
    target = tmp_path / "blog"
    staged = staging_folder(target, "install")
    assert staged.parent == tmp_path and staged.name.startswith(".blog.install-")
    assert list(staged.iterdir()) == []


def test_ensure_standard_folders_creates_them_all_and_keeps_contents(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "db.py").write_text("kept")
    ensure_standard_folders(tmp_path)
    assert all((tmp_path / sub).is_dir() for sub in STANDARD_FOLDERS)
    assert (tmp_path / "models" / "db.py").read_text() == "kept"


def test_new_app_folder_refuses_a_taken_name_unless_overwriting(scaffolded):
    with pytest.raises(AppExistsError, match="'welcome' already exists"):
        new_app_folder(scaffolded, "welcome")
    assert new_app_folder(scaffolded, "welcome", overwrite=True) == (
        scaffolded / "applications" / "welcome")
    assert new_app_folder(scaffolded, "blog") == scaffolded / "applications" / "blog"


@pytest.mark.parametrize("name", ["", "2blog", "my-blog", "../x"])
def test_new_app_folder_refuses_an_invalid_name(scaffolded, name):
    with pytest.raises(AppNameError, match="not a valid application name"):
        new_app_folder(scaffolded, name)


def test_unused_app_name_counts_up_past_taken_names(scaffolded):
    assert unused_app_name(scaffolded, "blog") == "blog"
    assert unused_app_name(scaffolded, "welcome") == "welcome_2"
    (scaffolded / "applications" / "welcome_2").mkdir()
    assert unused_app_name(scaffolded, "welcome") == "welcome_3"


@pytest.mark.parametrize(("wanted", "name"), [("my-blog", "my_blog"), ("2024", "app_2024"),
                                              ("", "app")])
def test_unused_app_name_is_always_a_valid_name(scaffolded, wanted, name):
    assert unused_app_name(scaffolded, wanted) == name
    new_app_folder(scaffolded, name)  # accepted
