"""Role based access control: groups, memberships, permissions, and the auth_event log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from server.auth.texts import render

if TYPE_CHECKING:
    from pydal.objects import Query, Table

GroupRef = int | str | None  # a group's id, or (as web2py accepts) its role name


def table_name_of(table: Table | str | None) -> str:
    """Permissions name tables by their name; accept a Table object as web2py does."""
    return str(getattr(table, "_tablename", table) or "")


class AccessControl:
    """Mixin for :class:`server.auth.Auth`; expects ``db``, ``settings``, ``messages``, ``user``."""

    db: Any
    settings: Any
    messages: Any
    user: Any
    user_id: Any
    user_groups: Any
    _user_groups: Any
    _session_state: Any

    def log_event(self, description: str | None, vars: dict | None = None,  # noqa: A002
                  origin: str = "auth", user_id: int | None = None) -> int | None:
        """Add an auth_event row; a ``None`` description (message switched off) logs nothing."""
        if not description or not self.settings.log_events:
            return None
        table = self.db[self.settings.table_event_name]
        return table.insert(description=render(description, **(vars or {})), origin=origin,
                            user_id=user_id or self.user_id)

    # groups -------------------------------------------------------------------------------

    def add_group(self, role: str, description: str = "") -> int:
        group_id = self.db[self.settings.table_group_name].insert(role=role,
                                                                  description=description)
        self.log_event(self.messages.add_group_log, dict(group_id=group_id, role=role))
        return group_id

    def del_group(self, group_id: int) -> None:
        """Delete a group with its memberships and permissions."""
        db, settings = self.db, self.settings
        db(db[settings.table_membership_name].group_id == group_id).delete()
        db(db[settings.table_permission_name].group_id == group_id).delete()
        db(db[settings.table_group_name].id == group_id).delete()
        if self.user:
            self.update_groups()
        self.log_event(self.messages.del_group_log, dict(group_id=group_id))

    def id_group(self, role: str) -> int | None:
        """The id of the group named ``role``, or None."""
        table = self.db[self.settings.table_group_name]
        row = self.db(table.role == role).select(table.id, limitby=(0, 1)).first()
        return row.id if row else None

    def user_group_role(self, user_id: int | None = None) -> str | None:
        """The role name of the group created for one user (``settings.create_user_groups``)."""
        if not self.settings.create_user_groups:
            return None
        user = self.db[self.settings.table_user_name](user_id or self.user_id)
        return self.settings.create_user_groups % user if user else None

    def user_group(self, user_id: int | None = None) -> int | None:
        """The id of the group uniquely assigned to a user."""
        role = self.user_group_role(user_id)
        return self.id_group(role) if role else None

    def _group_id(self, group_id, role):
        """web2py accepts a role name where a group id is expected."""
        if not group_id:
            return self.id_group(role) if role else None
        try:
            return int(group_id)
        except (TypeError, ValueError):
            return self.id_group(group_id)

    # memberships --------------------------------------------------------------------------

    def _membership_query(self, group_id, user_id):
        table = self.db[self.settings.table_membership_name]
        return self.db((table.user_id == user_id) & (table.group_id == group_id))

    def add_membership(self, group_id: GroupRef = None, user_id: int | None = None,
                       role: str | None = None) -> int:
        """Put a user (default: the logged-in one) in a group; returns the membership id."""
        group_id = self._group_id(group_id, role)
        user_id = user_id or self.user_id
        if not group_id:
            raise ValueError("group_id not provided or invalid")
        if not user_id:
            raise ValueError("user_id not provided or invalid")
        existing = self._membership_query(group_id, user_id).select().first()
        if existing:
            return existing.id
        membership_id = self.db[self.settings.table_membership_name].insert(
            group_id=group_id, user_id=user_id)
        self._refresh_groups_of(user_id)
        self.log_event(self.messages.add_membership_log,
                       dict(user_id=user_id, group_id=group_id))
        return membership_id

    def del_membership(self, group_id: GroupRef = None, user_id: int | None = None,
                       role: str | None = None) -> int:
        group_id = self._group_id(group_id, role)
        user_id = user_id or self.user_id
        deleted = self._membership_query(group_id, user_id).delete()
        self._refresh_groups_of(user_id)
        self.log_event(self.messages.del_membership_log,
                       dict(user_id=user_id, group_id=group_id))
        return deleted

    def has_membership(self, group_id: GroupRef = None, user_id: int | None = None,
                       role: str | None = None, cached: bool = False) -> bool:
        """Whether a user (default: the logged-in one) is in the group given by id or role."""
        group_id = self._group_id(group_id, role)
        user_id = user_id or self.user_id
        if not group_id or not user_id:
            return False
        if cached and user_id == self.user_id:
            return group_id in self.user_groups
        return not self._membership_query(group_id, user_id).isempty()

    def groups_of(self, user_id: int) -> set:
        table = self.db[self.settings.table_membership_name]
        rows = self.db(table.user_id == user_id).select(table.group_id)
        return {row.group_id for row in rows}

    def update_groups(self) -> dict[int, str]:
        """Reload the logged-in user's ``{group_id: role}`` into the session."""
        if not self.user:
            return {}
        groups = self.db[self.settings.table_group_name]
        memberships = self.db[self.settings.table_membership_name]
        rows = self.db((memberships.user_id == self.user.id)
                       & (memberships.group_id == groups.id)).select(groups.id, groups.role)
        user_groups = {row.id: row.role for row in rows}
        state = self._session_state()
        if state is not None:
            state.user_groups = user_groups
        self._user_groups = user_groups
        return user_groups

    def _refresh_groups_of(self, user_id):
        if self.user and user_id == self.user.id:
            self.update_groups()

    # permissions --------------------------------------------------------------------------

    def _permission_query(self, group_id, name, table_name, record_id):
        table = self.db[self.settings.table_permission_name]
        return self.db((table.group_id == group_id) & (table.name == name)
                       & (table.table_name == table_name_of(table_name))
                       & (table.record_id == record_id))

    def add_permission(self, group_id: int | None, name: str = "any",
                       table_name: Table | str = "", record_id: int = 0) -> int:
        """Grant ``name`` on a table/record to a group (0: the user's own group)."""
        if group_id == 0:
            group_id = self.user_group()
        existing = self._permission_query(group_id, name, table_name, record_id).select().first()
        if existing:
            return existing.id
        permission_id = self.db[self.settings.table_permission_name].insert(
            group_id=group_id, name=name, table_name=table_name_of(table_name),
            record_id=record_id)
        self.log_event(self.messages.add_permission_log,
                       dict(permission_id=permission_id, group_id=group_id, name=name,
                            table_name=table_name_of(table_name), record_id=record_id))
        return permission_id

    def del_permission(self, group_id: int | None, name: str = "any",
                       table_name: Table | str = "", record_id: int = 0) -> int:
        self.log_event(self.messages.del_permission_log,
                       dict(group_id=group_id, name=name, table_name=table_name_of(table_name),
                            record_id=record_id))
        return self._permission_query(group_id, name, table_name, record_id).delete()

    def has_permission(self, name: str = "any", table_name: Table | str = "",
                       record_id: int = 0, user_id: int | None = None,
                       group_id: GroupRef = None) -> bool:
        """Whether the user (or the given group) holds ``name`` on the table/record.

        A permission with record_id 0 covers every record of its table; permissions of
        ``settings.everybody_group_id`` count for everyone.
        """
        if group_id:
            groups = {self._group_id(group_id, None)}
        else:
            user_id = user_id or self.user_id
            groups = self.groups_of(user_id) if user_id else set()
        if self.settings.everybody_group_id:
            groups.add(self.settings.everybody_group_id)
        if not groups:
            return False
        table = self.db[self.settings.table_permission_name]
        records = [0, record_id] if record_id else [0]
        query = (table.group_id.belongs(groups) & (table.name == name)
                 & (table.table_name == table_name_of(table_name))
                 & table.record_id.belongs(records))
        return not self.db(query).isempty()

    def accessible_query(self, name: str, table: Table | str,
                         user_id: int | None = None) -> Query:
        """A query selecting the records of ``table`` on which the user holds ``name``."""
        db = self.db
        if isinstance(table, str):
            table = db[table]
        user_id = user_id or self.user_id
        if self.has_permission(name, table, 0, user_id):
            return table.id > 0
        permissions = db[self.settings.table_permission_name]
        group_ids = [self.settings.everybody_group_id] if self.settings.everybody_group_id else []
        if user_id:
            group_ids += list(self.groups_of(user_id))
        records = db(permissions.group_id.belongs(group_ids) & (permissions.name == name)
                     & (permissions.table_name == table._tablename))
        return table.id.belongs(records._select(permissions.record_id))
