"""Application management on real folders: create, rename, delete, new files, pack and install."""

from __future__ import annotations

import gzip
import io
import os
import sys
import tarfile

import pytest
from support import write_app

from server.manage import apps

SCAFFOLD_FILES = {
    "__init__.py": "",
    "controllers/default.py": "def index():\n    return dict(message='scaffold')\n",
    "views/layout.html": "<html>{{include}}</html>\n",
    "views/default/index.html": "{{extend 'layout.html'}}{{=message}}\n",
    "models/db.py": "# scaffold model\n",
    "static/css/site.css": "body {}\n",
    "sessions/abc": "session data",
    "errors/127.0.0.1.x": "ticket",
    "cache/cache.shelve": "cached",
    "databases/storage.sqlite": "database bytes",
}


@pytest.fixture
def scaffolded(root):
    write_app(root, "welcome", SCAFFOLD_FILES)
    return root


def entries(folder):
    return sorted(os.listdir(folder))


def files_under(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


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


def members_of(archive):
    with tarfile.open(archive) as tar:
        return [member.name for member in tar.getmembers()]


def test_pack_leaves_out_runtime_and_database_contents(scaffolded, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    archive = apps.pack_app(scaffolded, "welcome", out)
    assert archive == out / "web2py.app.welcome.w2p"
    names = members_of(archive)
    assert "controllers/default.py" in names and "static/css/site.css" in names
    assert "sessions" in names and "databases" in names
    assert not [n for n in names if n.startswith(("sessions/", "errors/", "cache/", "databases/"))]
    assert names == sorted(names)


def test_pack_includes_databases_when_asked(scaffolded, tmp_path_factory):
    archive = apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("out") / "w.w2p",
                            include_databases=True)
    assert "databases/storage.sqlite" in members_of(archive)


def test_pack_is_reproducible(scaffolded, tmp_path_factory):
    first = apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("a"))
    second = apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("b"))
    assert first.read_bytes() == second.read_bytes()


def test_pack_skips_links(scaffolded, tmp_path_factory):
    app = scaffolded / "applications" / "welcome"
    (app / "private" / "outside").symlink_to("/etc/hostname")
    archive = apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("out"))
    assert "private/outside" not in members_of(archive)


def test_pack_refuses_destination_inside_the_app(scaffolded):
    with pytest.raises(apps.AppError, match="outside the application"):
        apps.pack_app(scaffolded, "welcome", scaffolded / "applications" / "welcome" / "private")


# ----------------------------------------------------------------------------- install


def test_pack_then_install_round_trips_the_source(scaffolded, tmp_path_factory):
    archive = apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("out"))
    installed = apps.install_app(scaffolded, "copy", archive)
    original = scaffolded / "applications" / "welcome"
    expected = [f for f in files_under(original)
                if not f.startswith(("sessions/", "errors/", "cache/", "databases/"))]
    assert files_under(installed) == expected
    for relative in expected:
        assert (installed / relative).read_bytes() == (original / relative).read_bytes()
    for sub in apps.STANDARD_FOLDERS:
        assert (installed / sub).is_dir()
    assert entries(scaffolded / "applications") == ["copy", "welcome"]


def test_install_accepts_plain_tar(root, tmp_path_factory):
    archive = tmp_path_factory.mktemp("in") / "plain.tar"
    with tarfile.open(archive, "w") as tar:
        add_bytes(tar, "controllers/default.py", b"def index(): return dict()\n")
    apps.install_app(root, "plain", archive)
    assert apps.list_apps(root) == ["plain"]


def test_install_refuses_existing_app_unless_overwrite(scaffolded, tmp_path_factory):
    archive = make_archive(tmp_path_factory, [("controllers/default.py", b"# new\n")])
    with pytest.raises(apps.AppExistsError):
        apps.install_app(scaffolded, "welcome", archive)
    controller = scaffolded / "applications" / "welcome" / "controllers" / "default.py"
    assert controller.read_text() == SCAFFOLD_FILES["controllers/default.py"]


def test_overwrite_replaces_code_but_keeps_data(scaffolded, tmp_path_factory):
    archive = make_archive(tmp_path_factory, [("controllers/default.py", b"# new\n")])
    app = apps.install_app(scaffolded, "welcome", archive, overwrite=True)
    assert (app / "controllers" / "default.py").read_text() == "# new\n"
    assert not (app / "models" / "db.py").exists()
    assert (app / "databases" / "storage.sqlite").read_text() == "database bytes"
    assert (app / "sessions" / "abc").read_text() == "session data"
    assert entries(scaffolded / "applications") == ["welcome"]


def test_overwrite_with_databases_in_the_archive_uses_them(scaffolded, tmp_path_factory):
    archive = make_archive(tmp_path_factory, [("databases/storage.sqlite", b"from archive")])
    app = apps.install_app(scaffolded, "welcome", archive, overwrite=True)
    assert (app / "databases" / "storage.sqlite").read_text() == "from archive"


def add_bytes(tar, name, data, **attributes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    for key, value in attributes.items():
        setattr(info, key, value)
    tar.addfile(info, io.BytesIO(data) if data else None)


def make_archive(tmp_path_factory, members, name="bad.w2p"):
    """A .w2p with ``members``: (name, bytes) for files, or a ready TarInfo for other kinds."""
    archive = tmp_path_factory.mktemp("archives") / name
    with tarfile.open(archive, "w:gz") as tar:
        for member in members:
            if isinstance(member, tarfile.TarInfo):
                tar.addfile(member)
            else:
                add_bytes(tar, *member)
    return archive


def special(name, kind, linkname=""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


UNSAFE = {
    "absolute": ([("/tmp/pocketweb-evil.py", b"x")], "absolute path"),
    "windows-absolute": ([("C:/evil.py", b"x")], "absolute path"),
    "parent": ([("controllers/../../evil.py", b"x")], "climbs out"),
    "symlink": ([special("models/link", tarfile.SYMTYPE, "/etc/passwd")], "links are not"),
    "hardlink": ([special("models/hard", tarfile.LNKTYPE, "/etc/passwd")], "links are not"),
    "device": ([special("models/dev", tarfile.CHRTYPE)], "device or pipe"),
    "fifo": ([special("models/fifo", tarfile.FIFOTYPE)], "device or pipe"),
    "empty": ([], "empty"),
}


@pytest.mark.parametrize("case", sorted(UNSAFE))
def test_install_refuses_unsafe_archives_and_writes_nothing(root, tmp_path_factory, case):
    members, message = UNSAFE[case]
    good = [("controllers/default.py", b"# fine\n")]
    archive = make_archive(tmp_path_factory, good + members if members else [])
    with pytest.raises(apps.AppArchiveError, match=message):
        apps.install_app(root, "evil", archive)
    assert entries(root / "applications") == []
    assert not os.path.exists("/tmp/pocketweb-evil.py")


def test_install_refuses_a_member_that_follows_a_link_out(root, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (root / "applications" / "evil").symlink_to(outside, target_is_directory=True)
    archive = make_archive(tmp_path_factory, [("controllers/default.py", b"x")])
    with pytest.raises(apps.AppNameError, match="outside"):
        apps.install_app(root, "evil", archive, overwrite=True)
    assert list(outside.iterdir()) == []


def test_install_refuses_archives_over_the_size_limit(root, tmp_path_factory):
    archive = make_archive(tmp_path_factory, [("a.txt", b"x" * 600), ("b.txt", b"y" * 600)])
    with pytest.raises(apps.AppArchiveError, match="more than"):
        apps.install_app(root, "big", archive, max_bytes=1000)
    assert entries(root / "applications") == []


def test_install_stops_at_a_bomb_header_without_unpacking(root, tmp_path_factory):
    """A header claiming 2 GB is refused from the header alone (the data is not even there)."""
    info = tarfile.TarInfo("zeros.bin")
    info.size = 2 * 1024 ** 3
    archive = tmp_path_factory.mktemp("bomb") / "bomb.w2p"
    archive.write_bytes(gzip.compress(info.tobuf(format=tarfile.PAX_FORMAT)))
    with pytest.raises(apps.AppArchiveError, match="more than 512 MB"):
        apps.install_app(root, "bomb", archive)
    assert entries(root / "applications") == []


def test_install_refuses_too_many_members(root, tmp_path_factory):
    archive = make_archive(tmp_path_factory, [(f"f{i}.txt", b"") for i in range(5)])
    with pytest.raises(apps.AppArchiveError, match="3 files"):
        apps.install_app(root, "many", archive, max_members=3)


@pytest.mark.parametrize("content", [b"", b"not an archive at all" * 10,
                                     gzip.compress(b"gzip but not tar" * 100)])
def test_install_refuses_files_that_are_not_archives(root, tmp_path_factory, content):
    archive = tmp_path_factory.mktemp("in") / "junk.w2p"
    archive.write_bytes(content)
    with pytest.raises(apps.AppArchiveError):
        apps.install_app(root, "junk", archive)
    assert entries(root / "applications") == []


def test_install_refuses_a_truncated_archive(scaffolded, tmp_path_factory):
    good = apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("out"))
    cut = good.with_name("cut.w2p")
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    with pytest.raises(apps.AppArchiveError, match="damaged|not a valid"):
        apps.install_app(scaffolded, "cut", cut)
    assert entries(scaffolded / "applications") == ["welcome"]


def test_install_missing_file_and_bad_name(root, tmp_path):
    with pytest.raises(apps.AppArchiveError, match="is not a file"):
        apps.install_app(root, "x", tmp_path / "nowhere.w2p")
    with pytest.raises(apps.AppNameError):
        apps.install_app(root, "../x", tmp_path / "nowhere.w2p")


def test_pack_into_a_missing_folder_is_a_clear_error(scaffolded, tmp_path):
    with pytest.raises(apps.AppError, match="could not write"):
        apps.pack_app(scaffolded, "welcome", tmp_path / "no" / "such" / "folder" / "x.w2p")


def test_rename_file_stays_in_its_folder_and_replaces_nothing(tmp_path):
    from server.manage.apps import AppExistsError, AppNameError, rename_file

    controllers = tmp_path / "applications/blog/controllers"
    controllers.mkdir(parents=True)
    (controllers / "default.py").write_text("x = 1\n")
    (controllers / "other.py").write_text("y = 2\n")
    assert rename_file(tmp_path, controllers / "default.py", "main.py") == (
        controllers / "main.py").resolve()
    with pytest.raises(AppNameError):
        rename_file(tmp_path, controllers / "main.py", "../escaped.py")
    with pytest.raises(AppExistsError):
        rename_file(tmp_path, controllers / "main.py", "other.py")
    with pytest.raises(AppNameError):
        rename_file(tmp_path, tmp_path / "outside.py", "x.py")
    assert sorted(p.name for p in controllers.iterdir()) == ["main.py", "other.py"]


def test_delete_file_only_inside_the_applications_folder(tmp_path):
    from server.manage.apps import AppError, AppNameError, delete_file

    view = tmp_path / "applications/blog/views/index.html"
    view.parent.mkdir(parents=True)
    view.write_text("hi")
    outside = tmp_path / "keep.txt"
    outside.write_text("keep")
    delete_file(tmp_path, view)
    assert not view.exists()
    with pytest.raises(AppNameError):
        delete_file(tmp_path, outside)
    with pytest.raises(AppError):
        delete_file(tmp_path, view)
    assert outside.exists()


def test_a_new_apps_comments_name_the_app_not_the_scaffold(root):
    write_app(root, "welcome", {
        "controllers/default.py": "# pages: /welcome/default/<name>\ndef index():\n    return 'welcome'\n",
        "models/db.py": "# login at /welcome/default/user/login\n"})
    blog = apps.create_app(root, "blog")
    assert "# pages: /blog/default/<name>" in (blog / "controllers/default.py").read_text()
    assert "return 'welcome'" in (blog / "controllers/default.py").read_text()  # not a URL
    assert (blog / "models/db.py").read_text() == "# login at /blog/default/user/login\n"
