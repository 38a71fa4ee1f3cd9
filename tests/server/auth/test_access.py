"""Groups, memberships, permissions and the event log, on a real SQLite file."""

from __future__ import annotations

import pytest
from pydal import DAL, Field

from server.auth import Auth
from server.current import current


@pytest.fixture
def auth(tmp_path):
    current.request = current.session = current.response = None
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    auth = Auth(db)
    auth.define_tables(signature=False)
    db.define_table("thing", Field("name"), auth.signature)
    yield auth
    db.close()


def make_user(auth, email="ann@example.com"):
    table = auth.table_user()
    hashed = table.password.validate("correct horse")[0]
    return table.insert(first_name="Ann", last_name="Lee", email=email, password=str(hashed))


def test_define_tables_creates_web2py_tables_and_fields(auth):
    db = auth.db
    for name in ("auth_user", "auth_group", "auth_membership", "auth_permission", "auth_event",
                 "auth_cas"):
        assert name in db.tables
    assert {"first_name", "last_name", "email", "password", "registration_key",
            "reset_password_key", "registration_id"} <= set(db.auth_user.fields)
    assert "username" not in db.auth_user.fields
    assert {"role", "description"} <= set(db.auth_group.fields)
    assert {"group_id", "name", "table_name", "record_id"} <= set(db.auth_permission.fields)
    assert {"time_stamp", "client_ip", "user_id", "origin", "description"} <= set(
        db.auth_event.fields)
    assert auth.settings.table_user is db.auth_user


def test_username_and_signature_on_request(tmp_path):
    current.request = current.session = None
    db = DAL("sqlite://other.sqlite", folder=str(tmp_path))
    Auth(db).define_tables(username=True, signature=True)
    assert "username" in db.auth_user.fields
    assert {"created_on", "created_by", "modified_on", "modified_by", "is_active"} <= set(
        db.auth_group.fields)
    db.close()


def test_password_is_stored_as_salted_pbkdf2_hash(auth, tmp_path):
    user_id = make_user(auth)
    stored = auth.table_user()(user_id).password
    assert stored.startswith("pbkdf2(") and stored.count("$") == 2
    assert "correct horse" not in stored
    assert b"correct horse" not in (tmp_path / "storage.sqlite").read_bytes()
    user = auth.table_user()(user_id)
    assert auth.verify_password(user, "correct horse")
    assert not auth.verify_password(user, "wrong horse")


def test_two_users_with_one_password_get_different_hashes(auth):
    first, second = make_user(auth), make_user(auth, "bob@example.com")
    table = auth.table_user()
    assert table(first).password != table(second).password


def test_membership_by_id_and_by_role(auth):
    user_id = make_user(auth)
    editors = auth.add_group("editors", "can edit")
    assert auth.id_group("editors") == editors
    assert not auth.has_membership(editors, user_id)
    membership = auth.add_membership(editors, user_id)
    assert auth.add_membership(role="editors", user_id=user_id) == membership  # no duplicate
    assert auth.has_membership(editors, user_id)
    assert auth.has_membership(role="editors", user_id=user_id)
    assert auth.has_membership("editors", user_id)  # a role name where an id is expected
    assert not auth.has_membership(role="nobody", user_id=user_id)
    assert auth.del_membership(editors, user_id) == 1
    assert not auth.has_membership(editors, user_id)


def test_add_membership_without_group_is_an_error(auth):
    user_id = make_user(auth)
    with pytest.raises(ValueError):
        auth.add_membership(role="missing", user_id=user_id)


def test_user_group_follows_create_user_groups(auth):
    user_id = make_user(auth)
    group_id = auth.add_group(f"user_{user_id}")
    assert auth.user_group(user_id) == group_id
    assert auth.user_group_role(user_id) == f"user_{user_id}"


def test_permissions_per_record_and_per_table(auth):
    db = auth.db
    user_id = make_user(auth)
    readers = auth.add_group("readers")
    auth.add_membership(readers, user_id)
    first, second = db.thing.insert(name="first"), db.thing.insert(name="second")
    auth.add_permission(readers, "read", db.thing, first)
    assert auth.has_permission("read", "thing", first, user_id=user_id)
    assert not auth.has_permission("read", "thing", second, user_id=user_id)
    assert not auth.has_permission("update", "thing", first, user_id=user_id)
    assert auth.has_permission("read", "thing", first, group_id=readers)
    visible = db(auth.accessible_query("read", db.thing, user_id)).select(db.thing.name)
    assert [row.name for row in visible] == ["first"]
    auth.add_permission(readers, "read", "thing", 0)  # record 0: the whole table
    assert auth.has_permission("read", "thing", second, user_id=user_id)
    assert db(auth.accessible_query("read", "thing", user_id)).count() == 2
    assert auth.del_permission(readers, "read", "thing", 0) == 1
    assert not auth.has_permission("read", "thing", second, user_id=user_id)


def test_everybody_group_permissions_count_for_all(auth):
    user_id = make_user(auth)
    everybody = auth.add_group("everybody")
    auth.settings.everybody_group_id = everybody
    auth.add_permission(everybody, "read", "thing", 0)
    assert auth.has_permission("read", "thing", 7, user_id=user_id)


def test_del_group_removes_memberships_and_permissions(auth):
    db = auth.db
    user_id = make_user(auth)
    group_id = auth.add_group("temp")
    auth.add_membership(group_id, user_id)
    auth.add_permission(group_id, "read", "thing", 0)
    auth.del_group(group_id)
    assert db(db.auth_membership).isempty()
    assert db(db.auth_permission).isempty()
    assert auth.id_group("temp") is None


def test_events_are_logged_with_rendered_descriptions(auth):
    db = auth.db
    group_id = auth.add_group("logged")
    event = db(db.auth_event).select().last()
    assert event.description == f"Group {group_id} created"
    assert event.origin == "auth"
    auth.messages.add_group_log = None  # a message set to None switches its event off
    auth.add_group("silent")
    assert db(db.auth_event).count() == 1
