"""PluginManager: an app's settings for its plugins win over the plugin's own defaults."""

import pytest
from support import write_app

from server.current import current
from server.toolkit.plugins import PluginManager

APP = {
    "models/db.py": "from gluon.tools import PluginManager\n"
                    "plugins = PluginManager()\n"
                    "plugins.comments.per_page = 20\n",
    "models/plugin_comments.py": "def _():\n"
                                 "    return PluginManager('comments', per_page=10, title='C')\n"
                                 "comments = _().comments\n",
    "controllers/default.py": "def index():\n"
                              "    return '%s %s %s %s' % (comments.per_page, comments.title,\n"
                              "                            comments.installed, plugins.other.x)\n",
}


def test_app_settings_win_and_defaults_fill_the_rest(root, wsgi_server, http):
    write_app(root, "blog", APP)
    base = wsgi_server(root) + "/blog/default/index"
    assert http(base).text == "20 C True None"
    assert http(base).text == "20 C True None"  # each request starts from the app's models


@pytest.fixture
def bare_thread():
    """No request around; what the test leaves on ``current`` is taken away again."""
    yield
    current.__dict__.pop("_plugin_manager", None)


def test_one_manager_per_thread_outside_requests(bare_thread):
    first = PluginManager()
    first.wiki.theme = "dark"
    again = PluginManager("wiki", theme="light", width=3)
    assert again is first and again.wiki.theme == "dark" and again.wiki.width == 3
    assert "wiki" in again and list(again.keys()) == ["wiki"]
    assert PluginManager().keys() == {}.keys()
