"""Which ``Host`` headers to believe: web2py's ``Auth(host_names=[...])`` and the names a
Pocketweb server is reached by.

Absolute URLs (``URL(scheme=True)``, the verify and reset links Auth mails) are built from the
request's host, so a forged ``Host`` header would send a victim a link to the forger's site
with a valid key in it. With a list of allowed names (glob patterns, as web2py) a request for
any other host is 403. The Pocketweb server hands the apps the names it was started on in the
environ (``pocketweb.host_names``): that is the list when an app gives none. Under another
server with no list, the header is used as it comes: give ``host_names`` there.
"""

from __future__ import annotations

import fnmatch
import socket
from collections.abc import Sequence

from server.http import client_error

ENVIRON_KEY = "pocketweb.host_names"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


def select_host(host: str | None, host_names: Sequence[str] | None) -> str | None:
    """``host`` when it matches one of ``host_names`` (403 otherwise); the first name when the
    request named no host; ``host`` itself when there is no list."""
    if not host_names:
        return host
    if not host:
        return host_names[0]
    if not any(fnmatch.fnmatch(host.lower(), str(name).lower()) for name in host_names):
        raise client_error(403, "Invalid Hostname")
    return host


def served_host_names(host: str, port: int) -> tuple[str, ...]:
    """The names a server listening on ``host:port`` is reached by, with and without the port:
    the loopback names, and for a server on every interface the machine's name and address."""
    names = set(LOOPBACK_NAMES)
    if host in WILDCARD_HOSTS:
        names.update(_machine_names())
    elif host not in ("127.0.0.1", "::1", "localhost"):
        names.add(f"[{host}]" if ":" in host else host)
    return tuple(sorted(names | {f"{name}:{port}" for name in names}))


def _machine_names() -> set[str]:
    names = {socket.gethostname(), socket.getfqdn()}
    try:
        names.update(socket.gethostbyname_ex(socket.gethostname())[2])
    except OSError:
        pass
    names.add(lan_address() or "")
    return {name for name in names if name}


def lan_address() -> str | None:
    """The IPv4 address other machines on the network reach this one by, or None when it has
    none (found by routing a datagram socket: no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address
