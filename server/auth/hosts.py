"""Which ``Host`` headers an app's Auth believes: web2py's ``Auth(host_names=[...])``.

Mails from Auth carry absolute links (verify, reset) built from the request's host, so a forged
``Host`` header would send a victim a link to the forger's site with a valid key in it. With a
list of allowed names (glob patterns, as web2py) a request for any other host is 403; without
one, the hosts the Pocketweb server was started on are the list (the server puts them in the
environ as ``pocketweb.host_names``). Under another server with no list, the header is used as
it comes: give ``host_names`` there.
"""

from __future__ import annotations

import fnmatch

from server.hosting.host_names import ENVIRON_KEY  # noqa: F401 - Auth reads it from here
from server.http import client_error


def select_host(host: str | None, host_names) -> str | None:
    """``host`` when it matches one of ``host_names`` (403 otherwise); the first name when the
    request named no host; ``host`` itself when there is no list."""
    if not host_names:
        return host
    if not host:
        return host_names[0]
    if not any(fnmatch.fnmatch(host.lower(), str(name).lower()) for name in host_names):
        raise client_error(403, "Invalid Hostname")
    return host
