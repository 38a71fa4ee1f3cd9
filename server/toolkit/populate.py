"""Fill a table with plausible random records (web2py's ``gluon.contrib.populate``):
``populate(db.person, 100)`` for trying out grids, searches and pagers.

Each value fits its field: its type and length, an ``IS_IN_SET`` or ``IS_IN_DB`` requirement, a
reference to an existing row, and names such as ``email``, ``first_name`` or ``url`` get values
that look the part. Text is made from a small built-in vocabulary, so nothing is downloaded.
"""

from __future__ import annotations

import datetime
import decimal
import random
import string
from collections.abc import Iterator
from typing import Any

from pydal.objects import Table

WORDS = ("apple river stone light garden window paper music forest ocean silver market "
         "yellow bridge cloud winter summer castle engine letter pocket mountain island "
         "candle thunder orange planet rabbit mirror basket travel doctor teacher student "
         "library kitchen harbor valley meadow lantern compass anchor velvet crystal").split()
FIRST_NAMES = ("Ada Alan Grace Linus Guido Barbara Dennis Ken Margaret Tim Edsger Donald "
               "Frances Radia Niklaus John Sophie Hedy Katherine Claude").split()
LAST_NAMES = ("Lovelace Turing Hopper Torvalds Rossum Liskov Ritchie Thompson Hamilton Lee "
              "Dijkstra Knuth Allen Perlman Wirth McCarthy Wilson Lamarr Johnson Shannon").split()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def _fit(text: str, length: int | None) -> str:
    return text[:length] if length else text


def _options(field):
    """The choices an ``IS_IN_SET``/``IS_IN_DB`` requirement allows (None if there is none)."""
    requires = field.requires
    for validator in requires if isinstance(requires, (list, tuple)) else [requires]:
        options = getattr(validator, "options", None)
        if callable(options) and type(validator).__name__ in ("IS_IN_SET", "IS_IN_DB"):
            keys = [key for key, _ in options() if key not in ("", None)]
            if keys:
                return keys
    return None


def _named_value(name: str, rng: random.Random, length: int | None):
    if "email" in name:
        return _fit(f"{rng.choice(FIRST_NAMES).lower()}{rng.randint(1, 999)}@example.com", length)
    if name in ("first_name", "firstname", "name"):
        return _fit(rng.choice(FIRST_NAMES), length)
    if name in ("last_name", "lastname", "surname"):
        return _fit(rng.choice(LAST_NAMES), length)
    if "url" in name or "link" in name:
        return _fit(f"http://example.com/{rng.choice(WORDS)}", length)
    if "phone" in name:
        return _fit("".join(rng.choice(string.digits) for _ in range(10)), length)
    return None


def _value(field, rng: random.Random):
    """A random value for ``field``; None means: leave it to the field's default."""
    kind = field.type
    options = _options(field)
    if options and not kind.startswith("list:"):
        return rng.choice(options)
    if kind in ("id", "upload", "blob", "password") or field.compute or field.name == "uuid":
        return None
    if kind.startswith("reference"):
        table = field._db[kind.split()[1].split(".")[0]]
        ids = [row.id for row in field._db(table).select(table.id, limitby=(0, 500))]
        return rng.choice(ids) if ids else None
    if kind.startswith("list:reference"):
        return []
    named = _named_value(field.name, rng, field.length) if kind == "string" else None
    return named if named is not None else _typed_value(kind, field, rng)


def _typed_value(kind: str, field, rng: random.Random):
    today = datetime.date.today()
    if kind == "string":
        return _fit(" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3))), field.length)
    if kind == "text":
        return " ".join(_sentence(rng, rng.randint(5, 12)) for _ in range(rng.randint(1, 4)))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind in ("integer", "bigint"):
        return rng.randint(0, 100)
    if kind == "double":
        return round(rng.uniform(0, 100), 2)
    if kind.startswith("decimal"):
        return decimal.Decimal(rng.randint(0, 10000)) / 100
    if kind == "date":
        return today - datetime.timedelta(days=rng.randint(0, 365))
    if kind == "datetime":
        return datetime.datetime.now().replace(microsecond=0) - datetime.timedelta(
            minutes=rng.randint(0, 525600))
    if kind == "time":
        return datetime.time(rng.randint(0, 23), rng.randint(0, 59))
    if kind == "list:string":
        return [rng.choice(WORDS) for _ in range(rng.randint(1, 3))]
    if kind == "list:integer":
        return [rng.randint(0, 100) for _ in range(rng.randint(1, 3))]
    if kind == "json":
        return {"word": rng.choice(WORDS), "number": rng.randint(0, 100)}
    return None


def populate_generator(table: Table, default: bool = True, compute: bool = False,
                       contents: dict | None = None, ell: Any = None,
                       seed: int | None = None) -> Iterator[dict]:
    """Endless random records (dicts) for ``table``; ``contents`` fixes some fields' values.
    With ``default`` a field that has a default keeps it."""
    rng = random.Random(seed)
    fixed = dict(contents or {})
    while True:
        record = {}
        for field in table:
            if field.name in fixed:
                record[field.name] = fixed[field.name]
                continue
            if default and field.default is not None and field.type != "id":
                continue
            value = _value(field, rng)
            if value is not None:
                record[field.name] = value
        yield record


def populate(table: Table, n: int | None = None, default: bool = True, compute: bool = False,
             contents: dict | None = None, ell: Any = None,
             seed: int | None = None) -> Iterator[dict] | None:
    """Insert ``n`` random records into ``table`` and commit; with ``n=None``, a generator of
    records instead (nothing inserted). ``compute`` and ``ell`` (web2py's text-model options)
    are accepted for its signature: values here come from the built-in vocabulary."""
    records = populate_generator(table, default, compute, contents, ell, seed)
    if n is None:
        return records
    for _ in range(n):
        table.insert(**next(records))
    table._db.commit()
    return None
