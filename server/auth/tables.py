"""The tables Auth defines: auth_user, auth_group, auth_membership, auth_permission, auth_event,
auth_cas, and the ``auth.signature`` field set other tables may include."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

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


def make_signature(auth: Auth) -> Table:
    """``auth.signature``: who created/modified a record and when, plus a soft-delete flag."""
    reference_user = f"reference {auth.settings.table_user_name}"

    def logged_in_user_id():
        return auth.user_id

    return Table(
        auth.db, "auth_signature",
        Field("is_active", "boolean", default=True, readable=False, writable=False,
              label="Is Active"),
        Field("created_on", "datetime", default=request_now, writable=False, readable=False,
              label="Created On"),
        Field("created_by", reference_user, default=logged_in_user_id, writable=False,
              readable=False, label="Created By", ondelete="SET NULL"),
        Field("modified_on", "datetime", default=request_now, update=request_now,
              writable=False, readable=False, label="Modified On"),
        Field("modified_by", reference_user, default=logged_in_user_id, update=logged_in_user_id,
              writable=False, readable=False, label="Modified By", ondelete="SET NULL"),
    )


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


def define_user_table(auth: Auth, username: bool, signature: bool, migrate: Migrate,
                      fake_migrate: bool) -> Table:
    settings = auth.settings
    extra = [auth.signature] if signature else []
    user_format = "%(username)s" if username else "%(first_name)s %(last_name)s (%(id)s)"
    return auth.db.define_table(
        settings.table_user_name, *user_fields(auth, username), *extra,
        *settings.extra_fields.get(settings.table_user_name, []),
        format=user_format, migrate=_migrate(migrate, settings.table_user_name),
        fake_migrate=fake_migrate)


def define_group_table(auth: Auth, signature: bool, migrate: Migrate,
                       fake_migrate: bool) -> Table:
    db, settings, messages = auth.db, auth.settings, auth.messages
    name = settings.table_group_name
    extra = [auth.signature] if signature else []
    return db.define_table(
        name,
        Field("role", length=512, default="", label=messages.label_role,
              requires=IS_NOT_IN_DB(db, f"{name}.role")),
        Field("description", "text", label=messages.label_description),
        *extra, *settings.extra_fields.get(name, []),
        format="%(role)s (%(id)s)", migrate=_migrate(migrate, name), fake_migrate=fake_migrate)


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


def define_membership_table(auth: Auth, signature: bool, migrate: Migrate,
                            fake_migrate: bool) -> Table:
    name = auth.settings.table_membership_name
    extra = [auth.signature] if signature else []
    return auth.db.define_table(
        name, _user_reference(auth), _group_reference(auth), *extra,
        *auth.settings.extra_fields.get(name, []),
        migrate=_migrate(migrate, name), fake_migrate=fake_migrate)


def define_permission_table(auth: Auth, signature: bool, migrate: Migrate,
                            fake_migrate: bool) -> Table:
    messages = auth.messages
    name = auth.settings.table_permission_name
    extra = [auth.signature] if signature else []
    return auth.db.define_table(
        name, _group_reference(auth),
        Field("name", length=512, default="default", label=messages.label_name,
              requires=IS_NOT_EMPTY(error_message=messages.is_empty)),
        Field("table_name", length=512, label=messages.label_table_name),
        Field("record_id", "integer", default=0, label=messages.label_record_id,
              requires=IS_INT_IN_RANGE(0, 10 ** 9)),
        *extra, *auth.settings.extra_fields.get(name, []),
        migrate=_migrate(migrate, name), fake_migrate=fake_migrate)


def define_event_table(auth: Auth, migrate: Migrate, fake_migrate: bool) -> Table:
    messages = auth.messages
    name = auth.settings.table_event_name
    user_id = _user_reference(auth)
    user_id.requires = None
    return auth.db.define_table(
        name,
        Field("time_stamp", "datetime", default=request_now, label=messages.label_time_stamp),
        Field("client_ip", default=request_client, label=messages.label_client_ip),
        user_id,
        Field("origin", length=512, default="auth", label=messages.label_origin,
              requires=IS_NOT_EMPTY(error_message=messages.is_empty)),
        Field("description", "text", default="", label=messages.label_description,
              requires=IS_NOT_EMPTY(error_message=messages.is_empty)),
        *auth.settings.extra_fields.get(name, []),
        migrate=_migrate(migrate, name), fake_migrate=fake_migrate)


def define_cas_table(auth: Auth, migrate: Migrate, fake_migrate: bool) -> Table:
    name = auth.settings.table_cas_name
    return auth.db.define_table(
        name, _user_reference(auth),
        Field("created_on", "datetime", default=request_now),
        Field("service", length=512),
        Field("ticket", length=512),
        Field("renew", "boolean", default=False),
        *auth.settings.extra_fields.get(name, []),
        migrate=_migrate(migrate, name), fake_migrate=fake_migrate)


def _migrate(migrate, tablename):
    """web2py's ``migrate`` may be a bool or a filename prefix for the .table files."""
    if isinstance(migrate, str):
        return f"{migrate}{tablename}.table"
    return migrate


def define_all(auth: Auth, username: bool, signature: bool, migrate: Migrate,
               fake_migrate: bool) -> None:
    """Define every Auth table that is not already defined (apps may define their own first)."""
    db, settings = auth.db, auth.settings
    steps = [
        (settings.table_user_name,
         lambda: define_user_table(auth, username, signature, migrate, fake_migrate)),
        (settings.table_group_name,
         lambda: define_group_table(auth, signature, migrate, fake_migrate)),
        (settings.table_membership_name,
         lambda: define_membership_table(auth, signature, migrate, fake_migrate)),
        (settings.table_permission_name,
         lambda: define_permission_table(auth, signature, migrate, fake_migrate)),
        (settings.table_event_name, lambda: define_event_table(auth, migrate, fake_migrate)),
        (settings.table_cas_name, lambda: define_cas_table(auth, migrate, fake_migrate)),
    ]
    for tablename, define in steps:
        if tablename not in db.tables:
            define()
