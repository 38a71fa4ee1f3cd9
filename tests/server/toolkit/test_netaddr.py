"""server.toolkit.netaddr: addresses with zone ids and IPv4-mapped IPv6 loopback."""

from server.toolkit.netaddr import is_loopback_ip_address, is_valid_ip_address


def test_zone_ids_and_mapped_addresses():
    assert is_valid_ip_address("fe80::1%eth0")
    assert is_loopback_ip_address("::ffff:127.0.0.5")
    assert not is_loopback_ip_address(None) and not is_loopback_ip_address("bogus")
