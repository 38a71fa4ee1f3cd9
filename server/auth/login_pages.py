"""``user/login`` and ``user/logout``, and the password check behind them and ``login_bare``.

Failed logins are throttled per address and per account (:mod:`server.auth.throttle`).
"""

from __future__ import annotations

from typing import Any

from pydal import Field
from pydal.validators import IS_EMAIL, IS_NOT_EMPTY

from server.auth.page_forms import AuthPageForms, autocomplete, call_each
from server.auth.passwords import needs_rehash, new_hash
from server.auth.texts import render
from server.auth.throttle import LOGIN_THROTTLE
from server.current import current
from server.http import redirect

# failures from one address (over all accounts) before it is locked, per account's allowance
ADDRESS_FAILURE_FACTOR = 10


class LoginPages(AuthPageForms):
    """Mixin for :class:`server.auth.Auth`."""

    def _login_name(self):
        return "username" if "username" in self.table_user().fields else "email"

    def _find_user(self, name_value):
        table = self.table_user()
        field = self._login_name()
        value = str(name_value or "")
        if field == "email" and not self.settings.email_case_sensitive:
            value = value.lower()
        return self.db(table[field] == value).select(limitby=(0, 1)).first()

    def _upgrade_hash(self, user, password) -> None:
        """A hash made with older settings (fewer iterations) is remade now the password is
        known, so every account reaches the current strength at its next login."""
        settings = self.settings
        if needs_rehash(user.password, settings.hmac_key, settings.password_digest_alg):
            user.update_record(password=new_hash(str(password), settings.hmac_key,
                                                 settings.password_digest_alg))

    def _throttle_keys(self, name_value):
        """The address alone, and the account (from anywhere)."""
        prefix = f"{current.request.folder}:{self.db._uri_hash}"
        address, account = current.request.client, str(name_value or "").lower()
        return [f"{prefix}:ip:{address}", f"{prefix}:user:{account}"]

    def _count_failure(self, keys) -> None:
        """One failure against each key. The address alone locks only after many more, so one
        local user's typos do not lock out everyone else on 127.0.0.1."""
        options = self._throttle_options()
        LOGIN_THROTTLE.failed(keys[1:], **options)
        options["max_failures"] *= ADDRESS_FAILURE_FACTOR
        LOGIN_THROTTLE.failed(keys[:1], **options)

    def _throttle_options(self):
        settings = self.settings
        return dict(max_failures=settings.login_max_failures, window=settings.login_failure_window,
                    delay=settings.login_lockout, max_delay=settings.login_max_lockout)

    def authenticate(self, name_value: Any, password: Any) -> tuple[Any, Any]:
        """``(user, None)`` for good credentials, else ``(None, why)``.

        Every failure counts against the client's address and the account name; while either
        is locked out, no password is even checked.
        """
        keys = self._throttle_keys(name_value)
        wait = LOGIN_THROTTLE.wait_seconds(keys)
        if wait:
            return None, render(self.messages.too_many_failures, seconds=wait)
        user = self._find_user(name_value)
        if not self.verify_password(user, password):
            self._count_failure(keys)
            self.log_event(self.messages.login_failed_log, dict(username=name_value),
                           user_id=user.id if user else None)
            return None, self.messages.invalid_login
        problem = self._account_problem(user)
        if problem:
            return None, problem
        LOGIN_THROTTLE.succeeded(keys[1:])  # the address keeps its count: not reset by a login
        self._upgrade_hash(user, password)
        return user, None

    def _check_login(self, form, found):
        """onvalidation of the login form: the credentials must open an active account."""
        if form.errors:
            return  # e.g. a malformed email: no attempt, nothing to count against anyone
        name_field = self._login_name()
        user, problem = self.authenticate(form.vars.get(name_field), form.vars.get("password"))
        if problem:
            form.errors[name_field] = problem
            call_each(self.settings.login_onfail, form)
            return
        found.append(user)
        call_each(self.settings.login_onvalidation, form)

    def login(self, next: Any = None, onvalidation: Any = None,  # noqa: A002
              onaccept: Any = None, log: Any = None) -> Any:
        if self.is_logged_in():
            redirect(self._next_target(next or self.settings.login_next))
        name_field = self._login_name()
        name_label = getattr(self.messages, f"label_{name_field}")
        messages = self.messages
        name_check = (IS_EMAIL(error_message=messages.invalid_email) if name_field == "email"
                      else IS_NOT_EMPTY(error_message=messages.is_empty))
        fields = [Field(name_field, label=name_label, requires=name_check),
                  self._password_field()]
        if self.settings.remember_me_form:
            fields.append(Field("remember_me", "boolean", default=False,
                                label=self.messages.label_remember_me))
        form = self._form(*fields, submit=self.messages.login_button,
                          **self._hidden_next(next or self.settings.login_next))
        autocomplete(form, password="current-password", **{name_field: "username"})
        self._add_captcha(form, "login")
        found: list[Any] = []
        if self._process(form, "login", lambda f: self._check_login(f, found)):
            user = found[0]
            self.login_user(user, remember_me=bool(form.vars.get("remember_me")))
            self.log_event(log or self.messages.login_log, dict(id=user.id))
            call_each(onaccept or self.settings.login_onaccept, form)
            self._finish(self.messages.logged_in, next or self.settings.login_next)
        return form

    def login_bare(self, username: Any, password: Any) -> Any:
        """Log in without a form (scripts, APIs); returns the user or False."""
        user, problem = self.authenticate(username, password)
        if problem:
            return False
        self.login_user(user)
        self.log_event(self.messages.login_log, dict(id=user.id))
        return self.user

    def logout(self, next: Any = None, onlogout: Any = None,  # noqa: A002
               log: Any = None) -> None:
        if self.user:
            self.log_event(log or self.messages.logout_log, dict(id=self.user.id))
            call_each(onlogout or self.settings.logout_onlogout, self.user)
        self.logout_user()
        self._finish(self.messages.logged_out, next or self.settings.logout_next)
