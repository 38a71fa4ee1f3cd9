"""gluon.contrib.appconfig: AppConfig reads private/appconfig.ini or .json, once unless reload."""

import json

import pytest
from support import write_app

from gluon.contrib.appconfig import AppConfig

WELCOME_INI = """
; App configuration
[app]
name        = Welcome
production  = false

[db]
uri       = sqlite://storage.sqlite
pool_size = 10

[google]
analytics_id =
"""


def test_take_get_and_sections(tmp_path):
    path = tmp_path / "appconfig.ini"
    path.write_text(WELCOME_INI)
    config = AppConfig(str(path), reload=True)
    assert config.take("db.uri") == "sqlite://storage.sqlite"
    assert config.take("db.pool_size") == "10" and config.take("db.pool_size", cast=int) == 10
    assert config["app"]["name"] == "Welcome"
    assert config.get("google.analytics_id") is None and config.get("no.such", 5) == 5
    with pytest.raises(RuntimeError):
        config.take("no.such")


def test_kept_until_reload(tmp_path):
    path = tmp_path / "appconfig.ini"
    path.write_text(WELCOME_INI)
    first = AppConfig(str(path), reload=True)
    path.write_text(WELCOME_INI.replace("Welcome", "Changed"))
    assert AppConfig(str(path)) is first and first.take("app.name") == "Welcome"
    assert AppConfig(str(path), reload=True).take("app.name") == "Changed"


def test_a_served_app_finds_its_own_file_ini_or_json(root, wsgi_server, http):
    write_app(root, "conf", {
        "private/appconfig.json": json.dumps({"app": {"name": "FromJson"}}),
        "models/db.py": """
            from gluon.contrib.appconfig import AppConfig
            configuration = AppConfig(reload=True)
        """,
        "controllers/default.py": "def index():\n    return configuration.take('app.name')\n",
    })
    assert http(wsgi_server(root) + "/conf/default/index").text == "FromJson"
