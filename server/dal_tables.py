"""The older spelling of one pydal keyword that web2py-era apps still pass, accepted on every
table Pocketweb's ``DAL`` defines.

``table._filter_fields(record, id=True)`` is how pydal once named ``allow_id`` (keep the
``id`` column); pydal renamed it, web2py 3.3.3's own code uses ``allow_id``, and apps written
against the older pydal (Sahana Eden calls ``utable._filter_fields(user, id=True)`` in its
login and registration code) fail with a TypeError under today's pydal. Each table gets its
own ``_filter_fields`` that takes both names and means the same by them. The table stays a
plain pydal ``Table`` (apps test ``type(table) is Table``, as Eden does) and pydal's own files
and classes are not patched.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from pydal.objects import Table


def filter_fields(table: Table, record: Any, allow_id: bool = False,
                  writable_only: bool = False, id: bool | None = None) -> dict:  # noqa: A002
    """pydal's ``Table._filter_fields``, with ``id=`` (the old name) meaning ``allow_id=``."""
    return Table._filter_fields(table, record, allow_id=allow_id or bool(id),
                                writable_only=writable_only)


def accept_older_keywords(table: Table) -> Table:
    """Give ``table`` the ``_filter_fields`` that also takes ``id=``; returns the table."""
    object.__setattr__(table, "_filter_fields", partial(filter_fields, table))
    return table
