"""web2py's ``contenttype(filename)``: a file name's Content-Type, the way web2py answers it.

Python's :mod:`mimetypes` knows most types; a few answers differ from web2py's (``.js`` is
``application/javascript``, packed apps are ``application/w2p``, a tarball is one type, not
``application/x-tar`` with an encoding), so those are listed here. Every ``text/*`` type carries
``; charset=utf-8``; an unknown extension is ``default`` (``text/plain``).
"""

from __future__ import annotations

import mimetypes

OWN_TYPES = {
    ".js": "application/javascript",
    ".mjs": "application/javascript",
    ".json": "application/json",
    ".xml": "application/xml",
    ".rtf": "application/rtf",
    ".w2p": "application/w2p",
    ".load": "text/html",
    ".markmin": "text/plain",
    ".md": "text/markdown",
    ".tar.gz": "application/x-compressed-tar",
    ".tgz": "application/x-compressed-tar",
    ".tar.bz2": "application/x-bzip-compressed-tar",
    ".tar.xz": "application/x-xz-compressed-tar",
    ".gz": "application/gzip",
    ".bz2": "application/x-bzip",
    ".xz": "application/x-xz",
    ".zip": "application/zip",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".webp": "image/webp",
}


def contenttype(filename: str, default: str = "text/plain") -> str:
    """``contenttype('.png') == 'image/png'``; ``contenttype('x.html')`` adds the charset."""
    name = filename.lower()
    kind = _own_type(name)
    if kind is None:
        guessed, encoding = mimetypes.guess_type("x" + name if name.startswith(".") else name,
                                                 strict=False)
        kind = guessed if guessed and not encoding else default
    if kind.startswith("text/"):
        kind += "; charset=utf-8"
    return kind


def _own_type(name: str) -> str | None:
    """The longest listed extension ``name`` ends with (``.tar.gz`` before ``.gz``)."""
    dot = name.find(".")
    while dot >= 0:
        kind = OWN_TYPES.get(name[dot:])
        if kind is not None:
            return kind
        dot = name.find(".", dot + 1)
    return None
