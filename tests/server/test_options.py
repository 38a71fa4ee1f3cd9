"""ServerOptions: one frozen object from the command line or the window to the server."""

import dataclasses

import pytest

from server.hosting.cli import build_parser, server_options
from server.options import DEFAULT_HOST, DEFAULT_PORT, ServerOptions


def test_options_are_frozen_and_changed_only_by_copy():
    options = ServerOptions(threads=4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        options.threads = 5  # type: ignore[misc]
    moved = options.at("0.0.0.0", 9000)
    assert (moved.host, moved.port, moved.threads) == ("0.0.0.0", 9000, 4)
    assert options.host is None


def test_an_address_not_chosen_falls_back_to_the_defaults():
    assert ServerOptions().address() == (DEFAULT_HOST, DEFAULT_PORT)
    assert ServerOptions(host="::1", port=0).address() == ("::1", 0)


def test_the_command_line_flags_become_one_options_object():
    arguments = build_parser().parse_args(["-i", "0.0.0.0", "-p", "8123", "--threads", "3",
                                           "--max-body-size", "1000"])
    assert server_options(arguments) == ServerOptions(host="0.0.0.0", port=8123, threads=3,
                                                      max_body_size=1000)
    assert not server_options(arguments).https


def test_the_application_reads_its_limits_from_the_options(root):
    from server.wsgi import make_application

    application = make_application(root, ServerOptions(max_body_size=123), threads=2)
    assert (application.options.max_body_size, application.options.threads) == (123, 2)
