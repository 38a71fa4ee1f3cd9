"""web2py's ``gluon.http``: ``HTTP``, ``redirect``, ``defined_status`` and the
``Content-Disposition`` builder."""

from server.headers import content_disposition_header, defined_status
from server.http import HTTP, redirect

__all__ = ["HTTP", "content_disposition_header", "defined_status", "redirect"]
