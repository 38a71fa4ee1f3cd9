"""Older parts of web2py's Auth API that apps written for web2py 2.x still call.

``retrieve_password`` (the book's "Lost password?" action before reset links) mails a new
random password, unless ``settings.reset_password_requires_verification`` asks for web2py's
reset link instead; ``get_or_create_key`` keeps an app's HMAC key in ``private/auth.key``.
"""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Callable
from typing import Any

from server.auth.page_forms import call_each
from server.auth.texts import render
from server.current import current


class LegacyAuthActions:
    """Mixin for :class:`server.auth.Auth`."""

    settings: Any
    messages: Any
    table_user: Any
    log_event: Any
    request_reset_password: Any
    _process: Any
    _email_form: Any
    _add_captcha: Any
    _find_user_by_email: Any
    _mail: Any
    _finish: Any

    @staticmethod
    def get_or_create_key(filename: str | None = None, alg: str = "sha512") -> str:
        """``'<alg>:<uuid>'``, made once and kept in the app's ``private/auth.key``."""
        if not filename:
            filename = os.path.join(current.request.folder, "private", "auth.key")
        if os.path.exists(filename):
            with open(filename, encoding="utf-8") as handle:
                return handle.read().strip()
        key = f"{alg}:{uuid.uuid4()}"
        os.makedirs(os.path.dirname(filename), exist_ok=True)
        with open(filename, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key

    def retrieve_password(self, next: str | None = None,  # noqa: A002
                          onvalidation: Callable[..., Any] | None = None,
                          onaccept: Callable[..., Any] | None = None,
                          log: str | None = None) -> Any:
        """Mail a new password to the account of the typed email."""
        if self.settings.reset_password_requires_verification:
            return self.request_reset_password(next, log)
        next_url = next or self.settings.retrieve_password_next
        form = self._email_form(self.messages.submit_button, next_url)
        self._add_captcha(form, "retrieve_password")

        def check(form):
            self._user_by_email(form)
            call_each(onvalidation or self.settings.retrieve_password_onvalidation, form)

        if self._process(form, "retrieve_password", check):
            user = self._find_user_by_email(form.vars.email)
            password = secrets.token_urlsafe(9)
            message = render(self.messages.retrieve_password,
                             **{**user.as_dict(), "password": password})
            if not self._mail(user.email, self.messages.retrieve_password_subject, message):
                current.response.flash = self.messages.unable_send_email
                return form
            hashed, _ = self.table_user().password.validate(password)
            user.update_record(password=str(hashed))
            self.log_event(log or self.messages.retrieve_password_log, dict(id=user.id),
                           user_id=user.id)
            call_each(onaccept, form)
            self._finish(self.messages.new_password_sent, next_url)
        return form
