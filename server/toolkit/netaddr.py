"""IP-address checks web2py apps call (``gluon.utils.is_valid_ip_address`` and friends)."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any


def is_valid_ip_address(address: str) -> bool:
    """True for an IPv4 or IPv6 address (``localhost`` and ``unknown`` too, as in web2py)."""
    if address in ("localhost", "unknown"):
        return True
    try:
        ipaddress.ip_address(str(address).split("%", 1)[0])
    except ValueError:
        return False
    return True


def is_loopback_ip_address(ip: str | None = None, addrinfo: Any = None) -> bool:
    """True for 127.x.x.x, ::1 and localhost; with ``addrinfo`` (from ``getaddrinfo``) its
    first address decides."""
    if addrinfo:
        ip = addrinfo[0][4][0] if addrinfo[0][0] in (socket.AF_INET, socket.AF_INET6) else None
    if not ip:
        return False
    if ip == "localhost":
        return True
    try:
        parsed = ipaddress.ip_address(str(ip).split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(parsed, "ipv4_mapped", None)
    return (mapped or parsed).is_loopback


def getipaddrinfo(host: str) -> list:
    """``socket.getaddrinfo`` for TCP, IPv4 and IPv6 only; an unknown host gives ``[]``."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return []
    return [info for info in infos if info[0] in (socket.AF_INET, socket.AF_INET6)
            and isinstance(info[4][0], str)]
