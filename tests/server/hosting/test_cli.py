"""The command line as a user runs it: real processes, real ports."""

import socket
import subprocess
import sys
import urllib.request

import pytest
from support import MAIN, serve_main, wait_until, write_app

from server.hosting.cli import build_parser, validate
from server.hosting.httpd import free_port


def run(*args, timeout=30, env=None):
    return subprocess.run([sys.executable, str(MAIN), *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_version_and_help():
    assert run("--version").stdout.startswith("Pocketweb ")
    help_text = run("--help").stdout
    for flag in ("-a", "-i", "-p", "--folder", "--no-gui", "-c", "-k", "--threads", "-Y", "-K",
                 "-X", "--hsts"):
        assert flag in help_text


@pytest.mark.parametrize("args", [["--bogus"], ["-p", "notaport"], ["-p", "70000"],
                                  ["--threads", "0"], ["-X"], ["--hsts", "0"]])
def test_bad_flags_print_one_line_and_exit_nonzero(args):
    result = run(*args)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "error" in result.stderr


def test_half_of_a_tls_pair_is_refused():
    options = build_parser().parse_args(["-c", "cert.pem"])
    assert "both" in validate(options)


def test_busy_port_prints_one_clear_line(tmp_path):
    (tmp_path / "applications").mkdir()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("--no-gui", "--folder", str(tmp_path), "-p", str(port))
    assert result.returncode == 1
    assert "already in use" in result.stderr
    assert "Traceback" not in result.stderr


def test_headless_server_serves_the_welcome_app_and_stores_only_a_hash(tmp_path):
    port = free_port()
    process, page = serve_main(tmp_path, port, "--no-gui", "-a", "s3cret!")
    try:
        assert "Hello World" in page
        parameters = (tmp_path / f"parameters_{port}.py").read_text()
        assert "s3cret!" not in parameters and "pbkdf2" in parameters
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_recycle_reuses_the_stored_password_hash(tmp_path):
    from server.hosting.admin_password import check_password, store_password
    from server.hosting.cli import apply_password

    store_password(tmp_path, 8123, "first")
    options = build_parser().parse_args(["-a", "<recycle>", "-p", "8123"])
    assert apply_password(tmp_path, options, 8123) is None
    assert check_password(tmp_path, 8123, "first")
    missing = build_parser().parse_args(["-a", "<recycle>", "-p", "8124"])
    assert "no stored password" in apply_password(tmp_path, missing, 8124)


def test_a_root_that_cannot_be_written_is_explained_with_a_way_out(tmp_path):
    blocker = tmp_path / "stick"
    blocker.write_text("a file where the folder should be")
    result = run("--no-gui", "--folder", str(blocker / "inside"))
    assert result.returncode == 3
    assert "cannot save" in result.stderr and "--folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_cron_runs_beside_the_headless_server(tmp_path):
    app = tmp_path / "applications" / "ticker"
    (app / "cron").mkdir(parents=True)
    (app / "cron" / "tick.py").write_text(
        "open(request.folder + 'private/ticked', 'w').write('yes')\n")
    (app / "private").mkdir()
    (app / "cron" / "crontab").write_text("@reboot root **applications/ticker/cron/tick.py\n")
    port = free_port()
    process, _ = serve_main(tmp_path, port, "--no-gui", "-Y")
    try:
        wait_until((app / "private" / "ticked").exists, message="the @reboot job never ran")
        assert (app / "private" / "ticked").read_text() == "yes"
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_the_server_runs_in_its_root_so_relative_app_paths_open(tmp_path):
    write_app(tmp_path, "rel", {
        "private/note.txt": "found by a relative path",
        "controllers/default.py": (
            "def index():\n"
            "    return open('applications/rel/private/note.txt').read()\n"),
    })
    port = free_port()
    process, _ = serve_main(tmp_path, port, "--no-gui")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/rel/default/index") as answer:
            assert answer.read().decode() == "found by a relative path"
    finally:
        process.terminate()
        process.communicate(timeout=10)
