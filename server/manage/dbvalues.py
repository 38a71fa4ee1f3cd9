"""Typed text to database values and back, as the database browser shows and reads them:
one rule per field type, shared by cell editing, quick filters, queries and CSV."""

from __future__ import annotations

import datetime
from typing import Any

from pydal.objects import Expression, Field

NULL_TEXT = "<NULL>"
TEXT_TYPES = frozenset({"string", "text", "password", "upload", "json"})
JSON_TYPES = frozenset({"json", "jsonb"})  # PostgreSQL can neither sort nor LIKE these as stored
TRUE_WORDS = {"1", "true", "t", "yes", "y", "on"}
FALSE_WORDS = {"0", "false", "f", "no", "n", "off"}


def as_text(field_obj: Field) -> Expression:
    """The field cast to text (how JSON columns are sorted and searched)."""
    return field_obj.cast("text")


def value_from_text(field_obj: Field, text: str | None) -> Any:
    """Turn typed text into what the field's validators (or, without any, the DB) expect.

    Fields with validators get the text itself (validators parse it); list fields are split on
    commas; booleans (no validator parses them) and fields without validators are parsed by
    type here, raising ValueError on bad text.
    """
    if text is None or text == NULL_TEXT:
        return None
    kind = str(field_obj.type)
    if kind.startswith("list:"):
        items = [item.strip() for item in text.split(",") if item.strip()]
        return [int(item) for item in items] if kind != "list:string" else items
    if kind not in TEXT_TYPES:
        text = text.strip()
    if field_obj.requires and kind != "boolean":
        return text
    return parse_by_type(kind, text)


def parse_by_type(kind: str, text: str) -> Any:
    """``text`` as a value of field type ``kind`` (ValueError when it is not one)."""
    stripped = text.strip()
    if kind in TEXT_TYPES or kind.startswith("decimal"):
        return text
    if not stripped:
        return None
    if kind in ("integer", "bigint", "id") or kind.startswith(("reference", "big-reference")):
        return int(stripped)
    if kind in ("double", "float"):
        return float(stripped)
    if kind == "boolean":
        return _parse_boolean(stripped)
    parsers = {"date": datetime.date.fromisoformat, "time": datetime.time.fromisoformat,
               "datetime": datetime.datetime.fromisoformat}
    return parsers[kind](stripped) if kind in parsers else text


def _parse_boolean(text: str) -> bool:
    word = text.lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{text!r} is not yes/no")
