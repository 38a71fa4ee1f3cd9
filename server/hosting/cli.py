"""The command line (web2py's flags): parse them, prepare the root folder, serve headless.

``main.py`` uses these pieces and adds the window; nothing here imports ``desktop/``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import functools
import logging
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from server import __version__
from server.hosting.flags import Interface, add_to, port_number, positive_int, seconds
from server.options import (
    DEFAULT_CHANGE_CHECK_INTERVAL,
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_PORT,
    DEFAULT_THREADS,
    ServerOptions,
)
from server.paths import is_installed

if TYPE_CHECKING:
    pass

RECYCLE = "<recycle>"


class ArgumentParser(argparse.ArgumentParser):
    """Bad flags print one clear line (not the whole usage) and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"pocketweb: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(
        prog="pocketweb",
        description="Pocketweb: a web framework, database, editor and admin in one window.",
    )
    parser.add_argument("-a", "--password", metavar="PASSWORD",
                        help=f"admin password (stored only as a salted hash); '{RECYCLE}' "
                             "reuses the stored one; none: admin features off")
    parser.add_argument("-i", "--ip", default=None,
                        help=f"address to listen on (default {DEFAULT_HOST}, or the window's last)")
    parser.add_argument("-p", "--port", type=port_number, default=None,
                        help=f"port to listen on (default {DEFAULT_PORT}, or the window's last)")
    parser.add_argument("--folder", type=Path, default=None,
                        help="root folder holding applications/ (default: the program's folder)")
    parser.add_argument("--no-gui", "--no_gui", "--nogui", action="store_true",
                        help="serve without the window")
    parser.add_argument("-m", "--minimized", action="store_true",
                        help="start the window minimised to the tray")
    parser.add_argument("-c", "--ssl-certificate", metavar="CERT", help="TLS certificate file")
    parser.add_argument("-k", "--ssl-private-key", metavar="KEY", help="TLS private key file")
    parser.add_argument("--hsts", type=positive_int, default=0, metavar="SECONDS",
                        help="over HTTPS, tell browsers to use only HTTPS for this long")
    parser.add_argument("--threads", type=positive_int, default=DEFAULT_THREADS,
                        help="worker threads")
    parser.add_argument("--max-body-size", type=positive_int, default=DEFAULT_MAX_BODY_SIZE,
                        metavar="BYTES", help="largest request body accepted (413 above)")
    parser.add_argument("--change-check-interval", type=seconds,
                        default=DEFAULT_CHANGE_CHECK_INTERVAL, metavar="SECONDS",
                        help="how long the apps' files go unchecked for changes between requests "
                             "(0: every request looks)")
    parser.add_argument("-Y", "--run-cron", action="store_true",
                        help="run the apps' cron/crontab jobs alongside the server")
    parser.add_argument("-K", "--scheduler", metavar="APP1,APP2",
                        help="run scheduler workers for these apps (alone, unless -X)")
    parser.add_argument("-X", "--with-scheduler", action="store_true",
                        help="run the -K workers alongside the web server")
    parser.add_argument("--selftest", action="store_true",
                        help="serve the welcome page once on a free port and run two scheduler "
                             "tasks in child processes, then exit 0 or 1")
    add_to(parser)
    parser.add_argument("--version", action="version", version=f"Pocketweb {__version__}")
    return parser


def validate(options: argparse.Namespace) -> str | None:
    """A message for options that parse but cannot work together, else None."""
    return _console_conflict(options) or _server_conflict(options)


def _console_conflict(options: argparse.Namespace) -> str | None:
    if options.shell and options.run_doctests:
        return "-S and -T cannot be used together"
    for flag, name in (("-M", "import_models"), ("-R", "run"), ("-P", "plain")):
        if getattr(options, name) and not options.shell:
            return f"{flag} needs -S APP"
    if options.args and not options.shell:
        return "-A needs -S APP (and usually -R SCRIPT.PY)"
    return None


def _server_conflict(options: argparse.Namespace) -> str | None:
    if options.with_scheduler and not options.scheduler:
        return "-X needs -K APP1,APP2"
    if options.no_cron and options.run_cron:
        return "-N (no cron) and -Y (run cron) contradict each other"
    if options.minimized and options.no_gui:
        return "-m (start minimised to the tray) needs the window, not --no-gui"
    if options.interfaces and (options.ip or options.port is not None
                               or options.ssl_certificate or options.ssl_private_key):
        return "--interfaces replaces -i, -p, -c and -k; give one or the other"
    if bool(options.ssl_certificate) != bool(options.ssl_private_key):
        return "HTTPS needs both -c CERT and -k KEY"
    for name in ("ssl_certificate", "ssl_private_key"):
        value = getattr(options, name)
        if value and not Path(value).is_file():
            return f"file not found: {value}"
    return None


def apply_password(root: Path, options: argparse.Namespace, port: int) -> str | None:
    """Store or recycle the admin password for ``port``; return a message to print, if any."""
    from server.hosting import admin_password

    if options.password is None:
        return None
    if options.password == RECYCLE:
        if admin_password.recycle_password(root, port):
            return None
        return f"no stored password to recycle for port {port}; admin features off"
    admin_password.store_password(root, port, options.password)
    return None


def server_options(arguments: argparse.Namespace) -> ServerOptions:
    """What the flags say about serving, as the one object the server takes (with
    ``--interfaces``, its first address: the window serves one)."""
    options = ServerOptions(host=arguments.ip, port=arguments.port, threads=arguments.threads,
                            certfile=arguments.ssl_certificate,
                            keyfile=arguments.ssl_private_key,
                            max_body_size=arguments.max_body_size, hsts_max_age=arguments.hsts,
                            change_check_interval=arguments.change_check_interval)
    return listeners(options, arguments.interfaces)[0]


def listeners(options: ServerOptions, interfaces: list[Interface] | None) -> list[ServerOptions]:
    """One :class:`ServerOptions` per ``--interfaces`` address, or just ``options``."""
    if not interfaces:
        return [options]
    return [dataclasses.replace(options, host=i.ip, port=i.port, certfile=i.certfile,
                                keyfile=i.keyfile) for i in interfaces]


def serve_headless(root: Path, options: ServerOptions, arguments: argparse.Namespace) -> int:
    """The server(s) without the window, until Ctrl+C; ``arguments`` give the console's flags:
    ``--interfaces``, ``-l``, ``-Q``, ``-d`` and ``--no_banner``."""
    from server.hosting.access_log import AccessLog
    from server.hosting.httpd import ServerError, WebServer
    from server.wsgi import make_application

    app = make_application(root, options)
    log = AccessLog(console=not arguments.quiet, filename=arguments.log_filename)
    servers = [WebServer.from_options(app, each, log_hook=log)
               for each in listeners(options, arguments.interfaces)]
    try:
        for server in servers:
            server.start()
    except ServerError as exc:
        for server in servers:
            server.stop()
        print(f"pocketweb: error: {exc}", file=sys.stderr)
        return 1
    say = (lambda *_: None) if arguments.quiet else functools.partial(print, flush=True)
    try:
        if not arguments.no_banner:
            say(f"Pocketweb {__version__}: web2py's applications, database and admin in one "
                "program")
        urls = ", ".join(f"{server.url}/" for server in servers)
        say(f"Pocketweb serving {root / 'applications'} at {urls} (Ctrl+C to stop)")
        with pid_file(arguments.pid_filename):
            servers[0].serve_forever()
    except KeyboardInterrupt:  # Ctrl+C before serve_forever was listening for it
        pass
    finally:
        for server in servers:
            server.stop()
        log.close()
    say("Pocketweb stopped.")
    return 0


@contextlib.contextmanager
def pid_file(path: Path | None) -> Iterator[None]:
    """``-d FILE``: the process id in FILE while serving, removed afterwards."""
    if path is None:
        yield
        return
    path.write_text(f"{os.getpid()}\n", encoding="ascii")
    try:
        yield
    finally:
        path.unlink(missing_ok=True)


def configure_logging(arguments: argparse.Namespace) -> None:
    """-D LEVEL for the program's log; -e adds the tickets' tracebacks on the console."""
    if arguments.log_level is not None:
        logging.basicConfig(level=arguments.log_level, stream=sys.stderr,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if arguments.errors_to_console:
        from server.tickets import console

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        console.addHandler(handler)
        console.setLevel(logging.INFO)


def parse_options(argv: list[str] | None = None) -> argparse.Namespace | int:
    """The parsed options, or an exit code after printing why they cannot work."""
    parser = build_parser()
    options = parser.parse_args(argv)
    if options.config:
        from server.hosting.config_file import ConfigFileError, as_defaults, read_options

        try:
            parser.set_defaults(**as_defaults(read_options(options.config, parser), parser))
        except (ConfigFileError, argparse.ArgumentTypeError) as exc:
            print(f"pocketweb: error: {exc}", file=sys.stderr)
            return 2
        options = parser.parse_args(argv)
    problem = validate(options)
    if problem:
        print(f"pocketweb: error: {problem}", file=sys.stderr)
        return 2
    return options


def prepare_root(folder: Path | None,
                 ask_elsewhere: Callable[[str, Path], Path | None] | None = None) -> Path | None:
    """The checked, seeded root folder, or None to give up.

    When it cannot be written, ``ask_elsewhere(problem, suggestion)`` (the window's dialog) may
    name another folder; without it, the command line prints the problem and a ``--folder`` hint.
    """
    from server.hosting import portable

    try:
        root = portable.prepare_root(folder)
    except portable.PortableError as exc:
        if ask_elsewhere is not None:
            chosen = ask_elsewhere(str(exc), portable.fallback_root())
            return prepare_root(chosen, ask_elsewhere) if chosen else None
        print(f"pocketweb: error: {exc}\npocketweb: to keep your data elsewhere, start with "
              f"--folder {portable.fallback_root()}", file=sys.stderr)
        return None
    if folder is None and is_installed():
        print(f"pocketweb: your applications are in {root}", file=sys.stderr)
    return root


def run(root: Path, options: argparse.Namespace,
        open_window: Callable[..., int] | None = None) -> int:
    """Everything after the root is ready: the shell, doctests or self-test; else password,
    cron/scheduler, then the face: ``open_window(root, server_options, minimized=...)`` when
    given (main.py passes the desktop's), else headless. ``options`` are the parsed flags; the
    server gets only a :class:`ServerOptions`."""
    configure_logging(options)
    if is_console(options):
        return run_console(root, options)
    serving = server_options(options)
    os.chdir(root)  # web2py runs in its root: apps open applications/<app>/... by relative path
    message = apply_password(root, options, serving.address()[1])
    if message:
        print(f"pocketweb: {message}", file=sys.stderr)
    if options.scheduler and not options.with_scheduler:
        from server.background.scheduler import parse_app_names, serve_workers

        return serve_workers(root, parse_app_names(options.scheduler))
    stop_background = start_background(root, options)
    try:
        if open_window is not None:
            return open_window(root, serving, minimized=options.minimized)
        return serve_headless(root, serving, options)
    finally:
        stop_background()


def is_console(options: argparse.Namespace) -> bool:
    """Whether the options ask for no server at all (shell, doctests, self-test)."""
    return bool(options.shell or options.run_doctests or options.selftest)


def run_console(root: Path, options: argparse.Namespace) -> int:
    from server.hosting import shell

    script = str(Path(options.run).resolve()) if options.run else None  # named from here
    if options.shell or options.run_doctests:
        os.chdir(root)  # as a request does: apps may open applications/<app>/... by relative path
    if options.shell:
        return shell.run_shell(root, options.shell, options.import_models, script, options.args,
                               options.plain)
    if options.run_doctests:
        return shell.run_doctests(root, options.run_doctests, options.verbose)
    from server.hosting.selftest import run_selftest

    return run_selftest(root)


def start_background(root: Path, options: argparse.Namespace) -> Callable[[], object]:
    """-Y cron and -X scheduler workers next to the web server; returns what stops them."""
    import threading

    stops: list[Callable[[], object]] = []
    if options.run_cron:
        from server.background.cron import CronRunner

        runner = CronRunner(root)
        runner.start()
        stops.append(runner.stop)
    if options.scheduler and options.with_scheduler:
        from server.background.scheduler import parse_app_names, run_workers

        stop_event = threading.Event()
        run_workers(root, parse_app_names(options.scheduler), stop_event)
        stops.append(stop_event.set)
    return lambda: [stop() for stop in stops]


def main(argv: list[str] | None = None) -> int:
    """The headless command line (no window): ``python -m server.hosting.cli``."""
    options = parse_options(argv)
    if isinstance(options, int):
        return options
    root = prepare_root(options.folder)
    return 3 if root is None else run(root, options)


if __name__ == "__main__":
    sys.exit(main())
