"""The host names a server is reached by: Auth's default allow-list."""

import pytest

from server.hosting.host_names import select_host, served_host_names
from server.http import HTTP


def test_select_host_matches_globs_and_refuses_others():
    assert select_host("shop.example:8000", ["*.example:*"]) == "shop.example:8000"
    assert select_host(None, ["first.example", "other"]) == "first.example"
    assert select_host("anything", []) == "anything"
    with pytest.raises(HTTP) as refused:
        select_host("evil.example", ["good.example"])
    assert refused.value.status == 403


def test_a_loopback_server_is_reached_by_the_loopback_names_with_and_without_its_port():
    names = served_host_names("127.0.0.1", 8000)
    assert {"localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"} <= set(names)
    assert not any(name.startswith("0.0.0.0") for name in names)


def test_a_server_on_a_given_address_adds_it_ipv6_in_brackets():
    assert "192.0.2.7:8080" in served_host_names("192.0.2.7", 8080)
    assert "[2001:db8::1]:8080" in served_host_names("2001:db8::1", 8080)


def test_a_server_on_every_interface_adds_the_machines_own_names():
    import socket

    names = served_host_names("0.0.0.0", 8000)
    assert f"{socket.gethostname()}:8000" in names and "localhost:8000" in names
