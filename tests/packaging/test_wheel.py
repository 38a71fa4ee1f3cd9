"""The wheel: ``pip install pocketweb`` gives a ``pocketweb`` command that seeds and serves.

The wheel is built from this checkout with ``python -m build``, installed into a fresh virtual
environment and started from empty folders, as a user who ran ``pipx install pocketweb`` would.
The fresh environment takes the dependencies from the test environment's site-packages (a
``.pth`` line) and the wheel itself with ``--no-deps``, so the test needs no network.
"""

from __future__ import annotations

import email.parser
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from support import fetch, wait_until

from server import __version__
from server.hosting.httpd import free_port

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Built from a copy of the checkout, so no build/ or egg-info is left in the source tree."""
    source, out = tmp_path_factory.mktemp("source") / "pocketweb", tmp_path_factory.mktemp("dist")
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache"))
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                    str(out), str(source)], check=True, capture_output=True, timeout=300)
    [built] = out.glob("pocketweb-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its ``bin`` folder."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(venv), "platbase": str(venv)}))
    (site / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    scripts = Path(sysconfig.get_path("scripts", vars={"base": str(venv), "platbase": str(venv)}))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(scripts / "python"), "install",
                    "--quiet", "--no-deps", str(wheel)], check=True, timeout=300)
    return scripts


def user_env(home: Path) -> dict:
    """A user with an empty home: platformdirs' per-user folder lands inside it."""
    return {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
            "PYTHONPATH": ""}


def test_wheel_holds_the_program_and_the_shipped_apps_only(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "pocketweb/launcher.py" in names and "server/wsgi.py" in names
    assert "pocketweb/applications/welcome/controllers/default.py" in names
    assert "pocketweb/applications/welcome/views/layout.html" in names
    for unwanted in ("tests/", ".venv", "build/", "dist/", "benchmarks/", "packaging/",
                     "__pycache__", "/databases/", "/sessions/", "/errors/"):
        assert not [name for name in names if unwanted in name], unwanted


def test_wheel_metadata_is_complete(wheel):
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = email.parser.Parser().parsestr(archive.read(info).decode())
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
        licence = archive.read(info.replace("METADATA", "licenses/LICENSE")).decode()
    assert metadata["Name"] == "pocketweb" and metadata["Version"] == __version__
    assert metadata["Summary"] and metadata["License-Expression"] == "MIT"
    assert metadata["License-File"] == "LICENSE" and licence.startswith("MIT License")
    assert metadata["Requires-Python"] == ">=3.11"
    assert "Programming Language :: Python :: 3" in metadata.get_all("Classifier")
    assert any(req.startswith("pydal") for req in metadata.get_all("Requires-Dist"))
    assert "web2py" in metadata.get_payload()  # the README is the long description
    assert "pocketweb = pocketweb.launcher:main" in entry_points


def test_installed_selftest_passes_from_an_empty_folder(installed, tmp_path):
    empty = tmp_path / "somewhere"
    empty.mkdir()
    done = subprocess.run([str(installed / "pocketweb"), "--selftest"], cwd=empty,
                          env=user_env(tmp_path / "home"), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert "selftest ok" in done.stdout
    assert not list(empty.iterdir())  # an empty folder is not a root: nothing written there


def test_installed_no_gui_seeds_the_user_folder_and_serves_welcome(installed, tmp_path):
    empty, home, port = tmp_path / "empty", tmp_path / "home", free_port()
    empty.mkdir()
    server = subprocess.Popen([str(installed / "pocketweb"), "--no-gui", "-p", str(port)],
                              cwd=empty, env=user_env(home), stderr=subprocess.PIPE, text=True)
    try:
        page = wait_for_page(server, f"http://127.0.0.1:{port}/welcome/default/index")
        assert page.status == 200 and "Welcome" in page.text
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=30)
    data = home / "data" / "pocketweb"
    assert (data / "applications" / "welcome" / "controllers" / "default.py").is_file()
    assert f"your applications are in {data}" in errors


def test_installed_command_uses_the_current_folder_when_it_holds_applications(installed,
                                                                               tmp_path):
    root, port = tmp_path / "mysite", free_port()
    (root / "applications").mkdir(parents=True)
    server = subprocess.Popen([str(installed / "pocketweb"), "--no-gui", "-p", str(port)],
                              cwd=root, env=user_env(tmp_path / "home"),
                              stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for_page(server, f"http://127.0.0.1:{port}/welcome/default/index").status \
            == 200
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert (root / "applications" / "welcome").is_dir()
    assert not (tmp_path / "home" / "data" / "pocketweb").exists()


def test_python_dash_m_pocketweb_runs_the_installed_program(installed, tmp_path):
    done = subprocess.run([str(installed / "python"), "-m", "pocketweb", "--version"],
                          cwd=tmp_path, env=user_env(tmp_path), capture_output=True, text=True,
                          timeout=60)
    assert (done.returncode, done.stdout.strip()) == (0, f"Pocketweb {__version__}")


def wait_for_page(server: subprocess.Popen, url: str, seconds: float = 60):
    """The page once the server answers; fails with the server's output if it exits first."""

    def answered():
        if server.poll() is not None:
            raise AssertionError(server.communicate()[1])
        try:
            return fetch(url)
        except OSError:
            return None

    return wait_until(answered, timeout=seconds, interval=0.05, message=f"{url} did not answer")
