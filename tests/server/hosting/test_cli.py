"""The command line as a user runs it: real processes, real ports."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from support import MAIN, serve_main, serve_without_display, wait_until, write_app

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
                                  ["--threads", "0"], ["-X"], ["--hsts", "0"],
                                  ["--change-check-interval", "-1"]])
def test_bad_flags_print_one_line_and_exit_nonzero(args):
    result = run(*args)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert "error" in result.stderr


def test_the_change_check_interval_is_a_number_of_seconds_and_half_a_second_by_default():
    from server.hosting.cli import server_options

    parser = build_parser()
    assert server_options(parser.parse_args([])).change_check_interval == 0.5
    chosen = parser.parse_args(["--change-check-interval", "0"])
    assert server_options(chosen).change_check_interval == 0
    assert server_options(parser.parse_args(["--change-check-interval", "2.5"])
                          ).change_check_interval == 2.5
    for bad in ("soon", "nan", "inf"):
        with pytest.raises(SystemExit):
            parser.parse_args(["--change-check-interval", bad])


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


# --------------------------------------------------------------------------------------------
# web2py's other flags, each started for real
# --------------------------------------------------------------------------------------------
class Headless:
    """``main.py --no-gui`` running until :meth:`stop` (Ctrl+C); ``lines`` is what it printed
    before it was ready (the marker is its "serving" line, or ``ready_file`` appearing)."""

    def __init__(self, root, *args, ready_file=None):
        import os

        self.process = subprocess.Popen(
            [sys.executable, str(MAIN), "--no-gui", "--folder", str(root), *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.lines = []
        if ready_file is not None:
            wait_until(lambda: self.process.poll() is not None or (
                ready_file.exists() and ready_file.read_text().strip()), timeout=30)
            if self.process.poll() is None:
                return
        else:
            for line in self.process.stdout:  # ready when it prints where it serves
                self.lines.append(line.rstrip("\n"))
                if "serving" in line:
                    return
        self.process.kill()
        raise AssertionError(self.process.communicate()[1])

    def stop(self) -> tuple[str, str]:
        import signal

        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=15)
        return out, err


def welcome_page(port, scheme="http", context=None):
    import urllib.request

    url = f"{scheme}://127.0.0.1:{port}/welcome/default/index"
    with urllib.request.urlopen(url, timeout=10, context=context) as answer:
        return answer.status


def test_l_appends_each_request_to_a_file_in_web2pys_format(tmp_path):
    port, log = free_port(), tmp_path / "httpserver.log"
    server = Headless(tmp_path, "-p", str(port), "-l", str(log))
    try:
        assert welcome_page(port) == 200
    finally:
        out, _ = server.stop()
    first = log.read_text().splitlines()[0]
    client, when, method, path, protocol, status, seconds = first.split(", ")
    assert (client, method, path, protocol, status) == ("127.0.0.1", "GET",
                                                        "/welcome/default/index", "HTTP/1.1",
                                                        "200")
    assert time.strptime(when, "%Y-%m-%d %H:%M:%S") and float(seconds) >= 0
    assert "GET /welcome/default/index 200" in out  # the console line stays without -Q


def test_Q_is_quiet_and_d_writes_the_pid_file_while_serving(tmp_path):
    port, pid_file = free_port(), tmp_path / "httpserver.pid"
    server = Headless(tmp_path, "-p", str(port), "-Q", "-d", str(pid_file), ready_file=pid_file)
    try:
        assert int(pid_file.read_text()) == server.process.pid
        assert welcome_page(port) == 200
    finally:
        out, err = server.stop()
    assert out == "" and server.process.returncode == 0
    assert not pid_file.exists()


def test_no_banner_drops_the_banner_but_not_the_address(tmp_path):
    port = free_port()
    plain = Headless(tmp_path, "-p", str(port))
    plain.stop()
    assert plain.lines[0].startswith("Pocketweb ") and "serving" not in plain.lines[0]
    quiet = Headless(tmp_path, "-p", str(port), "--no_banner")
    quiet.stop()
    assert len(quiet.lines) == 1 and f"127.0.0.1:{port}" in quiet.lines[0]


def test_D_sets_the_log_level(tmp_path):
    (tmp_path / "applications").mkdir()
    (tmp_path / "routes.py").write_text("logging = 'info'\nroutes_in = (('/hi', '/welcome'),)\n")
    port = free_port()
    server = Headless(tmp_path, "-p", str(port), "-D", "info")
    try:
        assert welcome_page(port) == 200
    finally:
        _, err = server.stop()
    assert "INFO pocketweb.rewrite: routes_in:" in err
    server = Headless(tmp_path, "-p", str(port), "-D", "WARNING")
    try:
        assert welcome_page(port) == 200
    finally:
        _, err = server.stop()
    assert "routes_in" not in err
    bad = run("-D", "chatty")
    assert bad.returncode == 2 and "bad level" in bad.stderr


def test_L_reads_options_from_a_config_file_and_flags_override_it(tmp_path):
    port, other = free_port(), free_port()
    config = tmp_path / "options_std.py"
    config.write_text(
        "import socket\n"
        "ip = '127.0.0.1'\n"
        f"port = {port}\n"
        "server_name = socket.gethostname()\n"
        f"log_filename = {str(tmp_path / 'from-config.log')!r}\n"
        "numthreads = 4\n")
    server = Headless(tmp_path, "-L", str(config))
    try:
        assert welcome_page(port) == 200
    finally:
        server.stop()
    assert "/welcome/default/index" in (tmp_path / "from-config.log").read_text()
    overridden = Headless(tmp_path, "-L", str(config), "-p", str(other))
    try:
        assert welcome_page(other) == 200
    finally:
        overridden.stop()
    config.write_text("port = get_port()\n")
    broken = run("-L", str(config), "--no-gui")
    assert broken.returncode == 2 and "line 1: port is not a plain value" in broken.stderr


def test_interfaces_listen_on_several_addresses_one_with_tls(tmp_path, tls_certificate):
    import ssl

    cert, key = tls_certificate
    plain, secure = free_port(), free_port()
    server = Headless(tmp_path, "--interfaces",
                      f"127.0.0.1:{plain},127.0.0.1:{secure}:{key}:{cert}")
    try:
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        assert welcome_page(plain) == 200
        assert welcome_page(secure, "https", context) == 200
    finally:
        server.stop()
    assert f"http://127.0.0.1:{plain}/, https://127.0.0.1:{secure}/" in server.lines[-1]
    for bad in ("127.0.0.1", "127.0.0.1:80:only-one-file", f"127.0.0.1:1:{cert}:missing.pem"):
        result = run("--interfaces", bad)
        assert result.returncode == 2 and "bad interface" in result.stderr
    both = run("--interfaces", f"127.0.0.1:{plain}", "-p", "8001")
    assert both.returncode == 2 and "replaces -i, -p" in both.stderr


def test_e_prints_each_tickets_traceback_on_the_console(tmp_path):
    app = tmp_path / "applications" / "crash"
    (app / "controllers").mkdir(parents=True)
    (app / "controllers" / "default.py").write_text("def index():\n    return 1 / 0\n")
    port = free_port()
    server = Headless(tmp_path, "-p", str(port), "-e")
    import urllib.error
    import urllib.request

    try:
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/crash/default/index", timeout=10)
    finally:
        _, err = server.stop()
    assert "ticket crash/" in err and "ZeroDivisionError" in err and "return 1 / 0" in err


def test_N_no_cron_is_accepted_alone_and_refused_with_Y(tmp_path):
    port = free_port()
    server = Headless(tmp_path, "-p", str(port), "-N")
    try:
        assert welcome_page(port) == 200
    finally:
        server.stop()
    both = run("-N", "-Y")
    assert both.returncode == 2 and "contradict" in both.stderr


def test_nogui_is_an_alias_of_no_gui(tmp_path):
    import os

    port = free_port()
    process = subprocess.Popen([sys.executable, str(MAIN), "--nogui", "--folder", str(tmp_path),
                                "-p", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert "serving" in process.stdout.readline() + process.stdout.readline()
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "window" not in err


def test_m_starts_minimised_needs_the_window_and_falls_back_without_a_display(tmp_path):
    refused = run("-m", "--no-gui")
    assert refused.returncode == 2 and "-m" in refused.stderr
    page, err = serve_without_display(tmp_path, "-m")
    assert "Hello World" in page and "no display" in err
