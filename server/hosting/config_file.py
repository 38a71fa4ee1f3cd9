"""``-L config.py``: command-line options read from a Python file, as web2py's ``options_std.py``.

The file is never run. Each line ``name = literal`` whose name is an option (its long flag with
underscores, like ``pid_filename``, or web2py's older names such as ``numthreads``) gives that
option; other lines (imports, ``server_name = socket.gethostname()``) are skipped, as web2py
does. An option whose value is not a plain literal is an error naming the line.
"""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path
from typing import Any

ASSIGNMENT = re.compile(r"^(?P<name>[A-Za-z_]\w*)\s*=\s*(?P<value>.+)$")
OLD_NAMES = {"numthreads": "threads", "minthreads": "threads", "min_threads": "threads",
             "server_cert": "ssl_certificate", "server_key": "ssl_private_key",
             "with_cron": "run_cron", "nogui": "no_gui", "debug": "log_level"}
NOT_FROM_FILE = {"config", "folder", "help", "version"}


class ConfigFileError(ValueError):
    """A config file that cannot be read, naming the file and line."""


def option_names(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Every name a config file may use for an option -> the option's ``dest``."""
    names = {}
    for action in parser._actions:
        for flag in action.option_strings:
            if flag.startswith("--"):
                names[flag[2:].replace("-", "_")] = action.dest
        names.setdefault(action.dest, action.dest)
    for old, new in OLD_NAMES.items():
        names.setdefault(old, new)
    return {name: dest for name, dest in names.items() if dest not in NOT_FROM_FILE}


def read_options(path: Path, parser: argparse.ArgumentParser) -> dict[str, object]:
    """The options a config file sets, as ``dest -> value``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise ConfigFileError(f"cannot read config file {path}: {exc}") from exc
    names = option_names(parser)
    found = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = ASSIGNMENT.match(line.strip())
        if not match or match.group("name") not in names:
            continue
        try:
            value = ast.literal_eval(match.group("value").split("  #")[0].strip())
        except (ValueError, SyntaxError) as exc:
            raise ConfigFileError(f"{path}, line {number}: {match.group('name')} is not a plain "
                                  f"value ({exc.__class__.__name__})") from exc
        found[names[match.group("name")]] = value
    return found


def as_defaults(values: dict[str, object], parser: argparse.ArgumentParser) -> dict[str, object]:
    """Values converted the way the command line would convert them (so ``port = '80'`` and
    ``port = 80`` both work); the command line still overrides each one."""
    actions = {action.dest: action for action in parser._actions}
    converted: dict[str, Any] = {}
    for dest, value in values.items():
        action = actions[dest]
        if value is None or value is False:
            continue
        if action.nargs == 0:  # store_true flags
            converted[dest] = bool(value)
        elif isinstance(value, (list, tuple)) and dest == "interfaces":
            text = ";".join(_interface_text(item) for item in value)
            converted[dest] = action.type(text)  # type: ignore[operator,misc]
        elif isinstance(value, (list, tuple)):
            converted[dest] = [str(item) for item in value]
        elif action.type is not None:
            converted[dest] = action.type(str(value))  # type: ignore[operator]
        else:
            converted[dest] = str(value)
    return converted


def _interface_text(item) -> str:
    """web2py's ``interfaces = [('0.0.0.0', 80), ...]`` entries as ``ip:port[:a:b]`` text."""
    if isinstance(item, (list, tuple)):
        ip = str(item[0])
        ip = f"[{ip}]" if ":" in ip else ip
        return ":".join([ip, *(str(part) for part in item[1:])])
    return str(item)
