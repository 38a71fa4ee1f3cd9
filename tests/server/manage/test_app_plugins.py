"""Plugins packed from one app and installed into another, which then serves them; hostile
archives refused before anything is written."""

from __future__ import annotations

import io
import tarfile

import pytest
from support import write_app

from server.manage.app_folders import AppArchiveError, AppError
from server.manage.app_plugins import install_plugin, list_plugins, pack_plugin, plugin_of

PLUGIN = {
    "models/plugin_hello.py": "HELLO_GREETING = 'hello from the plugin'\n",
    "controllers/plugin_hello.py": "def index():\n    return dict(greeting=HELLO_GREETING)\n",
    "views/plugin_hello/index.html": "<p>{{=greeting}}</p>\n",
    "static/plugin_hello/hello.css": "p { color: teal }\n",
    "modules/plugin_hello/__init__.py": "",
}


@pytest.fixture
def source(root):
    write_app(root, "maker", {**PLUGIN, "models/db.py": "x = 1\n",
                              "controllers/default.py": "def index():\n    return 'maker'\n",
                              "views/plugin_other.html": "other\n"})
    write_app(root, "taker", {"controllers/default.py": "def index():\n    return 'taker'\n",
                              "models/db.py": "# the taker's own model\n"})
    return root


def hostile_archive(path, members: dict[str, bytes], link: str | None = None):
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo(link)
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tar.addfile(info)
    return path


def test_an_apps_plugins_are_listed_with_their_files(source):
    plugins = list_plugins(source, "maker")
    assert sorted(plugins) == ["hello", "other"]
    assert plugins["hello"] == sorted(PLUGIN)
    assert plugins["other"] == ["views/plugin_other.html"]


def test_a_plugin_packed_from_one_app_serves_in_another(source, tmp_path, wsgi_server, http):
    archive = pack_plugin(source, "maker", "hello", tmp_path)
    assert archive.name == "web2py.plugin.hello.w2p"
    with tarfile.open(archive) as tar:
        assert sorted(m.name for m in tar.getmembers()) == sorted(PLUGIN)
    assert install_plugin(source, "taker", archive) == "hello"
    assert list_plugins(source, "taker")["hello"] == sorted(PLUGIN)
    assert (source / "applications/taker/models/db.py").read_text() == "# the taker's own model\n"
    base = wsgi_server(source)
    assert "hello from the plugin" in http(f"{base}/taker/plugin_hello/index").text
    assert http(f"{base}/taker/static/plugin_hello/hello.css").status == 200


def test_a_plugin_archive_may_not_touch_the_apps_own_files(source, tmp_path):
    archive = hostile_archive(tmp_path / "web2py.plugin.evil.w2p", {
        "controllers/plugin_evil.py": b"def index(): return 'x'\n",
        "models/db.py": b"import os\n"})
    with pytest.raises(AppArchiveError, match="models/db.py"):
        install_plugin(source, "taker", archive)
    taker = source / "applications/taker"
    assert (taker / "models/db.py").read_text() == "# the taker's own model\n"
    assert not (taker / "controllers/plugin_evil.py").exists()


@pytest.mark.parametrize("members, link, message", [
    ({"../../escape/plugin_x.py": b"x"}, None, "climbs out"),
    ({"/etc/plugin_x.py": b"x"}, None, "absolute path"),
    ({"models/plugin_x.py": b"x"}, "models/plugin_x_link.py", "link"),
    ({"models/plugin_a.py": b"x", "models/plugin_b.py": b"y"}, None, "exactly one plugin"),
])
def test_hostile_archives_are_refused_as_app_installs_are(source, tmp_path, members, link, message):
    archive = hostile_archive(tmp_path / "bad.w2p", members, link)
    with pytest.raises(AppArchiveError, match=message):
        install_plugin(source, "taker", archive)
    assert list_plugins(source, "taker") == {}
    assert not any(p.name.startswith(".taker.") for p in (source / "applications").iterdir())


def test_packing_a_missing_plugin_says_so(source, tmp_path):
    with pytest.raises(AppError, match="no plugin named 'nothing'"):
        pack_plugin(source, "maker", "nothing", tmp_path)


@pytest.mark.parametrize("path, plugin", [
    ("models/plugin_a_b.py", "a_b"), ("static/plugin_x/js/app.min.js", "x"),
    ("models/db.py", None), ("views/plugin_x.html/inner", None), ("plugin_x.py", None),
    ("databases/plugin_x.sqlite", None),
])
def test_which_plugin_a_path_belongs_to(path, plugin):
    assert plugin_of(path.split("/")) == plugin
