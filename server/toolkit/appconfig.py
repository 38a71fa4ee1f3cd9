"""An app's configuration file, web2py's ``AppConfig``: ``private/appconfig.ini`` (or
``.json``) read once per process and kept, unless ``reload=True`` asks to read it again.

``config.take('db.uri')`` walks dotted paths and raises when a key is missing (a
configuration mistake should stop the app early); ``config.get('db.uri', default)`` does not.
ini values are strings, as web2py keeps them; ``take(..., cast=int)`` converts.
"""

from __future__ import annotations

import configparser
import json
import os
import threading
from collections.abc import Callable
from typing import Any

_loaded: dict[str, AppConfigDict] = {}
_lock = threading.Lock()
MISSING = object()


class AppConfigDict(dict):
    """The parsed file: sections are dicts, paths are ``'section.key'``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._taken: dict[tuple, Any] = {}

    def _walk(self, path: str):
        value: Any = self
        for part in path.split("."):
            if not isinstance(value, dict) or part not in value:
                return MISSING
            value = value[part]
        return value

    def take(self, path: str, cast: Callable[[Any], Any] | None = None) -> Any:
        """The value at ``path`` (converted by ``cast``); RuntimeError when it is missing."""
        key = (path, cast)
        if key in self._taken:
            return self._taken[key]
        value = self._walk(path)
        if value is MISSING:
            raise RuntimeError(f"{path} not in config")
        if cast is not None:
            try:
                value = cast(value)
            except (TypeError, ValueError) as exc:
                raise RuntimeError(f"{path}: {value!r} is not {getattr(cast, '__name__', cast)}") \
                    from exc
        self._taken[key] = value
        return value

    def get(self, path: str, default: Any = None) -> Any:
        """The value at ``path`` read as web2py reads it (``true``/``false`` are booleans, ``none``,
        ``null`` and empty are None, numbers are numbers, ``a, b`` is a list), or ``default``
        when it is missing."""
        value = self._walk(path) if isinstance(path, str) else dict.get(self, path, MISSING)
        if value is MISSING:
            return default
        return typed_value(value) if isinstance(value, str) else value


def typed_value(text: str) -> Any:
    """An ini value as the Python value web2py's ``AppConfig.get`` gives."""
    value = text.strip()
    lowered = value.lower()
    if lowered in ("none", "null", ""):
        return None
    if lowered in ("true", "false"):
        return lowered == "true"
    if value.lstrip("-").isdigit() and value not in ("-",):
        return int(value)
    if "," in value:
        return [part.strip() for part in value.split(",")]
    try:
        return float(value)
    except ValueError:
        return value


def read_config(path: str) -> AppConfigDict:
    """Parse an ``.ini`` or ``.json`` configuration file."""
    if path.endswith(".json"):
        with open(path, encoding="utf-8") as handle:
            return AppConfigDict(json.load(handle))
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign] # keys keep their case
    with open(path, encoding="utf-8") as handle:
        parser.read_file(handle)
    return AppConfigDict({section: {key: value.strip() for key, value in parser.items(section)}
                          for section in parser.sections()})


def default_config_file(app_folder: str) -> str:
    """``private/appconfig.ini``, or ``private/appconfig.json`` when only that exists."""
    ini = os.path.join(app_folder, "private", "appconfig.ini")
    json_file = os.path.join(app_folder, "private", "appconfig.json")
    return json_file if not os.path.isfile(ini) and os.path.isfile(json_file) else ini


def AppConfig(configfile: str | None = None, reload: bool = False) -> AppConfigDict:  # noqa: N802
    """The configuration of the running app (or of ``configfile``), read once and kept."""
    if configfile is None:
        from server.current import current

        request = getattr(current, "request", None)
        if request is None:
            raise RuntimeError("AppConfig() needs a running app or a configfile")
        configfile = default_config_file(str(request.folder))
    configfile = os.path.abspath(configfile)
    with _lock:
        if reload or configfile not in _loaded:
            if not os.path.isfile(configfile):
                raise FileNotFoundError(f"no configuration file {configfile}")
            _loaded[configfile] = read_config(configfile)
        return _loaded[configfile]
