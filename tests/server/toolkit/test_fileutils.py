"""server.toolkit.fileutils: the admin-credential check and app-folder upkeep."""

import os
import time

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
