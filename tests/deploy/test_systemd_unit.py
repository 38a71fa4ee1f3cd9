"""docs/deploy.md's systemd unit, taken as systemd would take it (systemd itself does not run in
tests): its ``Environment`` and ``ExecStart``, read from the doc, start gunicorn from a folder
that is not the checkout and serve the welcome app; the SIGTERM that ``KillMode=mixed`` sends to
the main process alone ends gunicorn cleanly with all its workers."""

from __future__ import annotations

import configparser
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support import (
    copy_welcome,
    doc_block,
    fetch,
    localised,
    process_gone,
    wait_until,
    workers_of,
)

from server.hosting.httpd import free_port
from server.paths import SOURCE_ROOT

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

DEPLOY_DOC = SOURCE_ROOT / "docs" / "deploy.md"


def service_section(root: Path, port: int) -> configparser.SectionProxy:
    """The unit's [Service], with the doc's paths and port swapped for the test's."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    unit = configparser.ConfigParser(interpolation=None)
    unit.optionxform = str  # systemd's keys are case-sensitive
    unit.read_string(localised(doc_block(DEPLOY_DOC, "ini"), {
        "/srv/pocketweb/venv/bin/gunicorn": str(gunicorn),
        "/srv/pocketweb/root": str(root),
        "127.0.0.1:8000": f"127.0.0.1:{port}"}))
    return unit["Service"]


def test_the_units_command_serves_the_root_and_ends_with_its_workers_on_sigterm(root, tmp_path):
    copy_welcome(root)
    port = free_port()
    service = service_section(root, port)
    assert service["KillMode"] == "mixed" and service["Restart"] == "on-failure"
    name, value = service["Environment"].split("=", 1)
    command = shlex.split(service["ExecStart"])
    assert command[-1] == "server.wsgi:application"
    # systemd starts it in / with only the unit's environment beside its own few variables
    process = subprocess.Popen(command, cwd="/", env={"PATH": os.defpath, name: value},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def welcome() -> bool:
            assert process.poll() is None, f"gunicorn exited with {process.returncode}"
            try:
                return fetch(f"http://127.0.0.1:{port}/welcome/default/index").status == 200
            except OSError:
                return False

        wait_until(welcome, 60, 0.05, "the unit's gunicorn never served the welcome page")
        workers = wait_until(lambda: len(workers_of(process)) == 4 and workers_of(process), 30,
                             0.02, "gunicorn never had the unit's four workers")
        process.send_signal(signal.SIGTERM)  # KillMode=mixed: the main process only
        assert process.wait(timeout=60) == 0
        assert wait_until(lambda: all(process_gone(pid) for pid in workers), 30, 0.02)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=20)
