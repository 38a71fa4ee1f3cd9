"""server.settings: the root an Application serves becomes applications_parent."""

from server import settings


def test_use_root_and_what_request_env_gets(tmp_path):
    saved = settings.global_settings.applications_parent
    try:
        settings.use_root(tmp_path)
        env = settings.request_env_settings()
        assert env["applications_parent"] == env["web2py_path"] == str(tmp_path.resolve())
        assert env["web2py_version"].startswith(settings.WEB2PY_API_LEVEL)
        assert settings.application_folder("x").endswith("applications/x")
    finally:
        settings.global_settings.applications_parent = saved
