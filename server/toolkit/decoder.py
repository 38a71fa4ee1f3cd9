"""web2py's ``gluon.decoder``: bytes of a document to text, its encoding found the way XML
says (a byte-order mark, else the ``<?xml encoding=...?>`` declaration, else UTF-8)."""

from __future__ import annotations

import codecs
import re

BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16")]
DECLARATION = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._\-]+)["']""")


def detect_encoding(buffer: bytes) -> str:
    for bom, encoding in BOMS:
        if buffer.startswith(bom):
            return encoding
    declared = DECLARATION.match(buffer[:200])
    if declared:
        name = declared.group(1).decode("ascii")
        try:
            return codecs.lookup(name).name
        except LookupError:
            return "utf-8"
    return "utf-8"


def decoder(buffer: str | bytes) -> str:
    """The text of ``buffer`` (already-text input is returned as is)."""
    if isinstance(buffer, str):
        return buffer
    return bytes(buffer).decode(detect_encoding(bytes(buffer)), errors="replace")
