"""server.toolkit.fileutils: the admin-credential check and app-folder upkeep."""

import os
import time

import pytest
from support import assert_answer

from server.current import current
from server.storage import Storage
from server.toolkit.fileutils import check_credentials, cleanpath, create_missing_app_folders


def _request(local=True, https=False, folder=""):
    return Storage(is_local=local, is_https=https, folder=folder)


def test_credentials_need_a_live_grant_from_a_local_or_https_client():
    current.session = Storage(authorized=True, last_time=time.time())
    try:
        assert check_credentials(_request())
        assert check_credentials(_request(local=False, https=True))
        assert not check_credentials(_request(local=False))
        current.session.last_time = time.time() - 7200
        assert not check_credentials(_request())
        current.session = Storage()
        assert not check_credentials(_request())
    finally:
        vars(current).pop("session", None)


def test_missing_app_folders_are_made(tmp_path):
    create_missing_app_folders(_request(folder=str(tmp_path) + "/"))
    assert {"models", "controllers", "views", "databases", "uploads"} <= set(os.listdir(tmp_path))


def test_cleanpath_keeps_only_word_characters_and_dots():
    assert cleanpath("a b/c..d") == "a_b_c..d"


def test_credentials_also_come_from_the_admin_apps_login(tmp_path):
    """web2py's appadmin asks the admin app's session; Pocketweb's admin login fills it."""
    import pickle
    from http.cookies import SimpleCookie

    sessions = tmp_path / "applications" / "admin" / "sessions"
    sessions.mkdir(parents=True)
    (tmp_path / "applications" / "shop").mkdir()
    session_id = "0123456789abcdef0123456789abcdef"
    (sessions / session_id).write_bytes(pickle.dumps({"authorized": True, "last_time": time.time()}))
    cookies = SimpleCookie()
    cookies["session_id_admin"] = session_id
    request = Storage(is_local=True, is_https=False, cookies=cookies,
                      folder=str(tmp_path / "applications" / "shop") + "/")
    current.session = Storage()
    try:
        assert check_credentials(request)
        cookies["session_id_admin"] = "f" * 32
        assert not check_credentials(request)
    finally:
        del current.session


def test_a_web2py_distribution_file_is_a_404_that_is_still_file_not_found(root, wsgi_server, http):
    """web2py's examples read LICENSE.web2py.txt beside gluon: Pocketweb ships no such file."""
    from support import write_app

    from server.http import HTTP
    from server.settings import global_settings
    from server.toolkit.fileutils import read_file

    missing = os.path.join(global_settings.gluon_parent, "CHANGELOG")
    with pytest.raises(FileNotFoundError) as raised:
        read_file(missing)
    assert isinstance(raised.value, HTTP) and raised.value.status == 404
    app_file = os.path.join(global_settings.gluon_parent, "applications", "nothing", "x.txt")
    with pytest.raises(FileNotFoundError) as plain:
        read_file(app_file)  # an app's own missing file stays the app's error
    assert not isinstance(plain.value, HTTP)
    write_app(root, "app", {"controllers/default.py": (
        "import os\n"
        "from gluon.fileutils import read_file\n"
        "def index():\n"
        "    return read_file(os.path.join(request.env.gluon_parent, 'LICENSE.web2py.txt'))\n"
        "def caught():\n"
        "    try:\n"
        "        return read_file(os.path.join(request.env.gluon_parent, 'VERSION'))\n"
        "    except IOError:\n"
        "        return 'no version file'\n")})
    base = wsgi_server(root)
    page = http(base + "/app/default/index")
    assert_answer(page, 404, "LICENSE.web2py.txt: web2py's own file, not part of Pocketweb")
    assert http(base + "/app/default/caught").text == "no version file"
