"""Build Pocketweb's portable executable with PyInstaller, then measure it.

    .venv/bin/python packaging/build.py            # one folder and one file, sizes and start times
    .venv/bin/python packaging/build.py --only onefolder --skip-build   # measure an existing build
    .venv/bin/python packaging/build.py --ci       # one folder, copied elsewhere, --selftest

Every measurement runs a *copy* of the bundle in a fresh temp folder, from another working
directory, the way it runs from a USB stick: the first start also seeds ``applications/``.
Times are printed, never asserted. ``make package`` runs the default; CI runs ``--ci``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "pocketweb.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
EXE_SUFFIX = ".exe" if sys.platform.startswith("win") else ""
# The windowed Windows build has a console twin for --selftest (see the spec).
CONSOLE_NAME = "pocketweb-console" if sys.platform.startswith("win") else "pocketweb"
SELFTEST_TIMEOUT = 120
WINDOW_TIMEOUT = 60
MB = 1_000_000
# The download-size target of the one-folder bundle on Linux x86-64 (a size, not a time).
ONE_FOLDER_BUDGET = 130 * MB


class BuildFailure(RuntimeError):
    """A build or a check failed; the message says which step."""


# ----------------------------------------------------------------------------- building


def ensure_pyinstaller() -> None:
    """Install the ``package`` extra into this interpreter unless PyInstaller is there."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        run([sys.executable, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[package]"])


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    finished = subprocess.run(command, **options)
    if finished.returncode != 0:
        raise BuildFailure(f"{' '.join(map(str, command))} exited with {finished.returncode}")
    return finished


def build(mode: str) -> Path:
    """Run PyInstaller for ``mode`` ('onefolder' or 'onefile'); return what it made."""
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(DIST / mode), "--workpath", str(WORK / mode), str(SPEC)]
    if mode == "onefile":
        command += ["--", "--onefile"]
    started = time.perf_counter()
    run(command, cwd=ROOT)
    print(f"built {mode} in {time.perf_counter() - started:.0f} s", flush=True)
    return built_product(mode)


def built_product(mode: str) -> Path:
    """The folder (one folder) or the executable (one file) a build of ``mode`` produced."""
    product = DIST / mode / "pocketweb"
    if mode == "onefile":
        product = product.with_name("pocketweb" + EXE_SUFFIX)
    if not product.exists():
        raise BuildFailure(f"no {mode} build at {product}; build it first")
    return product


# ----------------------------------------------------------------------------- measuring


def bundle_size(product: Path) -> tuple[int, int]:
    """(bytes, files) of a file or folder; links count as nothing, as on a copied stick."""
    if product.is_file():
        return product.stat().st_size, 1
    files = [p for p in product.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def stage_copy(product: Path, stick: Path) -> Path:
    """Copy the bundle into ``stick`` (an empty folder) and return the console program in it."""
    if product.is_file():
        shutil.copy2(product, stick / product.name)
        return stick / product.name
    shutil.copytree(product, stick / product.name, symlinks=True)
    return stick / product.name / (CONSOLE_NAME + EXE_SUFFIX)


def timed_selftest(program: Path, cwd: Path) -> float:
    """Run ``program --selftest`` from ``cwd``; seconds until it exited successfully."""
    started = time.perf_counter()
    try:
        finished = subprocess.run([str(program), "--selftest"], cwd=cwd, capture_output=True,
                                  text=True, timeout=SELFTEST_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise BuildFailure(f"--selftest did not finish within {SELFTEST_TIMEOUT} s") from exc
    elapsed = time.perf_counter() - started
    print("   ", (finished.stdout + finished.stderr).strip().replace("\n", "\n    "))
    if finished.returncode != 0:
        raise BuildFailure(f"--selftest of {program} failed (exit {finished.returncode})")
    return elapsed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def display_platform() -> str:
    """The Qt platform the window test uses: the real display if any, else offscreen."""
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return os.environ.get("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "wayland")
    return "offscreen"


class VirtualDisplay:
    """An Xvfb display for the window measurement when there is no display but Xvfb exists."""

    def __init__(self):
        self.process = None

    def __enter__(self):
        if display_platform() == "offscreen" and shutil.which("Xvfb"):
            number = 90 + os.getpid() % 100
            self.process = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1280x800x24"],
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            os.environ["DISPLAY"] = f":{number}"
            time.sleep(1)  # Xvfb has no ready signal; xwininfo retries below cover a slow start
        return self

    def __exit__(self, *_exc):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            del os.environ["DISPLAY"]


WINDOW_CLASS_RE = re.compile(r'^\s*(0x[0-9a-f]+) .*\("pocketweb" "Pocketweb"\)', re.MULTILINE)


def x11_window_shown() -> bool:
    """Whether a Pocketweb main window is mapped and viewable on $DISPLAY."""
    tree = subprocess.run(["xwininfo", "-root", "-tree"], capture_output=True, text=True).stdout
    for window in WINDOW_CLASS_RE.findall(tree):
        state = subprocess.run(["xwininfo", "-id", window], capture_output=True, text=True).stdout
        if "IsViewable" in state:
            return True
    return False


def cpu_ticks(pid: int) -> int:
    """CPU time (clock ticks) used by ``pid`` and its children (the one-file bootloader's child)."""
    total = 0
    for member in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def time_to_window(program: Path, cwd: Path) -> tuple[float, str]:
    """Seconds until the window is up, and how that was seen (Linux only).

    On X11 with ``xwininfo`` the window is seen mapped and viewable. Otherwise (offscreen) the
    start counts as done when the process, with a one-file child, stops using CPU for 0.5 s.
    """
    platform = display_platform()
    env = dict(os.environ, QT_QPA_PLATFORM=platform)
    process = subprocess.Popen([str(program), "--folder", str(program.parent), "-p",
                                str(free_port())], cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = time.perf_counter()
    try:
        if platform == "xcb" and shutil.which("xwininfo"):
            return _shown_time(process, started), f"shown on X11 {os.environ['DISPLAY']}"
        return _settle_time(process, started), f"idle event loop, {platform}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _shown_time(process: subprocess.Popen, started: float) -> float:
    while time.perf_counter() - started < WINDOW_TIMEOUT:
        if process.poll() is not None:
            raise BuildFailure(f"the window exited early: {process.stderr.read()[-500:]!r}")
        if x11_window_shown():
            return time.perf_counter() - started
        time.sleep(0.02)
    raise BuildFailure(f"no window appeared within {WINDOW_TIMEOUT} s")


QUIET_SECONDS = 0.5
QUIET_TICKS = 2  # clock ticks (1/100 s) a settled Qt event loop may still use in QUIET_SECONDS


def _settle_time(process: subprocess.Popen, started: float) -> float:
    samples: list[tuple[float, int]] = []
    last_change = started
    while time.perf_counter() - started < WINDOW_TIMEOUT:
        if process.poll() is not None:
            raise BuildFailure(f"the window exited early: {process.stderr.read()[-500:]!r}")
        now, ticks = time.perf_counter(), cpu_ticks(process.pid)
        if samples and ticks > samples[-1][1]:
            last_change = now
        samples.append((now, ticks))
        window = [t for when, t in samples if now - when <= QUIET_SECONDS]
        if now - samples[0][0] > QUIET_SECONDS and ticks - window[0] <= QUIET_TICKS:
            return last_change - started
        time.sleep(0.05)
    raise BuildFailure(f"the window did not settle within {WINDOW_TIMEOUT} s")


def measure(mode: str, product: Path, window: bool) -> None:
    size, files = bundle_size(product)
    print(f"{mode}: {product}  {size / MB:.1f} MB ({size / 2**20:.1f} MiB), {files} files")
    with tempfile.TemporaryDirectory(prefix="pocketweb-stick-") as stick, \
            tempfile.TemporaryDirectory(prefix="pocketweb-cwd-") as elsewhere:
        program = stage_copy(product, Path(stick))
        first = timed_selftest(program, Path(elsewhere))
        second = timed_selftest(program, Path(elsewhere))
        print(f"  --selftest: first start {first:.2f} s (seeds applications/), "
              f"second start {second:.2f} s")
        if window and sys.platform.startswith("linux"):
            gui = program.with_name("pocketweb" + EXE_SUFFIX)
            seconds, how = time_to_window(gui, Path(elsewhere))
            print(f"  window: {seconds:.2f} s ({how})")


# ----------------------------------------------------------------------------- CI check


def ci_check(skip_build: bool) -> None:
    """Build one folder, copy it to a fresh temp folder, run --selftest from another folder."""
    started = time.perf_counter()
    product = built_product("onefolder") if skip_build else build("onefolder")
    with tempfile.TemporaryDirectory(prefix="pocketweb-ci-") as stick, \
            tempfile.TemporaryDirectory(prefix="pocketweb-cwd-") as elsewhere:
        program = stage_copy(product, Path(stick))
        seconds = timed_selftest(program, Path(elsewhere))
        if not (program.parent / "applications" / "welcome").is_dir():
            raise BuildFailure("the first start did not seed applications/welcome")
    size, _ = bundle_size(product)
    if size > ONE_FOLDER_BUDGET:
        raise BuildFailure(f"the one-folder bundle is {size / MB:.1f} MB, over its "
                           f"{ONE_FOLDER_BUDGET / MB:.0f} MB budget: something unwanted got in")
    print(f"package check ok: {size / MB:.1f} MB bundle, --selftest {seconds:.2f} s, "
          f"{time.perf_counter() - started:.0f} s in all")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("onefolder", "onefile"), help="build just one kind")
    parser.add_argument("--skip-build", action="store_true", help="measure the existing build")
    parser.add_argument("--no-window", action="store_true", help="skip the window start time")
    parser.add_argument("--ci", action="store_true", help="one-folder build + copied --selftest")
    options = parser.parse_args(argv)
    try:
        if not options.skip_build:
            ensure_pyinstaller()
        if options.ci:
            ci_check(options.skip_build)
            return 0
        modes = [options.only] if options.only else ["onefolder", "onefile"]
        products = {m: built_product(m) if options.skip_build else build(m) for m in modes}
        with VirtualDisplay():
            for mode, product in products.items():
                measure(mode, product, window=not options.no_window)
    except BuildFailure as exc:
        print(f"package: FAILED: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
