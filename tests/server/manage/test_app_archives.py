"""server/manage/app_archives.py: packing .w2p archives and installing them, hostile ones too."""

from __future__ import annotations

import gzip
import io
import os
import tarfile

import pytest
from support import SCAFFOLD_FILES, entries, files_under

from server.manage import apps
from server.manage.app_compiling import compile_app
from server.manage.progress import Cancelled, Progress


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


def test_a_compiled_pack_holds_the_compiled_form_instead_of_the_sources(scaffolded,
                                                                         tmp_path_factory):
    with pytest.raises(apps.AppError, match="welcome is not compiled: compile it first"):
        apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("none"), compiled=True)
    app = scaffolded / "applications/welcome"
    (app / "modules").mkdir(exist_ok=True)
    (app / "modules/helper.py").write_text("HELP = 1\n")
    compile_app(scaffolded, "welcome")
    plain = members_of(apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("plain")))
    assert "controllers/default.py" in plain and not [n for n in plain if "compiled" in n]
    archive = apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("out"), compiled=True)
    names = members_of(archive)
    assert "compiled/controllers.default.index.pyc" in names
    assert "compiled/views.default.index.html.lines" in names
    assert not [n for n in names if n.startswith(("models/", "controllers/", "views/"))]
    assert {"models", "controllers", "views", "modules/helper.py", "static/css/site.css"} <= set(names)
    installed = apps.install_app(scaffolded, "shipped", archive)
    assert files_under(installed / "compiled") == files_under(app / "compiled")


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
                                     gzip.compress(b"gzip but not tar" * 100)],
                         ids=["empty", "text", "gzip-not-tar"])
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


# --- progress and cancel ---------------------------------------------------------------------

def test_pack_reports_bytes_and_a_cancel_leaves_no_archive(scaffolded, tmp_path_factory):
    out = tmp_path_factory.mktemp("packs")
    heard = []
    apps.pack_app(scaffolded, "welcome", out, progress=Progress(lambda *step: heard.append(step)))
    done, total = heard[-1]
    assert done == total > 0
    progress = Progress(lambda *_step: progress.cancel())
    with pytest.raises(Cancelled):
        apps.pack_app(scaffolded, "welcome", out / "other.w2p", progress=progress)
    assert sorted(p.name for p in out.iterdir()) == ["web2py.app.welcome.w2p"]


def test_a_cancelled_install_installs_nothing_and_keeps_the_old_copy(scaffolded,
                                                                      tmp_path_factory):
    archive = apps.pack_app(scaffolded, "welcome", tmp_path_factory.mktemp("packs"))
    heard = []
    apps.install_app(scaffolded, "copy", archive, progress=Progress(lambda *s: heard.append(s)))
    assert heard[-1][0] == heard[-1][1] > 0
    before = files_under(scaffolded / "applications" / "copy")
    progress = Progress(lambda *_step: progress.cancel())
    with pytest.raises(Cancelled):
        apps.install_app(scaffolded, "copy", archive, overwrite=True, progress=progress)
    already = Progress()
    already.cancel()
    with pytest.raises(Cancelled):
        apps.install_app(scaffolded, "fresh", archive, progress=already)
    assert files_under(scaffolded / "applications" / "copy") == before
    assert sorted(p.name for p in (scaffolded / "applications").iterdir()) == ["copy", "welcome"]
