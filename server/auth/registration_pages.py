"""``user/register`` and ``user/verify_email``: new accounts, their groups, the mailed check."""

from __future__ import annotations

import uuid
from typing import Any

from pydal import Field
from pydal.validators import IS_EQUAL_TO

from server.auth.page_forms import BARRED_KEYS, AuthPageForms, call_each
from server.auth.texts import render
from server.current import current
from server.http import redirect


class RegistrationPages(AuthPageForms):
    """Mixin for :class:`server.auth.Auth`."""

    def _register_fields(self):
        table = self.table_user()
        # the id is no input of a form without a record: SQLFORM never takes one from a post
        names = self.settings.register_fields or [
            name for name in table.fields if table[name].writable]
        fields = [table[name].clone() for name in names if name != "password"]
        confirm = Field("password_two", "password", label=self.messages.verify_password,
                        comment=self.messages.verify_password_comment,
                        requires=IS_EQUAL_TO(current.request.post_vars.get("password"),
                                             error_message=self.messages.mismatched_password))
        return [*fields, table.password.clone(), confirm]

    def register(self, next: Any = None, onvalidation: Any = None,  # noqa: A002
                 onaccept: Any = None, log: Any = None) -> Any:
        if self.is_logged_in():
            redirect(self.settings.logged_url)
        form = self._form(*self._register_fields(), submit=self.messages.register_button,
                          **self._hidden_next(next or self.settings.register_next))
        self._add_captcha(form, "register")

        def check(form):
            self._check_hashed(form, "password")
            call_each(onvalidation or self.settings.register_onvalidation, form)

        if self._process(form, "register", check):
            user = self._create_user(form.vars)
            form.vars.id = user.id  # as in web2py, onaccept callbacks find the new user's id
            if self.settings.registration_requires_verification and \
                    not self._send_verification(user):
                user.delete_record()
                current.response.flash = self.messages.unable_send_email
                return form
            self._add_default_groups(user)
            self.log_event(log or self.messages.register_log, dict(id=user.id), user_id=user.id)
            call_each(onaccept or self.settings.register_onaccept, form)
            self._after_register(user, next or self.settings.register_next)
        return form

    def _create_user(self, values):
        table = self.table_user()
        record = {name: values[name] for name in table.fields if name in values}  # no id yet
        if self.settings.registration_requires_verification:
            record["registration_key"] = uuid.uuid4().hex
        elif self.settings.registration_requires_approval:
            record["registration_key"] = "pending"
        return table(table.insert(**record))

    def _add_default_groups(self, user):
        if self.settings.create_user_groups:
            role = self.settings.create_user_groups % user
            group_id = self.add_group(role, render(self.messages.group_description, **user))
            self.add_membership(group_id, user.id)
        if self.settings.everybody_group_id:
            self.add_membership(self.settings.everybody_group_id, user.id)

    def _after_register(self, user, next_url):
        settings = self.settings
        if settings.registration_requires_verification:
            self._finish(self.messages.registration_verifying, next_url)
        if settings.registration_requires_approval:
            self._finish(self.messages.registration_pending, next_url)
        if settings.login_after_registration:
            self.login_user(user)
        self._finish(self.messages.registration_successful, next_url)

    def _send_verification(self, user) -> bool:
        link = self.url("verify_email", args=[user.registration_key], scheme=True)
        # as web2py: the account's username when its table has one, else its email
        values = {"username": user.email, **user.as_dict()}
        message = render(self.messages.verify_email, link=link, key=user.registration_key,
                         **values)
        sent = self._mail(user.email, self.messages.verify_email_subject, message)
        if sent:
            self.log_event(self.messages.verify_email_log, dict(id=user.id), user_id=user.id)
        return sent

    def verify_email(self, next: Any = None, onaccept: Any = None,  # noqa: A002
                     log: Any = None) -> None:
        key = current.request.args(1)
        table = self.table_user()
        user = self.db(table.registration_key == key).select().first() if key else None
        if not user or key in BARRED_KEYS:
            self._finish(self.messages.invalid_user, self.settings.login_url)
        pending = self.settings.registration_requires_approval
        user.update_record(registration_key="pending" if pending else "")
        self.log_event(log or self.messages.email_verified_log, dict(id=user.id),
                       user_id=user.id)
        call_each(onaccept, user)
        if pending:
            self._finish(self.messages.registration_pending, self.settings.login_url)
        if self.settings.login_after_registration:
            self.login_user(user)
        self._finish(self.messages.email_verified, next or self.settings.verify_email_next)
