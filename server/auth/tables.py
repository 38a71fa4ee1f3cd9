"""The tables Auth defines: auth_user, auth_group, auth_membership, auth_permission, auth_event,
auth_cas, and the ``auth.signature`` field set other tables may include."""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from pydal import Field
from pydal.objects import Table
from pydal.validators import (
    CRYPT,
    IS_EMAIL,
    IS_IN_DB,
    IS_INT_IN_RANGE,
    IS_LOWER,
    IS_MATCH,
    IS_NOT_EMPTY,
    IS_NOT_IN_DB,
)

from server.current import current
from server.deferred_tables import database_shape, fields_shape, hashable, referenced_names
from server.storage import Storage
from server.table_copies import rebound_copy

if TYPE_CHECKING:
    from server.auth.auth import Auth

# web2py's ``migrate``: a bool, or a filename prefix for the .table files
Migrate = bool | str


def request_now() -> datetime.datetime:
    request = getattr(current, "request", None)
    return getattr(request, "now", None) or datetime.datetime.now()


def request_client() -> str | None:
    request = getattr(current, "request", None)
    return getattr(request, "client", None)


def hidden_field(name: str, label: object) -> Field:
    """A key column Auth manages itself: never shown, never edited in forms."""
    return Field(name, length=512, writable=False, readable=False, default="", label=label)


def signature_table(db: Any, user_table: str) -> Table:
    """The columns of ``auth.signature``; who they name comes from each request's copy."""
    reference_user = f"reference {user_table}"
    return Table(
        db, "auth_signature",
        Field("is_active", "boolean", default=True, readable=False, writable=False,
              label="Is Active"),
        Field("created_on", "datetime", default=request_now, writable=False, readable=False,
              label="Created On"),
        Field("created_by", reference_user, default=None, writable=False,
              readable=False, label="Created By", ondelete="SET NULL"),
        Field("modified_on", "datetime", default=request_now, update=request_now,
              writable=False, readable=False, label="Modified On"),
        Field("modified_by", reference_user, default=None, update=None,
              writable=False, readable=False, label="Modified By", ondelete="SET NULL"),
    )


# one signature per database shape and user table, copied for each request
_SIGNATURES: dict[tuple, Table] = {}


def make_signature(auth: Auth) -> Table:
    """``auth.signature``: who created/modified a record and when, plus a soft-delete flag;
    a copy (:func:`server.table_copies.rebound_copy`) of the one built for this database."""
    user_table = auth.settings.table_user_name

    def logged_in_user_id():
        return auth.user_id

    key = hashable((database_shape(auth.db), user_table))
    template = _SIGNATURES.get(key) if key is not None else None
    if template is None:
        template = signature_table(auth.db, user_table)
        if key is not None:
            _SIGNATURES[key] = template
    return rebound_copy(template, auth.db, {
        "created_by": {"default": logged_in_user_id},
        "modified_by": {"default": logged_in_user_id, "update": logged_in_user_id}})


def password_validator(auth: Auth) -> CRYPT:
    """Salted pbkdf2 hashing (``settings.password_digest_alg``); hashes made with other
    algorithms, e.g. web2py's pbkdf2(1000,20,sha512), still verify: each names its own."""
    settings = auth.settings
    return CRYPT(key=settings.hmac_key, digest_alg=settings.password_digest_alg,
                 min_length=settings.password_min_length, salt=True,
                 error_message=f"Minimum length is {settings.password_min_length}")


def user_fields(auth: Auth, username: bool) -> list:
    db, settings, messages = auth.db, auth.settings, auth.messages
    table = settings.table_user_name
    email_checks = [IS_EMAIL(error_message=messages.invalid_email),
                    IS_NOT_IN_DB(db, f"{table}.email", error_message=messages.email_taken)]
    if not settings.email_case_sensitive:
        email_checks.insert(1, IS_LOWER())
    fields = [
        Field("first_name", length=128, default="", label=messages.label_first_name,
              requires=IS_NOT_EMPTY(error_message=messages.is_empty)),
        Field("last_name", length=128, default="", label=messages.label_last_name,
              requires=IS_NOT_EMPTY(error_message=messages.is_empty)),
        Field("email", length=512, default="", label=messages.label_email,
              requires=email_checks),
    ]
    if username:
        fields.append(Field(
            "username", length=128, default="", label=messages.label_username,
            requires=[IS_MATCH(r"[\w.\-]+", strict=True,
                               error_message=messages.invalid_username),
                      IS_NOT_IN_DB(db, f"{table}.username",
                                   error_message=messages.username_taken)]))
    fields += [
        Field("password", "password", length=512, readable=False,
              label=messages.label_password, requires=[password_validator(auth)]),
        hidden_field("registration_key", messages.label_registration_key),
        hidden_field("reset_password_key", messages.label_reset_password_key),
        hidden_field("registration_id", messages.label_registration_id),
    ]
    return fields


def _extra(auth: Auth | SimpleNamespace, name: str, signature: bool) -> list:
    """The signature's columns (when asked for) and the app's ``settings.extra_fields``."""
    return ([auth.signature] if signature else []) + list(auth.settings.extra_fields.get(name, []))


def user_table_fields(auth: Auth, username: bool, signature: bool) -> tuple:
    name = auth.settings.table_user_name
    return (*user_fields(auth, username), *_extra(auth, name, signature))


def group_table_fields(auth: Auth, signature: bool) -> tuple:
    db, settings, messages = auth.db, auth.settings, auth.messages
    name = settings.table_group_name
    return (Field("role", length=512, default="", label=messages.label_role,
                  requires=IS_NOT_IN_DB(db, f"{name}.role")),
            Field("description", "text", label=messages.label_description),
            *_extra(auth, name, signature))


def _user_reference(auth, label=None):
    settings = auth.settings
    return Field("user_id", f"reference {settings.table_user_name}",
                 label=label or auth.messages.label_user_id, ondelete=settings.ondelete,
                 requires=IS_IN_DB(auth.db, f"{settings.table_user_name}.id",
                                   "%(first_name)s %(last_name)s (%(id)s)"))


def _group_reference(auth):
    settings = auth.settings
    return Field("group_id", f"reference {settings.table_group_name}",
                 label=auth.messages.label_group_id, ondelete=settings.ondelete,
                 requires=IS_IN_DB(auth.db, f"{settings.table_group_name}.id",
                                   "%(role)s (%(id)s)"))


def membership_table_fields(auth: Auth, signature: bool) -> tuple:
    name = auth.settings.table_membership_name
    return (_user_reference(auth), _group_reference(auth), *_extra(auth, name, signature))


def permission_table_fields(auth: Auth, signature: bool) -> tuple:
    messages = auth.messages
    name = auth.settings.table_permission_name
    return (_group_reference(auth),
            Field("name", length=512, default="default", label=messages.label_name,
                  requires=IS_NOT_EMPTY(error_message=messages.is_empty)),
            Field("table_name", length=512, label=messages.label_table_name),
            Field("record_id", "integer", default=0, label=messages.label_record_id,
                  requires=IS_INT_IN_RANGE(0, 10 ** 9)),
            *_extra(auth, name, signature))


def event_table_fields(auth: Auth, signature: bool) -> tuple:
    messages = auth.messages
    name = auth.settings.table_event_name
    user_id = _user_reference(auth)
    user_id.requires = None
    return (Field("time_stamp", "datetime", default=request_now,
                  label=messages.label_time_stamp),
            Field("client_ip", default=request_client, label=messages.label_client_ip),
            user_id,
            Field("origin", length=512, default="auth", label=messages.label_origin,
                  requires=IS_NOT_EMPTY(error_message=messages.is_empty)),
            Field("description", "text", default="", label=messages.label_description,
                  requires=IS_NOT_EMPTY(error_message=messages.is_empty)),
            *_extra(auth, name, False))


def cas_table_fields(auth: Auth, signature: bool) -> tuple:
    return (_user_reference(auth),
            Field("created_on", "datetime", default=request_now),
            Field("service", length=512),
            Field("ticket", length=512),
            Field("renew", "boolean", default=False),
            *_extra(auth, auth.settings.table_cas_name, False))


def _migrate(migrate, tablename):
    """web2py's ``migrate`` may be a bool or a filename prefix for the .table files."""
    if isinstance(migrate, str):
        return f"{migrate}{tablename}.table"
    return migrate


# each table: its kind (settings.table_<kind>_name), its fields, the tables its own columns
# reference (the signature's and extra fields' come on top), its format
TABLES: tuple[tuple[str, Callable[..., tuple], tuple[str, ...], str | None], ...] = (
    ("user", user_table_fields, (), None),
    ("group", group_table_fields, (), "%(role)s (%(id)s)"),
    ("membership", membership_table_fields, ("user", "group"), None),
    ("permission", permission_table_fields, ("group",), None),
    ("event", event_table_fields, ("user",), None),
    ("cas", cas_table_fields, ("user",), None),
)


# the settings naming each table, in TABLES' order
NAME_SETTINGS = tuple(f"table_{kind}_name" for kind, *_ in TABLES)


def frozen_parts(auth: Auth) -> SimpleNamespace:
    """What the tables' fields are made of, as it is now: a table built later (on first use)
    gets the settings and messages of ``define_tables`` time, as an eager one does."""
    return SimpleNamespace(db=auth.db, settings=Storage(auth.settings),
                           messages=type(auth.messages)(auth.messages), signature=auth.signature)


def common_shape(parts: SimpleNamespace, username: bool, signature: bool) -> tuple | None:
    """What decides the columns of every Auth table alike (None: a signature of its own)."""
    settings = parts.settings
    signed = fields_shape([parts.signature]) if signature else ()
    if signed is None:
        return None
    names = tuple(map(settings.get, NAME_SETTINGS))
    return (database_shape(parts.db), names, username, signature, settings.ondelete, signed)


def table_shape(parts: SimpleNamespace, common: tuple | None, kind: str,
                kwargs: dict) -> tuple | None:
    """Everything that decides an Auth table's columns and whether its build can fail."""
    name = parts.settings[f"table_{kind}_name"]
    extra = fields_shape(parts.settings.extra_fields.get(name, []))
    if extra is None or common is None:
        return None
    return hashable(("auth", kind, common, repr(sorted(kwargs.items())), extra))


@dataclass(frozen=True)
class Step:
    """How ``define_all`` defines one Auth table: its kind and name, how its fields are made,
    its keywords, its shape (None: always built at once) and the tables it references."""

    kind: str
    name: str
    make_fields: Callable[..., tuple]
    kwargs: dict[str, Any]
    shape: tuple | None
    references: frozenset[str]

    def define(self, db: Any, parts: SimpleNamespace, username: bool, signature: bool) -> None:
        arguments = (parts, username, signature) if self.kind == "user" else (parts, signature)
        if self.shape is None or not hasattr(db, "define_table_from"):
            db.define_table(self.name, *self.make_fields(*arguments), **self.kwargs)
        else:
            db.define_table_from(self.name, partial(self.make_fields, *arguments), self.shape,
                                 self.references, **self.kwargs)


def table_kwargs(name: str, kind: str, table_format: str | None, username: bool,
                 migrate: Migrate, fake_migrate: bool) -> dict[str, Any]:
    kwargs: dict[str, Any] = dict(migrate=_migrate(migrate, name), fake_migrate=fake_migrate)
    if kind == "user":
        kwargs["format"] = "%(username)s" if username else "%(first_name)s %(last_name)s (%(id)s)"
    elif table_format:
        kwargs["format"] = table_format
    return kwargs


def make_plan(parts: SimpleNamespace, username: bool, signature: bool, migrate: Migrate,
              fake_migrate: bool) -> tuple[Step, ...]:
    settings = parts.settings
    common = common_shape(parts, username, signature)
    steps = []
    for kind, make_fields, references, table_format in TABLES:
        name = settings[f"table_{kind}_name"]
        kwargs = table_kwargs(name, kind, table_format, username, migrate, fake_migrate)
        shape = table_shape(parts, common, kind, kwargs)
        referenced = frozenset({settings[f"table_{other}_name"] for other in references}
                               | referenced_names(_extra(parts, name, signature)))
        steps.append(Step(kind, name, make_fields, kwargs, shape, referenced))
    return tuple(steps)


def plan_key(parts: SimpleNamespace, username: bool, signature: bool, migrate: Migrate,
             fake_migrate: bool) -> tuple | None:
    """All a plan is made of (None: an app's own field or value that no key can hold)."""
    common = common_shape(parts, username, signature)
    if common is None:
        return None
    _, names, *_ = common
    extra_fields = parts.settings.extra_fields
    extras = tuple(fields_shape(extra_fields.get(name, [])) for name in names) \
        if extra_fields else ()
    if None in extras:
        return None
    return hashable((common, repr(migrate), repr(fake_migrate), extras))


class Plans:
    """The steps of ``define_all`` for each key, made once: the same Auth set-up in every
    request (the same db, names, options, extra fields' columns) takes the same steps. The
    oldest plans go first beyond ``size`` (an app whose table names change per request)."""

    def __init__(self, size: int = 64) -> None:
        self._plans: OrderedDict[tuple, tuple[Step, ...]] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def steps(self, parts: SimpleNamespace, username: bool, signature: bool, migrate: Migrate,
              fake_migrate: bool) -> tuple[Step, ...]:
        key = plan_key(parts, username, signature, migrate, fake_migrate)
        steps = self._plans.get(key) if key is not None else None
        if steps is None:
            steps = make_plan(parts, username, signature, migrate, fake_migrate)
            if key is not None:
                with self._lock:
                    self._plans[key] = steps
                    while len(self._plans) > self._size:
                        self._plans.popitem(last=False)
        return steps


PLANS = Plans()


def define_all(auth: Auth, username: bool, signature: bool, migrate: Migrate,
               fake_migrate: bool) -> None:
    """Define every Auth table that is not already defined (apps may define their own first);
    with Pocketweb's DAL, one built before unchanged is built when first used."""
    db = auth.db
    parts = frozen_parts(auth)
    for step in PLANS.steps(parts, username, signature, migrate, fake_migrate):
        if step.name not in db.tables:
            step.define(db, parts, username, signature)
