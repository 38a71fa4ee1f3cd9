"""Pocketweb's ``DAL``: pydal's, with migration files read from memory while they are unchanged.

web2py's models run on every request, so every request defines its tables again and pydal's
migrator compares each definition with the one pickled in its ``.table`` file: it builds the SQL
of every column, takes a shared lock, opens and reads the file every time. Here a definition
whose columns are the same as the last one this process checked against the same ``.table``
file, while that file's stat (modification time in ns, size, inode) is unchanged, is not checked
again: nothing could migrate. A changed definition is checked (and migrates) on the next request,
and a ``.table`` file edited, replaced or deleted between requests is read (or created) again.
Apps get this ``DAL`` through their environment, ``gluon.dal`` and ``from gluon import *``;
pydal itself is not patched. Its tables take the older keywords web2py-era apps pass
(:mod:`server.dal_tables`). A definition this process has built before, unchanged, is built
only when a request uses it (:mod:`server.deferred_tables`). A warm request sees a ``.table``
file's stat through its app's file stamps (one ``stat`` per check interval, as its code caches
do), and a ``DAL`` made again by the next request's models reuses the adapter (and the SQLite
connection) this thread's last one left (:mod:`server.database_reuse`).
"""

from __future__ import annotations

import inspect
import io
import os
import sys
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import pydal
from pydal.contrib import portalocker
from pydal.migrator import Migrator

from server.dal_tables import accept_older_keywords
from server.database_reuse import refresh_schema, remember_state, restore, reuse_key
from server.deferred_tables import (
    BUILT_DEFINITIONS,
    DISCARDED_RESULTS,
    Deferred,
    definition_shape,
    file_stamp,
    referenced_names,
    seen_stamp,
    written_stamp,
)
from server.row_parsing import speed_up_parsing
from server.table_copies import TableMaker

_DAL_PARAMETERS = inspect.signature(pydal.DAL.__init__)
_ADAPTER_ARGS_POSITION = list(_DAL_PARAMETERS.parameters).index("adapter_args") - 1  # no self


class MigrationFiles:
    """The bytes of each ``.table`` file read in this process, with the stat they were read at."""

    def __init__(self) -> None:
        self._read: dict[str, tuple[tuple[int, int, int] | None, bytes]] = {}
        self._lock = threading.Lock()

    def read(self, path: str) -> bytes:
        """The file's bytes: from memory when its stat is the one last read, else from disk."""
        stamp = file_stamp(path)  # None when missing: reading it below raises as pydal would
        with self._lock:
            remembered = self._read.get(path)
        if stamp is not None and remembered is not None and remembered[0] == stamp:
            return remembered[1]
        locked = portalocker.LockedFile(path, "rb")
        try:
            content = locked.read()
        finally:
            locked.close()
        with self._lock:
            self._read[path] = (stamp, content)
        return content


MIGRATION_FILES = MigrationFiles()


def definition_key(table: Any, migrate: Any, fake_migrate: Any) -> tuple | None:
    """Everything pydal's migrator reads of a table to build its SQL, or None when a column's
    type is not a plain string (a custom type: always checked)."""
    db = table._db
    columns = []
    for field in table:
        if not isinstance(field.type, str):
            return None
        columns.append((field.name, field.type, field.length, field.notnull, field.unique,
                        field.ondelete, field.onupdate, field.custom_qualifier, field._rname,
                        field._raw_rname, referenced_shape(db, field.type)))
    return (db._uri, db._adapter.folder, db._ignore_field_case, table._tablename, table._rname,
            table._raw_rname, tuple(getattr(table, "_primarykey", None) or ()), migrate,
            fake_migrate, tuple(columns))


def referenced_shape(db: Any, field_type: str) -> tuple | None:
    """What a reference column's SQL takes from the table (and field) it references."""
    if not field_type.startswith(("reference", "big-reference")):
        return None
    target = field_type.split(" ", 1)[1].strip() if " " in field_type else ""
    name, _, column = target.partition(".")
    if name not in db.tables or name not in db:
        return (target,)
    referenced = db[name]
    field = referenced[column] if column and column in referenced.fields else referenced._id
    return (target, referenced._rname, tuple(getattr(referenced, "_primarykey", None) or ()),
            field.name, field.type, field._rname, field.unique, field.length)


class CheckedDefinitions:
    """Per ``.table`` file: the definition last checked against it and the file's stat then."""

    def __init__(self) -> None:
        self._checked: dict[str, tuple[tuple, tuple[int, int, int], str]] = {}
        self._lock = threading.Lock()

    def unchanged(self, key: tuple, dbt: str) -> str | None:
        """The SQL of the check that still holds for ``key`` against ``dbt``, or None."""
        with self._lock:
            checked = self._checked.get(dbt)
        if checked is None or checked[0] != key or checked[1] != seen_stamp(dbt):
            return None
        return checked[2]

    def remember(self, key: tuple, dbt: str, query: str) -> None:
        stamp = written_stamp(dbt)
        with self._lock:
            if stamp is None:
                self._checked.pop(dbt, None)
            else:
                self._checked[dbt] = (key, stamp, query)


CHECKED_DEFINITIONS = CheckedDefinitions()


class RememberingMigrator(Migrator):
    """pydal's migrator, reading ``.table`` files through :data:`MIGRATION_FILES` and not
    checking again a definition :data:`CHECKED_DEFINITIONS` says still holds."""

    def create_table(self, table: Any, migrate: Any = True, fake_migrate: Any = False) -> str:
        key = definition_key(table, migrate, fake_migrate) if migrate else None
        dbt = self._table_file(table, migrate) if key is not None else None
        if dbt is not None and key is not None:
            query = CHECKED_DEFINITIONS.unchanged(key, dbt)
            if query is not None:
                table._migrate, table._dbt = migrate, dbt
                return query
        refresh_schema(self.adapter)
        query = super().create_table(table, migrate=migrate, fake_migrate=fake_migrate)
        if dbt is not None and key is not None and table._dbt == dbt:
            CHECKED_DEFINITIONS.remember(key, dbt, query)
        return query

    def _table_file(self, table: Any, migrate: Any) -> str | None:
        """The ``.table`` file pydal's create_table uses (None: in memory, no file)."""
        uri = self.adapter.uri
        if uri.startswith(("sqlite:memory", "spatialite:memory")):
            return None
        if uri.startswith(("sqlite:///", "spatialite:///")):
            folder = uri[9:uri.rfind("/")]
        else:
            folder = self.adapter.folder
        name = migrate if isinstance(migrate, str) else f"{table._db._uri_hash}_{table._tablename}.table"
        return os.path.join(folder, name)

    def file_open(self, filename: str, mode: str = "rb", lock: bool = True) -> Any:
        if mode == "rb" and filename.endswith(".table"):
            return io.BytesIO(MIGRATION_FILES.read(filename))
        return Migrator.file_open(filename, mode, lock)

    def file_delete(self, filename: str) -> None:
        """Delete a ``.table`` file (a dropped table): a look another request cached before
        must not make the next definition believe the table still exists."""
        Migrator.file_delete(filename)
        written_stamp(filename)


@lru_cache(maxsize=1024)
def _dal_attribute(name: str) -> bool:
    """Whether pydal's ``DAL`` class has an attribute ``name`` (no table may take it); asked
    per deferred table, and a miss costs an exception inside ``hasattr``."""
    return hasattr(pydal.DAL, name)


class DAL(pydal.DAL):
    """pydal's ``DAL`` with :class:`RememberingMigrator` unless the app names its own migrator
    (``adapter_args=dict(migrator=...)``, e.g. pydal's ``InDBMigrator``); each table it defines
    (lazy ones when first used) takes the older ``_filter_fields(id=...)``; a definition it has
    built before is built when first used (:mod:`server.deferred_tables`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        key = reuse_key(type(self), args, kwargs)
        if key is not None and restore(self, key):
            return
        self._deferred: dict[str, Deferred] = {}
        self._grouping = False  # building waiting tables linked by references
        if len(args) > _ADAPTER_ARGS_POSITION:  # rare: adapter_args given by position
            kwargs = dict(_DAL_PARAMETERS.bind(self, *args, **kwargs).arguments)
            del kwargs["self"]
            args = ()
        adapter_args = dict(kwargs.get("adapter_args") or {})
        adapter_args.setdefault("migrator", RememberingMigrator)
        kwargs["adapter_args"] = adapter_args
        super().__init__(*args, **kwargs)
        speed_up_parsing(getattr(self, "_adapter", None))
        if key is not None:
            remember_state(self, key)

    def define_table(self, tablename: str, *fields: Any, **kwargs: Any) -> Any:
        shape = None if self._lazy_tables else definition_shape(self, tablename, fields, kwargs)
        if shape is not None and BUILT_DEFINITIONS.holds(shape) \
                and DISCARDED_RESULTS.at(sys._getframe(1)):
            if self._defer(tablename, Deferred(lambda: fields, kwargs, shape,
                                               referenced_names(fields))):
                return None
        if shape is None:
            return super().define_table(tablename, *fields, **kwargs)
        table = super().define_table(tablename, *fields, table_class=TableMaker(shape), **kwargs)
        if table is not None:
            BUILT_DEFINITIONS.remember(shape, table)
        return table

    def define_table_from(self, tablename: str, make_fields: Callable[[], tuple], shape: tuple,
                          references: frozenset[str], **kwargs: Any) -> None:
        """Define a table whose fields ``make_fields`` builds (Auth's): later, when ``shape``
        was built before (or the db has ``lazy_tables``), else now."""
        if self._lazy_tables or BUILT_DEFINITIONS.holds(shape):
            if self._defer(tablename, Deferred(make_fields, kwargs, shape, references)):
                return
        table = self.define_table(tablename, *make_fields(), **kwargs)
        if table is not None:
            BUILT_DEFINITIONS.remember(shape, table)

    def _defer(self, tablename: str, deferred: Deferred) -> bool:
        """Keep ``deferred`` to build on first use, as pydal's define_table keeps a lazy table.
        False (nothing done) when the name is taken (the eager path raises pydal's error) or
        a table it references is built already, whose ``_referenced_by`` must list it now."""
        built = self.__dict__
        if tablename in self.tables or tablename in built or _dal_attribute(tablename) \
                or vars(self._aliased_tables).get(tablename) is not None:
            return False
        for name in deferred.references:
            if name in built and name != tablename:
                return False
        self.tables.append(tablename)
        if self._lazy_tables:  # listed in _LAZY_TABLES, as pydal's own lazy tables are
            self._LAZY_TABLES[tablename] = (tablename, (), deferred.kwargs)
        self._deferred[tablename] = deferred
        return True

    def __getattr__(self, key: str) -> Any:
        if key in object.__getattribute__(self, "_deferred"):
            self._build_group(key)
        return super().__getattr__(key)

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._deferred:
            self._build_group(key)
        return super().get(key, default)

    def _build_group(self, tablename: str) -> None:
        """Build ``tablename`` and the waiting tables linked to it by references, in the order
        they were defined, each seeing only the tables an eager definition would have seen: so
        references between them come out as pydal makes them. With ``lazy_tables``, only
        ``tablename``, as pydal builds its own lazy tables."""
        if self._lazy_tables:
            self._build_deferred(tablename)
            return
        group = self._linked(tablename)
        outer, self._grouping = self._grouping, True
        try:
            for name in [name for name in self.tables if name in group]:
                if name in self._deferred:
                    self._build_deferred(name)
        finally:
            self._grouping = outer

    def _linked(self, tablename: str) -> set[str]:
        """The waiting tables that ``tablename`` reaches by references, followed either way."""
        deferred, group, todo = self._deferred, {tablename}, [tablename]
        while todo:
            name = todo.pop()
            neighbours = set(deferred[name].references) if name in deferred else set()
            neighbours |= {other for other, waiting in deferred.items()
                           if name in waiting.references}
            for other in neighbours & deferred.keys() - group:
                group.add(other)
                todo.append(other)
        return group

    def _build_deferred(self, tablename: str) -> None:
        """Build one waiting table while the waiting tables defined after it are out of
        ``db.tables``, as they were not defined yet when an eager definition built it."""
        deferred = self._deferred.pop(tablename)
        self._LAZY_TABLES.pop(tablename, None)
        tables = self.tables
        defined = list(tables)
        later = set() if self._lazy_tables else \
            set(defined[defined.index(tablename) + 1:]) & self._deferred.keys()
        tables[:] = [name for name in defined if name not in later]
        try:
            table = self.lazy_define_table(tablename, *deferred.fields(),
                                           table_class=TableMaker(deferred.shape), **deferred.kwargs)
        finally:
            tables[:] = defined
        BUILT_DEFINITIONS.remember(deferred.shape, table)

    def lazy_define_table(self, tablename: str, *fields: Any, **kwargs: Any) -> Any:
        table = accept_older_keywords(super().lazy_define_table(tablename, *fields, **kwargs))
        if not self._lazy_tables and not self._grouping:
            # the waiting tables referencing it join its _referenced_by, as if built before it
            if tablename not in self.tables:  # define_table lists it next; they must see it
                self.tables.append(tablename)
            for name in [name for name, deferred in self._deferred.items()
                         if tablename in deferred.references]:
                if name in self._deferred:
                    self._build_group(name)
        return table
