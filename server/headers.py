"""Header values web2py apps build themselves: ``Content-Disposition`` and the status names."""

from __future__ import annotations

import re
from http.client import responses
from urllib.parse import quote

DISPOSITION_TYPE = re.compile(r"[A-Za-z][A-Za-z0-9!#$&^_.+\-]*")

# web2py's ``defined_status``: every status code with its reason phrase.
defined_status: dict[int, str] = dict(responses)


def content_disposition_header(filename: str, disposition: str = "attachment") -> str:
    """``attachment; filename="caff%C3%A8.txt"``: the name percent-encoded as UTF-8, so no
    quote, newline or non-ASCII character can break the header."""
    if not DISPOSITION_TYPE.fullmatch(disposition or ""):
        raise ValueError(f"invalid Content-Disposition type: {disposition!r}")
    return f'{disposition}; filename="{quote(str(filename), safe="")}"'
