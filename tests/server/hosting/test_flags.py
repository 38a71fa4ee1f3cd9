"""The command line's value parsers: each bad value is refused with the rule it broke."""

from __future__ import annotations

import argparse
import logging

import pytest

from server.hosting.flags import Interface, interfaces, log_level, port_number, positive_int


def test_interfaces_split_on_commas_and_semicolons_and_read_ipv6():
    assert interfaces("127.0.0.1:8000;[::1]:8001,0.0.0.0:80") == [
        Interface("127.0.0.1", 8000), Interface("::1", 8001), Interface("0.0.0.0", 80)]


def test_an_interface_takes_certificate_and_key_in_either_order(tmp_path):
    cert, key = tmp_path / "server.crt", tmp_path / "server.key"
    cert.write_text("-----BEGIN CERTIFICATE-----\n")
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    expected = [Interface("127.0.0.1", 8443, str(cert), str(key))]
    assert interfaces(f"127.0.0.1:8443:{cert}:{key}") == expected
    assert interfaces(f"127.0.0.1:8443:{key}:{cert}") == expected  # web2py's order


@pytest.mark.parametrize("text, message", [
    ("127.0.0.1", "use IP:PORT or IP:PORT:CERT:KEY"),
    (":8000", "use IP:PORT"),
    ("127.0.0.1:8000:only-one", "use IP:PORT"),
    ("127.0.0.1:80x", "not a whole number: '80x'"),
    ("127.0.0.1:70000", "port must be 0-65535"),
    ("127.0.0.1:443:/no/cert:/no/key", "no file /no/cert"),
    (",;", "no interface given"),
])
def test_bad_interfaces_name_the_rule(text, message):
    with pytest.raises(argparse.ArgumentTypeError, match=message):
        interfaces(text)


@pytest.mark.parametrize("text, level", [("debug", logging.DEBUG), ("WARNING", logging.WARNING),
                                         ("0", 0), ("100", 100), ("25", 25)])
def test_log_levels_by_name_or_number(text, level):
    assert log_level(text) == level


@pytest.mark.parametrize("text", ["loud", "101", "-1", ""])
def test_bad_log_levels_list_the_choices(text):
    with pytest.raises(argparse.ArgumentTypeError, match="use DEBUG, INFO, WARNING, ERROR"):
        log_level(text)


def test_port_numbers_span_0_to_65535():
    assert (port_number("0"), port_number("65535")) == (0, 65535)
    for bad in ("-1", "65536"):
        with pytest.raises(argparse.ArgumentTypeError, match=f"port must be 0-65535, not {bad}"):
            port_number(bad)


def test_positive_int_starts_at_one():
    assert positive_int("1") == 1
    with pytest.raises(argparse.ArgumentTypeError, match="must be at least 1, not 0"):
        positive_int("0")
    with pytest.raises(argparse.ArgumentTypeError, match="not a whole number: 'two'"):
        positive_int("two")
