"""web2py's command-line flags beyond serving one address: logs, pid file, listeners, config
file, cron, the shell and the doctests. :func:`add_to` puts them on the parser of
:mod:`server.hosting.cli`; their types turn text into checked values (argparse reports a bad one
in one line)."""

from __future__ import annotations

import argparse
import logging
import re
from dataclasses import dataclass
from pathlib import Path


def add_to(parser: argparse.ArgumentParser) -> None:
    add_server_options(parser)
    add_console_options(parser)


def add_server_options(parser: argparse.ArgumentParser) -> None:
    """web2py's flags around the server: logs, pid file, listeners, config file, cron."""
    parser.add_argument("--interfaces", type=interfaces, metavar="IP:PORT[:CERT:KEY],...",
                        help="listen on several addresses, each optionally with TLS "
                             "(replaces -i, -p, -c, -k); IPv6 addresses in [brackets]")
    parser.add_argument("-l", "--log_filename", "--log-filename", metavar="FILE", type=Path,
                        help="also append each request to FILE in web2py's access-log format")
    parser.add_argument("-Q", "--quiet", action="store_true",
                        help="no banner and no request lines on the console")
    parser.add_argument("-D", "--log_level", "--log-level", type=log_level, default=None,
                        metavar="LEVEL", help="log level: DEBUG, INFO, WARNING (default), ERROR, "
                                              "CRITICAL or 0-100")
    parser.add_argument("-L", "--config", type=Path, metavar="CONFIG.PY",
                        help="read options from a Python file of 'name = value' lines (as "
                             "web2py's options_std.py); flags given here override it")
    parser.add_argument("-d", "--pid_filename", "--pid-filename", type=Path, metavar="FILE",
                        help="write the server's process id to FILE while it runs")
    parser.add_argument("-e", "--errors_to_console", "--errors-to-console", action="store_true",
                        help="also print each error ticket's traceback on the console")
    parser.add_argument("-N", "--no_cron", "--no-cron", action="store_true",
                        help="no cron (the default; refused together with -Y)")
    parser.add_argument("--no_banner", "--no-banner", action="store_true",
                        help="no start-up banner")


def add_console_options(parser: argparse.ArgumentParser) -> None:
    """web2py's shell and test flags (see :mod:`server.hosting.shell`)."""
    parser.add_argument("-S", "--shell", metavar="APP[/CONTROLLER[/FUNCTION]]",
                        help="a Python shell in the app's environment (IPython when installed)")
    parser.add_argument("-M", "--import_models", "--import-models", action="store_true",
                        help="with -S: run the app's models first (db is there)")
    parser.add_argument("-R", "--run", metavar="SCRIPT.PY",
                        help="with -S: run this script in the app's environment and exit")
    parser.add_argument("-P", "--plain", action="store_true",
                        help="with -S: the plain Python shell, even when IPython is installed")
    parser.add_argument("-T", "--run_doctests", "--run-doctests", "--test",
                        metavar="APP[/CONTROLLER[/FUNCTION]]",
                        help="run the doctests of the app's controller functions")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="with -T: show every doctest example")
    parser.add_argument("-A", "--args", nargs=argparse.REMAINDER, default=[], metavar="ARG",
                        help="with -S/-R: the script's sys.argv[1:] (must be the last flag)")


@dataclass(frozen=True)
class Interface:
    """One listener of ``--interfaces``."""

    ip: str
    port: int
    certfile: str | None = None
    keyfile: str | None = None


def interfaces(text: str) -> list[Interface]:
    """``IP:PORT[:CERT:KEY]`` items separated by ``,`` or ``;`` (web2py's own separator); the
    certificate and key may come in either order (web2py writes the key first)."""
    found = []
    for item in filter(None, re.split(r"[,;]", text)):
        if item.startswith("["):
            ip, _, rest = item[1:].partition("]")
            parts = [ip, *rest.lstrip(":").split(":")]
        else:
            parts = item.split(":")
        if len(parts) not in (2, 4) or not parts[0]:
            raise argparse.ArgumentTypeError(f"bad interface {item!r}: use IP:PORT or "
                                             "IP:PORT:CERT:KEY")
        files = parts[2:]
        for name in files:
            if not Path(name).is_file():
                raise argparse.ArgumentTypeError(f"bad interface {item!r}: no file {name}")
        if files and _holds_private_key(files[0]):
            files.reverse()
        found.append(Interface(parts[0], port_number(parts[1]), *files))
    if not found:
        raise argparse.ArgumentTypeError("no interface given")
    return found


def _holds_private_key(path: str) -> bool:
    try:
        return b"PRIVATE KEY" in Path(path).read_bytes()[:65536]
    except OSError:
        return False


def log_level(text: str) -> int:
    number = logging.getLevelName(text.upper())
    if isinstance(number, int):
        return number
    if text.isdigit() and 0 <= int(text) <= 100:
        return int(text)
    raise argparse.ArgumentTypeError(f"bad level {text!r}: use DEBUG, INFO, WARNING, ERROR, "
                                     "CRITICAL or 0-100")


def port_number(text: str) -> int:
    value = _int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535, not {text}")
    return value


def positive_int(text: str) -> int:
    value = _int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text}")
    return value


def seconds(text: str) -> float:
    """A duration of 0 seconds or more (``0.5``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be 0 seconds or more, not {text}")
    return value


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
