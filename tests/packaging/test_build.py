"""The packaging script's helpers on real files and real processes (no PyInstaller build here)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_build_script():
    spec = importlib.util.spec_from_file_location("pocketweb_build", ROOT / "packaging" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load_build_script()


def make_bundle(folder: Path) -> Path:
    bundle = folder / "pocketweb"
    (bundle / "_internal" / "lib").mkdir(parents=True)
    (bundle / "pocketweb").write_bytes(b"x" * 100)
    (bundle / "_internal" / "lib" / "libfoo.so.1").write_bytes(b"y" * 1000)
    (bundle / "_internal" / "libfoo.so.1").symlink_to("lib/libfoo.so.1")
    return bundle


def test_bundle_size_counts_files_once_and_links_not_at_all(tmp_path):
    assert build.bundle_size(make_bundle(tmp_path)) == (1100, 2)
    single = tmp_path / "one"
    single.write_bytes(b"z" * 42)
    assert build.bundle_size(single) == (42, 1)


def test_stage_copy_keeps_links_and_returns_the_program(tmp_path):
    bundle = make_bundle(tmp_path / "dist")
    stick = tmp_path / "stick"
    stick.mkdir()
    program = build.stage_copy(bundle, stick)
    assert program == stick / "pocketweb" / (build.CONSOLE_NAME + build.EXE_SUFFIX)
    assert (stick / "pocketweb" / "_internal" / "libfoo.so.1").is_symlink()
    assert build.bundle_size(stick / "pocketweb") == build.bundle_size(bundle)


def test_built_product_without_a_build_says_build_first(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "DIST", tmp_path)
    with pytest.raises(build.BuildFailure, match="build it first"):
        build.built_product("onefolder")


def test_failing_command_is_a_build_failure():
    with pytest.raises(build.BuildFailure, match="exited with 3"):
        build.run([sys.executable, "-c", "raise SystemExit(3)"])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_settle_time_waits_for_a_busy_start_to_go_idle():
    """A child that computes for a while, then sleeps, settles after its busy part."""
    busy = ("import time\nend = time.perf_counter() + 0.6\n"
            "while time.perf_counter() < end: pass\ntime.sleep(60)\n")
    process = subprocess.Popen([sys.executable, "-c", busy], stderr=subprocess.PIPE)
    started = build.time.perf_counter()
    try:
        settled = build._settle_time(process, started)
    finally:
        process.kill()
        process.wait()
    assert settled >= 0.3


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_settle_time_reports_a_program_that_dies():
    process = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit('boom')"],
                               stderr=subprocess.PIPE)
    process.wait()
    with pytest.raises(build.BuildFailure, match="exited early.*boom"):
        build._settle_time(process, build.time.perf_counter())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_cpu_ticks_grow_for_this_process():
    before = build.cpu_ticks(os.getpid())
    sum(i * i for i in range(3_000_000))
    assert build.cpu_ticks(os.getpid()) > before
