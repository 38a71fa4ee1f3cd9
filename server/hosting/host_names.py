"""The host names a Pocketweb server is reached by, handed to the apps in the environ as
``pocketweb.host_names`` (Auth's default allow-list, see :mod:`server.auth.hosts`)."""

from __future__ import annotations

import socket

ENVIRON_KEY = "pocketweb.host_names"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
WILDCARD_HOSTS = ("0.0.0.0", "::", "")


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
    try:  # the address other machines on the network reach this one by (no packet is sent)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            names.add(probe.getsockname()[0])
    except OSError:
        pass
    return {name for name in names if name}
