"""Start Pocketweb: the window when a display is available, else a headless server (see --help).

This module only picks the face; the command line itself is ``server/hosting/cli.py``. It is
what ``main.py`` (a checkout), ``python -m pocketweb`` and the installed ``pocketweb`` command
run, and the one layer that may import both ``desktop/`` and ``server/``.
"""

import multiprocessing
import os
import sys

from server.hosting import cli


def display_available() -> bool:
    """Whether a window can be shown (Linux needs DISPLAY or WAYLAND_DISPLAY)."""
    if sys.platform.startswith(("win", "darwin")):
        return True
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def window_unavailable_reason() -> str | None:
    if not display_available():
        return "no display available"
    try:
        import PySide6.QtWidgets  # noqa: F401
    except ImportError as exc:
        return f"the window cannot start ({exc})"
    return None


def open_window(root, options, minimized: bool = False) -> int:
    from desktop.app import run_window

    return run_window(root, options, minimized=minimized)


def ask_for_writable_root(problem, suggestion):
    from desktop.root_dialog import ask_for_writable_root as ask

    return ask(problem, suggestion)


def main(argv=None) -> int:
    # a frozen bundle re-enters here for the scheduler's task processes: let them run
    multiprocessing.freeze_support()
    options = cli.parse_options(argv)
    if isinstance(options, int):
        return options
    wants_window = not (options.no_gui or cli.is_console(options))
    reason = window_unavailable_reason() if wants_window else None
    if reason:
        print(f"pocketweb: {reason}; serving without the window.", file=sys.stderr)
    use_window = wants_window and reason is None
    root = cli.prepare_root(options.folder, ask_for_writable_root if use_window else None)
    if root is None:
        return 3
    return cli.run(root, options, open_window if use_window else None)
