"""gluon.admin: apath and web2py's app_* functions over Pocketweb's app management."""

import io

from support import write_app

from gluon.admin import (
    apath,
    app_cleanup,
    app_compile,
    app_create,
    app_install,
    app_pack,
    app_pack_compiled,
    app_uninstall,
)
from gluon.storage import Storage


def _request(root, app="admin"):
    return Storage(folder=str(root / "applications" / app) + "/")


def test_apath_is_inside_applications(root):
    assert apath("x/models", _request(root)) == str(root / "applications" / "x" / "models")


def test_create_pack_install_cleanup_uninstall(root):
    request = _request(root)
    assert app_create("made", request) is True
    assert app_create("made", request, info=True)[0] is False  # exists already
    (root / "applications" / "made" / "errors" / "old-ticket").write_text("x")
    archive = app_pack("made", request)
    assert archive.endswith("web2py.app.made.w2p")
    assert not (root / "applications" / "made" / "errors" / "old-ticket").exists()
    with open(archive, "rb") as handle:
        installed = app_install("copy", io.BytesIO(handle.read()), request, "made.w2p")
    assert installed and (root / "applications" / "copy" / "controllers" / "default.py").exists()
    assert app_install("copy", io.BytesIO(b"not an archive"), request, "x.w2p") is False
    assert app_cleanup("copy", request) is True
    assert app_uninstall("copy", request) is True and not (root / "applications" / "copy").exists()
    assert app_uninstall("copy", request) is False


def test_app_compile_names_the_error(root):
    write_app(root, "bad", {"controllers/default.py": "def index(:\n"})
    assert app_compile("bad", _request(root)) == "controllers/default.py line 1: invalid syntax"
    write_app(root, "good", {"controllers/default.py": "def index():\n    return 1\n"})
    assert app_compile("good", _request(root)) is None


def test_app_pack_compiled_ships_the_compiled_form_without_sources(root):
    request = _request(root)
    write_app(root, "shop", {"controllers/default.py": "def index():\n    return 'sold'\n"})
    assert app_pack_compiled("shop", request) is None  # not compiled yet
    assert app_compile("shop", request) is None
    archive = app_pack_compiled("shop", request)
    assert archive == str(root / "deposit" / "shop.w2p")
    with open(archive, "rb") as handle:
        assert app_install("copy", io.BytesIO(handle.read()), request, "shop.w2p")
    copy = root / "applications" / "copy"
    assert (copy / "compiled" / "controllers.default.index.pyc").is_file()
    assert not (copy / "controllers" / "default.py").exists()
