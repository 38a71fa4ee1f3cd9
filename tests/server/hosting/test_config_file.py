"""-L config.py: options read from 'name = literal' lines, never by running the file."""

import pytest

from server.hosting.cli import build_parser
from server.hosting.config_file import ConfigFileError, as_defaults, read_options


def options_from(tmp_path, text, *argv):
    path = tmp_path / "options.py"
    path.write_text(text)
    parser = build_parser()
    parser.set_defaults(**as_defaults(read_options(path, parser), parser))
    return parser.parse_args(list(argv))


def test_web2py_options_std_lines_are_read_and_the_rest_skipped(tmp_path):
    options = options_from(tmp_path, (
        "import socket, os\n"
        "ip = '0.0.0.0'\n"
        "port = '8123'\n"
        "password = '<recycle>'\n"
        "pid_filename = 'httpserver.pid'\n"
        "server_name = socket.gethostname()\n"
        "folder = os.getcwd()\n"
        "numthreads = 3\n"
        "no_banner = True\n"
        "quiet = False\n"
        "interfaces = [('127.0.0.1', 8000), ('::1', 8001)]\n"))
    assert (options.ip, options.port, options.password, options.threads) == \
        ("0.0.0.0", 8123, "<recycle>", 3)
    assert str(options.pid_filename) == "httpserver.pid" and options.no_banner
    assert not options.quiet and options.folder is None
    assert [(i.ip, i.port) for i in options.interfaces] == [("127.0.0.1", 8000), ("::1", 8001)]


def test_the_command_line_overrides_the_file(tmp_path):
    assert options_from(tmp_path, "port = 8123\n", "-p", "9000").port == 9000


def test_a_value_that_is_not_a_literal_names_its_line(tmp_path):
    with pytest.raises(ConfigFileError, match=r"line 2: port is not a plain value"):
        options_from(tmp_path, "ip = '127.0.0.1'\nport = int('80')\n")
