"""Building a table only when a request uses it, when nothing could tell the difference.

web2py's models run on every request, and most requests use few of the tables they define (a
hello action in an app with Auth uses none of its eight). Building a pydal ``Table`` costs far
more than the rest of a model line: every field is bound, validated and given its default
validators, references are wired, the migration is checked. Pocketweb's ``DAL`` therefore keeps a
definition aside and builds it on first use (``db.thing``, ``db['thing']``, ``db.get``, a
reference from another table, iterating the ``db``) when all of these hold:

- the definition's shape (see :func:`definition_shape`) was built without error by this process
  before, against the same database and folder, and its ``.table`` migration file has the stat it
  had then (so the build cannot fail and the migration has nothing to do);
- the caller throws ``define_table``'s result away (a statement, not ``t = db.define_table(...)``),
  read from the caller's bytecode, so no one holds the table before it exists;
- nothing in the definition runs code at definition time (``on_define``, a ``table_class``,
  ``redefine``, the db's ``_common_fields``).

A deferred table is built by pydal itself, from the very ``Field`` objects the model made, so it
is the table the eager definition would have been; building one also builds the deferred tables
that reference it, so its ``_referenced_by`` (``row.other_table`` sets, SQLFORM's links) is
complete. A definition seen for the first time, or changed, or whose ``.table`` file changed, is
built (and migrated) at once, as pydal does.
"""

from __future__ import annotations

import dis
import itertools
import os
import threading
import types
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from pydal.objects import Field, Table

from server.file_stamps import UNCACHED, FileStamps

_MAX_BUILT = 4096  # definitions made from request values must not grow it without end
# keywords whose definition-time effect a deferred build could not reproduce
_EAGER_KEYWORDS = frozenset({"on_define", "table_class", "redefine", "fields"})


def field_shape(field: Any) -> tuple | None:
    """What building and migrating a column reads of a ``Field`` (None: not a plain one)."""
    if type(field) is not Field or not isinstance(field.type, str):
        return None
    return (field.name, field.type, field.length, field.notnull, field.unique, field.ondelete,
            field.onupdate, field.custom_qualifier, field._rname, field.uploadfield,
            field.db is None)


def fields_shape(fields: Iterable[Any]) -> tuple | None:
    """The shapes of a definition's fields, a ``Table`` (``auth.signature``) by its columns."""
    shapes: list[Any] = []
    for item in fields:
        if isinstance(item, Table):
            columns = tuple(field_shape(field) for field in item)
            if None in columns:
                return None
            shapes.append(("table", item._tablename, item._actual, columns))
            continue
        shape = field_shape(item)
        if shape is None:
            return None
        shapes.append(shape)
    return tuple(shapes)


def database_shape(db: Any) -> tuple:
    """What of a ``DAL`` a table's build and migration depend on."""
    return (type(db), repr(db._uri), db._adapter.folder, db._uri_hash, repr(db._migrate),
            db._fake_migrate, db._migrate_enabled, db._fake_migrate_all,
            repr(db._check_reserved), db._ignore_field_case, db._bigint_id, db._lazy_tables)


def hashable(shape: tuple | None) -> tuple | None:
    """``shape``, or None when a part of it (an app's own value) cannot be a dict key."""
    try:
        hash(shape)
    except TypeError:
        return None
    return shape


def definition_shape(db: Any, tablename: str, fields: tuple, kwargs: dict) -> tuple | None:
    """The key under which a definition's earlier build is remembered, or None when it must be
    built at once (see the module's docstring)."""
    if db._common_fields or _EAGER_KEYWORDS.intersection(kwargs):
        return None
    columns = fields_shape(fields)
    if columns is None:
        return None
    options = tuple(sorted((key, repr(value)) for key, value in kwargs.items()
                           if key not in ("format", "singular", "plural", "common_filter")))
    return hashable(("define_table", database_shape(db), tablename, options, columns))


def referenced_names(fields: Iterable[Any]) -> frozenset[str]:
    """The tables a definition's columns reference (``reference x``, ``list:reference x.y``)."""
    names = set()
    for item in fields:
        for field in (item if isinstance(item, Table) else (item,)):
            kind = field.type
            if isinstance(kind, str) and kind.split(" ", 1)[0] in (
                    "reference", "big-reference", "list:reference"):
                names.add(kind.split(" ", 1)[1].strip().partition(".")[0])
    return frozenset(names)


def file_stamp(path: str | None) -> tuple[int, int, int] | None:
    """A migration file's stat as it is now (None: no path, or missing)."""
    if path is None:
        return None
    try:
        status = os.stat(path)
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


class RequestStamps(threading.local):
    """The :class:`~server.file_stamps.FileStamps` of the app this thread is serving
    (``run_models`` names it): a request asks it, so a warm request sees each migration file's
    stat as its app's other caches see their files, without a ``stat`` per table; outside a
    request (or after one) every look is a fresh ``stat``."""

    stamps: FileStamps = UNCACHED


REQUEST_STAMPS = RequestStamps()


def use_file_stamps(stamps: FileStamps) -> None:
    """Look at migration files through ``stamps`` in this thread (:data:`UNCACHED`: fresh)."""
    REQUEST_STAMPS.stamps = stamps


def seen_stamp(path: str | None) -> tuple[int, int, int] | None:
    """:func:`file_stamp`, as this thread's request sees it (within its check interval)."""
    if path is None:
        return None
    status = REQUEST_STAMPS.stamps.stat(path)
    return None if status is None else (status.st_mtime_ns, status.st_size, status.st_ino)


def written_stamp(path: str) -> tuple[int, int, int] | None:
    """The stamp of a file this process has just written (or deleted): fresh, and the
    request's next look at it is fresh too."""
    REQUEST_STAMPS.stamps.drop(path)
    return file_stamp(path)


class BuiltDefinitions:
    """Shapes this process built without error, each with its ``.table`` file's stat after."""

    def __init__(self) -> None:
        self._built: dict[tuple, tuple[str | None, tuple | None]] = {}
        self._lock = threading.Lock()

    def holds(self, shape: tuple) -> bool:
        """True when ``shape`` was built and its migration file is as that build left it."""
        with self._lock:
            built = self._built.get(shape)
        return built is not None and built[1] == seen_stamp(built[0])

    def _still(self, shape: tuple, dbt: str) -> bool:
        seen = seen_stamp(dbt)
        with self._lock:
            return self._built.get(shape) == (dbt, seen)

    def remember(self, shape: tuple, table: Table) -> None:
        """Remember a build; not one migrated without a file (an in-memory db: each ``DAL``
        starts empty, so its tables must be created every time) or whose file is gone."""
        dbt = getattr(table, "_dbt", None)
        if dbt is not None and self._still(shape, dbt):
            return  # built again, unchanged (a check that migrated made the request look afresh)
        stamp = None if dbt is None else written_stamp(dbt)
        with self._lock:
            if (dbt is None and table._migrate) or (dbt is not None and stamp is None):
                self._built.pop(shape, None)
            else:
                if len(self._built) >= _MAX_BUILT and shape not in self._built:
                    self._built.clear()  # forgotten builds are only built at once again
                self._built[shape] = (dbt, stamp)


BUILT_DEFINITIONS = BuiltDefinitions()


class DiscardedResults:
    """Whether a call's result is thrown away, read from the calling code's bytecode."""

    def __init__(self) -> None:
        self._by_code: weakref.WeakKeyDictionary[types.CodeType, frozenset[int]] = \
            weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def at(self, frame: types.FrameType | None) -> bool:
        """True when the call ``frame`` is making right now is followed by ``POP_TOP``."""
        if frame is None:
            return False
        code = frame.f_code
        with self._lock:
            offsets = self._by_code.get(code)
        if offsets is None:
            offsets = self._discarding_calls(code)
            with self._lock:
                self._by_code[code] = offsets
        return frame.f_lasti in offsets

    @staticmethod
    def _discarding_calls(code: types.CodeType) -> frozenset[int]:
        """The offsets ``f_lasti`` may show during a call whose result is popped: the call's
        own and those of its inline caches (CPython 3.11 points at the last of them)."""
        instructions = list(dis.get_instructions(code))
        return frozenset(
            offset for instruction, following in itertools.pairwise(instructions)
            if instruction.opname.startswith("CALL") and following.opname == "POP_TOP"
            for offset in range(instruction.offset, following.offset, 2))


DISCARDED_RESULTS = DiscardedResults()


class Deferred:
    """A definition kept aside: how to make its fields, its keywords, its shape and the tables
    it references."""

    __slots__ = ("fields", "kwargs", "shape", "references")

    def __init__(self, fields: Callable[[], tuple], kwargs: dict, shape: tuple,
                 references: frozenset[str]) -> None:
        self.fields, self.kwargs, self.shape, self.references = fields, kwargs, shape, references
