"""Cold start to a shown main window, in milliseconds: ``make bench``.

Each run is a new Python process (interpreter start, imports, window build, first expose), timed
by this parent from spawning the child to the child's "shown" line. The root is a temporary copy
of the welcome app, so the applications tree has real content. Without a display the offscreen
Qt platform is used, which skips the window system but not the widget work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parent.parent


def child(root: Path) -> int:
    """Build and show the window, print 'shown' once it is exposed, quit."""
    sys.path.insert(0, str(SOURCE_ROOT))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.main_window import MainWindow

    app = QApplication(sys.argv)
    window = MainWindow(root, "127.0.0.1", 8000)
    window.show()

    def report_when_exposed() -> None:
        handle = window.windowHandle()
        if handle is None or not handle.isExposed():
            QTimer.singleShot(1, report_when_exposed)
            return
        print("shown", flush=True)
        app.quit()

    QTimer.singleShot(0, report_when_exposed)
    return app.exec()


def one_run(root: Path, environment: dict) -> float:
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, __file__, "--child", str(root)],
                               stdout=subprocess.PIPE, text=True, env=environment)
    line = process.stdout.readline()
    elapsed = (time.perf_counter() - started) * 1000
    process.wait(timeout=30)
    if line.strip() != "shown":
        raise SystemExit(f"the window did not show (exit code {process.returncode})")
    return elapsed


def make_root() -> Path:
    root = Path(tempfile.mkdtemp(prefix="pocketweb-bench-"))
    shutil.copytree(SOURCE_ROOT / "applications" / "welcome", root / "applications" / "welcome",
                    ignore=shutil.ignore_patterns("databases", "sessions", "errors", "__pycache__"))
    return root


def cold_start_report(runs: int = 7) -> str:
    """Start the window ``runs`` times in new processes; one line of timings."""
    environment = dict(os.environ)
    if not environment.get("DISPLAY") and not environment.get("WAYLAND_DISPLAY"):
        environment.setdefault("QT_QPA_PLATFORM", "offscreen")
    root = make_root()
    try:
        times = [one_run(root, environment) for _ in range(runs)]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    platform = environment.get("QT_QPA_PLATFORM", "native")
    return (f"cold start to shown window ({platform}, {runs} runs): "
            f"median {statistics.median(times):.0f} ms, min {min(times):.0f} ms, "
            f"max {max(times):.0f} ms, first {times[0]:.0f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options.child)
    print(cold_start_report(options.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
