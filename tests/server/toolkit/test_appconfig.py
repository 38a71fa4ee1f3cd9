"""server.toolkit.appconfig: a missing file or app is a clear error, and cast failures name the key."""

import pytest

from server.toolkit.appconfig import AppConfig, default_config_file


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


def test_get_reads_values_as_web2py_does(tmp_path):
    from server.toolkit.appconfig import AppConfig

    ini = tmp_path / "typed.ini"
    ini.write_text("[s]\nenabled = false\non = True\nnone = null\nempty =\nport = 8000\n"
                   "neg = -3\nratio = 0.5\nhosts = a, b\nname = x\n", encoding="utf-8")
    config = AppConfig(str(ini), reload=True)
    assert config.get("s.enabled") is False and config.get("s.on") is True
    assert config.get("s.none") is None and config.get("s.empty") is None
    assert (config.get("s.port"), config.get("s.neg"), config.get("s.ratio")) == (8000, -3, 0.5)
    assert config.get("s.hosts") == ["a", "b"] and config.get("s.name") == "x"
    assert config.get("s.missing", "d") == "d" and config.take("s.port") == "8000"
