"""server.appconfig: a missing file or app is a clear error, and cast failures name the key."""

import pytest

from server.appconfig import AppConfig, default_config_file


def test_missing_file_and_no_app():
    with pytest.raises(FileNotFoundError):
        AppConfig("/no/such/appconfig.ini")
    with pytest.raises(RuntimeError, match="running app"):
        AppConfig()


def test_cast_failure_names_the_path(tmp_path):
    (tmp_path / "c.ini").write_text("[db]\npool_size = many\n")
    with pytest.raises(RuntimeError, match="db.pool_size"):
        AppConfig(str(tmp_path / "c.ini"), reload=True).take("db.pool_size", cast=int)


def test_ini_is_preferred_over_json(tmp_path):
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "appconfig.json").write_text("{}")
    assert default_config_file(str(tmp_path)).endswith("appconfig.json")
    (tmp_path / "private" / "appconfig.ini").write_text("")
    assert default_config_file(str(tmp_path)).endswith("appconfig.ini")
