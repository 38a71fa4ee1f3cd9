"""Lost and changed passwords: ``request_reset_password`` mails a link that ``reset_password``
opens; ``change_password`` for a logged-in user; ``retrieve_username`` mails the name."""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from pydal import Field
from pydal.validators import IS_EQUAL_TO

from server.auth.page_forms import BARRED_KEYS, AuthPageForms, autocomplete, call_each
from server.auth.texts import render
from server.current import current
from server.http import HTTP, redirect

mail_log = logging.getLogger("pocketweb.auth")


def reset_key_age(key: object) -> float | None:
    """Seconds since a ``<epoch>-<uuid>`` reset key was issued; None when malformed or none."""
    stamp, _, rest = str(key).partition("-")
    if not stamp.isdigit() or not rest:
        return None
    return time.time() - int(stamp)


class PasswordPages(AuthPageForms):
    """Mixin for :class:`server.auth.Auth`."""

    def _new_password_fields(self, name="new_password"):
        """A new password (hashed by the table's CRYPT) and its confirmation."""
        new = self.table_user().password.clone()
        new.name, new.label = name, self.messages.new_password
        confirm = Field(f"{name}2", "password", label=self.messages.verify_password,
                        comment=self.messages.verify_password_comment,
                        requires=IS_EQUAL_TO(current.request.post_vars.get(name),
                                             error_message=self.messages.mismatched_password))
        return [new, confirm]

    def request_reset_password(self, next: Any = None, log: Any = None) -> Any:  # noqa: A002
        form = self._email_form(self.messages.password_reset_button,
                                next or self.settings.request_reset_password_next)
        self._add_captcha(form, "retrieve_password")
        if self._process(form, "request_reset_password"):
            if not self.settings.mailer:
                current.response.flash = self.messages.unable_send_email
                return form
            user = self._find_user_by_email(form.vars.email)
            if user and user.registration_key not in BARRED_KEYS:  # as web2py: unverified too
                self._mail_reset_link(user, log)
            # the same answer for an address with an account and without: no account probing
            self._finish(self.messages.email_sent,
                         next or self.settings.request_reset_password_next)
        return form

    def _mail_reset_link(self, user, log=None) -> None:
        key = f"{int(time.time())}-{uuid.uuid4().hex}"
        user.update_record(reset_password_key=key)
        link = self.url("reset_password", vars={"key": key}, scheme=True)
        message = render(self.messages.reset_password, link=link, key=key, **user.as_dict())
        if not self._mail(user.email, self.messages.reset_password_subject, message):
            mail_log.error("the reset-password mail to user %s could not be sent", user.id)
            return
        self.log_event(log or self.messages.reset_password_request_log, dict(id=user.id),
                       user_id=user.id)

    def _user_by_reset_key(self, key):
        age = reset_key_age(key)
        if age is None or age > self.settings.reset_password_expiration:
            return None
        table = self.table_user()
        return self.db(table.reset_password_key == key).select(limitby=(0, 1)).first()

    def reset_password(self, next: Any = None, log: Any = None) -> Any:  # noqa: A002
        """The link from the mail; the key moves into the session so it leaves the URL."""
        session = current.session
        if current.request.get_vars.key:
            session._reset_password_key = str(current.request.get_vars.key)
            redirect(self.url("reset_password"))
        user = self._user_by_reset_key(session._reset_password_key)
        if not user:
            self._finish(self.messages.invalid_reset_password,
                         self.url("request_reset_password"))
        form = self._form(*self._new_password_fields(), submit=self.messages.password_change_button,
                          **self._hidden_next(next or self.settings.reset_password_next))
        if self._process(form, "reset_password",
                         lambda f: self._check_hashed(f, "new_password")):
            verified_by_mail = user.registration_key not in BARRED_KEYS
            changes = dict(password=str(form.vars.new_password), reset_password_key="")
            if verified_by_mail:
                changes["registration_key"] = ""
            user.update_record(**changes)
            session._reset_password_key = None
            self.log_event(log or self.messages.reset_password_log, dict(id=user.id),
                           user_id=user.id)
            self._finish(self.messages.password_changed,
                         next or self.settings.reset_password_next)
        return form

    def change_password(self, next: Any = None, onvalidation: Any = None,  # noqa: A002
                        onaccept: Any = None, log: Any = None) -> Any:
        self._require_login()
        old = self._password_field("old_password", self.messages.old_password)
        form = self._form(old, *self._new_password_fields(),
                          submit=self.messages.password_change_button,
                          **self._hidden_next(next or self.settings.change_password_next))
        autocomplete(form, old_password="current-password")
        user = self.table_user()(self.user.id)

        def check(form):
            self._check_hashed(form, "new_password")
            if not self.verify_password(user, form.vars.old_password):
                form.errors.old_password = self.messages.invalid_password
            call_each(onvalidation or self.settings.change_password_onvalidation, form)

        if self._process(form, "change_password", check):
            user.update_record(password=str(form.vars.new_password))
            self.log_event(log or self.messages.change_password_log, dict(id=user.id))
            call_each(onaccept or self.settings.change_password_onaccept, form)
            self._finish(self.messages.password_changed,
                         next or self.settings.change_password_next)
        return form

    def retrieve_username(self, next: Any = None, log: Any = None) -> Any:  # noqa: A002
        if "username" not in self.table_user().fields:
            raise HTTP(404, "not found")
        form = self._email_form(self.messages.submit_button,
                                next or self.settings.retrieve_username_next)
        self._add_captcha(form, "retrieve_username")
        if self._process(form, "retrieve_username", self._user_by_email):
            user = self._find_user_by_email(form.vars.email)
            message = render(self.messages.retrieve_username, **user.as_dict())
            if not self._mail(user.email, self.messages.retrieve_username_subject, message):
                current.response.flash = self.messages.unable_send_email
                return form
            self.log_event(log or self.messages.retrieve_username_log, dict(id=user.id),
                           user_id=user.id)
            self._finish(self.messages.username_sent, next or self.settings.retrieve_username_next)
        return form
