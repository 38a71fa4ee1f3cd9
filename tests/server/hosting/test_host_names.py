"""The host names a server is reached by: Auth's default allow-list."""

from server.hosting.host_names import served_host_names


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
