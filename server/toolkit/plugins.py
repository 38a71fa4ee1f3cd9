"""web2py's ``PluginManager``: the settings of an app's plugins, one set per request.

The app configures a plugin before (or after) its model runs::

    plugins = PluginManager()                       # in db.py: starts empty
    plugins.comments.per_page = 20

and the plugin's own model declares its defaults, which fill only what the app left unset::

    settings = PluginManager('comments', per_page=10, table='plugin_comments').comments

Every ``PluginManager(...)`` of one request (or, outside requests, of one thread) is the same
object, as in web2py.
"""

from __future__ import annotations

from collections.abc import KeysView
from typing import Any

from server.current import current
from server.storage import Storage

_SLOT = "_plugin_manager"


class PluginManager:
    """``plugins.<name>`` is a Storage of that plugin's settings (made on first use)."""

    def __new__(cls, plugin: str | None = None, **defaults):
        instance = current.__dict__.get(_SLOT)
        if not isinstance(instance, cls):
            instance = object.__new__(cls)
            current.__dict__[_SLOT] = instance
        return instance

    def __init__(self, plugin: str | None = None, **defaults: Any) -> None:
        if not plugin:
            self.__dict__.clear()
            return
        settings = getattr(self, plugin)
        settings.installed = True
        for key, value in defaults.items():
            if key not in settings:
                settings[key] = value

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        return self.__dict__.setdefault(name, Storage())

    def keys(self) -> KeysView[str]:
        return self.__dict__.keys()

    def __contains__(self, name: str) -> bool:
        return name in self.__dict__
