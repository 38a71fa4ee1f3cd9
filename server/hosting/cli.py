"""The command line (web2py's flags): parse them, prepare the root folder, serve headless.

``main.py`` uses these pieces and adds the window; nothing here imports ``desktop/``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from server import __version__
from server.options import (
    DEFAULT_HOST,
    DEFAULT_MAX_BODY_SIZE,
    DEFAULT_PORT,
    DEFAULT_THREADS,
    ServerOptions,
)

RECYCLE = "<recycle>"


class ArgumentParser(argparse.ArgumentParser):
    """Bad flags print one clear line (not the whole usage) and exit 2."""

    def error(self, message: str):
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
    parser.add_argument("--no-gui", action="store_true", help="serve without the window")
    parser.add_argument("-c", "--ssl-certificate", metavar="CERT", help="TLS certificate file")
    parser.add_argument("-k", "--ssl-private-key", metavar="KEY", help="TLS private key file")
    parser.add_argument("--hsts", type=positive_int, default=0, metavar="SECONDS",
                        help="over HTTPS, tell browsers to use only HTTPS for this long")
    parser.add_argument("--threads", type=positive_int, default=DEFAULT_THREADS,
                        help="worker threads")
    parser.add_argument("--max-body-size", type=positive_int, default=DEFAULT_MAX_BODY_SIZE,
                        metavar="BYTES", help="largest request body accepted (413 above)")
    parser.add_argument("-Y", "--run-cron", action="store_true",
                        help="run the apps' cron/crontab jobs alongside the server")
    parser.add_argument("-K", "--scheduler", metavar="APP1,APP2",
                        help="run scheduler workers for these apps (alone, unless -X)")
    parser.add_argument("-X", "--with-scheduler", action="store_true",
                        help="run the -K workers alongside the web server")
    parser.add_argument("--selftest", action="store_true",
                        help="serve the welcome page once on a free port, then exit 0 or 1")
    parser.add_argument("--version", action="version", version=f"Pocketweb {__version__}")
    return parser


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


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def validate(options: argparse.Namespace) -> str | None:
    """A message for options that parse but cannot work together, else None."""
    if options.with_scheduler and not options.scheduler:
        return "-X needs -K APP1,APP2"
    if bool(options.ssl_certificate) != bool(options.ssl_private_key):
        return "HTTPS needs both -c CERT and -k KEY"
    for name in ("ssl_certificate", "ssl_private_key"):
        value = getattr(options, name)
        if value and not Path(value).is_file():
            return f"file not found: {value}"
    return None


def apply_password(root: Path, options, port: int) -> str | None:
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
    """What the flags say about serving, as the one object the server takes."""
    return ServerOptions(host=arguments.ip, port=arguments.port, threads=arguments.threads,
                         certfile=arguments.ssl_certificate, keyfile=arguments.ssl_private_key,
                         max_body_size=arguments.max_body_size, hsts_max_age=arguments.hsts)


def serve_headless(root: Path, options: ServerOptions) -> int:
    from server.hosting.httpd import ServerError, WebServer
    from server.wsgi import make_application

    server = WebServer.from_options(make_application(root, options), options,
                                    log_hook=print_request)
    try:
        server.start()
    except ServerError as exc:
        print(f"pocketweb: error: {exc}", file=sys.stderr)
        return 1
    print(f"Pocketweb {__version__} serving {root / 'applications'} at {server.url}/ "
          "(Ctrl+C to stop)", flush=True)
    server.serve_forever()
    print("Pocketweb stopped.")
    return 0


def print_request(entry) -> None:
    print(f"{entry.method} {entry.path} {entry.status} {entry.duration * 1000:.1f} ms", flush=True)


def parse_options(argv: list[str] | None = None):
    """The parsed options, or an exit code after printing why they cannot work."""
    options = build_parser().parse_args(argv)
    problem = validate(options)
    if problem:
        print(f"pocketweb: error: {problem}", file=sys.stderr)
        return 2
    return options


def prepare_root(folder: Path | None, ask_elsewhere=None) -> Path | None:
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
    if folder is None and portable.is_installed():
        print(f"pocketweb: your applications are in {root}", file=sys.stderr)
    return root


def run(root: Path, options, open_window=None) -> int:
    """Everything after the root is ready: self-test, password, cron/scheduler, then the face:
    ``open_window(root, server_options)`` when given (main.py passes the desktop's), else
    headless. ``options`` are the parsed flags; the server gets only a :class:`ServerOptions`."""
    if options.selftest:
        from server.hosting.selftest import run_selftest

        return run_selftest(root)
    port = options.port if options.port is not None else DEFAULT_PORT
    os.chdir(root)  # web2py runs in its root: apps open applications/<app>/... by relative path
    message = apply_password(root, options, port)
    if message:
        print(f"pocketweb: {message}", file=sys.stderr)
    if options.scheduler and not options.with_scheduler:
        from server.background.scheduler import parse_app_names, serve_workers

        return serve_workers(root, parse_app_names(options.scheduler))
    stop_background = start_background(root, options)
    try:
        if open_window is not None:
            return open_window(root, server_options(options))
        return serve_headless(root, server_options(options))
    finally:
        stop_background()


def start_background(root: Path, options):
    """-Y cron and -X scheduler workers next to the web server; returns what stops them."""
    import threading

    stops = []
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
