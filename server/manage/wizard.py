"""The New-application wizard's writer: tables and fields described as data become readable
models, controllers and views that the user then edits, like web2py admin's wizard did.

What it writes for an :class:`AppPlan`:

- ``models/db_wizard.py``: one ``db.define_table`` per table (runs after the scaffold's
  ``db.py``, which makes ``db`` and ``auth``);
- ``models/menu_wizard.py``: a menu entry per table's page (after the scaffold's ``menu.py``);
- ``controllers/<table>.py`` and ``views/<table>/index.html``: a ``SQLFORM.grid`` page,
  behind ``@auth.requires_login()`` when the plan asks for Auth.

Running it again on the same app only adds: tables already defined are skipped, new ones are
appended to the two model files, and a controller or view that exists is never rewritten.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path

from pydal.contrib.reserved_sql_keywords import ADAPTERS

from server.files import write_atomically
from server.manage.app_folders import AppError, AppNameError, app_folder, existing_app_folder
from server.manage.apps import create_app, scaffold_folder
from server.paths import subfolder

FIELD_TYPES = ("string", "text", "integer", "double", "boolean", "date", "datetime", "time",
               "upload", "reference")
# What the field grid offers, and the validator each puts on a field ({0}: "table.field").
VALIDATORS = {
    "": "",
    "required": "IS_NOT_EMPTY()",
    "email": "IS_EMAIL()",
    "url": "IS_URL()",
    "unique": "IS_NOT_IN_DB(db, '{0}')",
    "positive number": "IS_INT_IN_RANGE(0, None)",
}
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
RESERVED = {word.lower() for word in ADAPTERS["all"]}
AUTH_LINE = re.compile(r"^auth\s*=\s*Auth\(", re.M)
TABLE_LINE = re.compile(r"""^db\.define_table\(\s*["'](\w+)["']""", re.M)
MODEL_HEADER = ('# -*- coding: utf-8 -*-\n'
                '# Tables made by the New-application wizard: edit them freely. Running the wizard\n'
                '# again only adds new tables at the end of this file.\n')
MENU_HEADER = ('# -*- coding: utf-8 -*-\n'
               '# Menu entries for the pages the New-application wizard made.\n')


@dataclass(frozen=True)
class FieldPlan:
    name: str
    type: str = "string"
    validator: str = ""  # a key of VALIDATORS
    references: str = ""  # the table, when type is "reference"


@dataclass(frozen=True)
class TablePlan:
    name: str
    fields: tuple[FieldPlan, ...]
    grid: bool = True  # a page with SQLFORM.grid for it


@dataclass(frozen=True)
class AppPlan:
    name: str
    tables: tuple[TablePlan, ...]
    start_from: str = "welcome"
    auth: bool = True  # the pages require a logged-in user


def check_name(name: str, what: str) -> str:
    """``name`` when it can name a table or field everywhere, else :class:`AppNameError`."""
    if not NAME.match(name):
        raise AppNameError(f"{what} {name!r}: use lowercase letters, digits and _, "
                           "starting with a letter (at most 40)")
    if keyword.iskeyword(name) or name in RESERVED or name in ("id", "auth") \
            or name.startswith("auth_"):
        raise AppNameError(f"{what} {name!r} is a reserved word; choose another name")
    return name


def check_plan(plan: AppPlan, existing: frozenset[str] = frozenset()) -> None:
    """Every mistake a plan can hold, as one :class:`AppError` naming the first found. A
    reference must name a table defined before it (``existing``, or earlier in the plan)."""
    names = [check_name(table.name, "table") for table in plan.tables]
    if len(set(names)) != len(names):
        raise AppNameError("two tables have the same name")
    known = set(existing)
    for table in plan.tables:
        if not table.fields:
            raise AppError(f"table {table.name!r} needs at least one field")
        fields = [check_name(item.name, f"field of {table.name}") for item in table.fields]
        if len(set(fields)) != len(fields):
            raise AppNameError(f"table {table.name!r} has two fields of the same name")
        known.add(table.name)
        for item in table.fields:
            _check_field(item, known)


def _check_field(item: FieldPlan, tables: set[str]) -> None:
    if item.type not in FIELD_TYPES:
        raise AppError(f"field {item.name!r}: unknown type {item.type!r}; choose one of "
                       f"{', '.join(FIELD_TYPES)}")
    if item.validator not in VALIDATORS:
        raise AppError(f"field {item.name!r}: unknown check {item.validator!r}")
    if item.type == "reference" and item.references not in tables:
        raise AppError(f"field {item.name!r} refers to {item.references or 'no table'!r}, "
                       "which is not a table defined before it")


# -- the code written ---------------------------------------------------------------------------

def field_code(table: str, item: FieldPlan) -> str:
    kind = f"reference {item.references}" if item.type == "reference" else item.type
    arguments = [repr(item.name)] + ([repr(kind)] if kind != "string" else [])
    validator = VALIDATORS[item.validator].format(f"{table}.{item.name}")
    if validator:
        arguments.append(f"requires={validator}")
    return f"    Field({', '.join(arguments)}),\n"


def table_code(table: TablePlan) -> str:
    fields = "".join(field_code(table.name, item) for item in table.fields)
    first = table.fields[0].name
    return (f"\ndb.define_table(\n    {table.name!r},\n{fields}"
            f"    format='%({first})s',\n)\n")


def menu_code(table: TablePlan) -> str:
    title = table.name.replace("_", " ").capitalize()
    return (f"response.menu.append((T({title!r}), request.controller == {table.name!r}, "
            f"URL({table.name!r}, 'index'), []))\n")


def controller_code(table: TablePlan, auth: bool) -> str:
    guard = "@auth.requires_login()\n" if auth else ""
    return (f"# -*- coding: utf-8 -*-\n"
            f"# The {table.name} page made by the New-application wizard: search, add, edit and\n"
            f"# delete {table.name} rows in a grid.\n\n\n"
            f"{guard}def index():\n"
            f"    grid = SQLFORM.grid(db.{table.name}, user_signature=False)\n"
            f"    return dict(grid=grid)\n")


def view_code(table: TablePlan) -> str:
    title = table.name.replace("_", " ").capitalize()
    return (f"{{{{extend 'layout.html'}}}}\n"
            f"<h1>{{{{=T({title!r})}}}}</h1>\n"
            f"{{{{=grid}}}}\n")


# -- writing ------------------------------------------------------------------------------------

def defined_tables(app: Path) -> frozenset[str]:
    """The tables the wizard's model file already defines."""
    model = subfolder(app, "models") / "db_wizard.py"
    if not model.is_file():
        return frozenset()
    return frozenset(TABLE_LINE.findall(model.read_text(encoding="utf-8")))


def has_auth(app: Path) -> bool:
    """Whether the app's models make the ``auth`` the login-only pages need."""
    models = subfolder(app, "models")
    return any(AUTH_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
               for path in models.glob("*.py"))


def _append(path: Path, header: str, text: str, written: list[Path]) -> None:
    old = path.read_text(encoding="utf-8") if path.is_file() else header
    write_atomically(path, (old if old.endswith("\n") else old + "\n") + text)
    written.append(path)


def _create(path: Path, text: str, written: list[Path]) -> None:
    """Write a new file; one that exists (the user's, maybe edited) is left as it is."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
    written.append(path)


def write_app(root: Path, plan: AppPlan) -> list[Path]:
    """Create the app (when new) and write the plan's files; returns the files written."""
    folder = app_folder(root, plan.name)
    already = defined_tables(folder) if folder.is_dir() else frozenset()
    check_plan(plan, already)  # before anything is written
    source = folder if folder.is_dir() else scaffold_folder(root, plan.start_from)
    if plan.auth and not has_auth(source):
        raise AppError(f"{source.name} has no login (its models make no Auth): untick "
                       "'Pages need a login', or start from welcome, login or todo")
    if not folder.is_dir():
        create_app(root, plan.name, plan.start_from)
    folder = existing_app_folder(root, plan.name)
    new_tables = [table for table in plan.tables if table.name not in already]
    written: list[Path] = []
    models = subfolder(folder, "models")
    if new_tables:
        _append(models / "db_wizard.py", MODEL_HEADER,
                "".join(table_code(table) for table in new_tables), written)
    pages = [table for table in new_tables if table.grid]
    if pages:
        _append(models / "menu_wizard.py", MENU_HEADER,
                "".join(menu_code(table) for table in pages), written)
    for table in pages:
        _create(subfolder(folder, "controllers") / f"{table.name}.py",
                controller_code(table, plan.auth), written)
        _create(subfolder(folder, "views", table.name) / "index.html", view_code(table), written)
    return written
