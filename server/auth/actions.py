"""The pages behind ``auth()``: login, logout, register, profile, passwords, email checks.

Every page is a SQLFORM with a CSRF formkey; wrong input comes back as form errors.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

from pydal import Field
from pydal.validators import IS_EMAIL, IS_EQUAL_TO, IS_NOT_EMPTY

from server.auth.passwords import needs_rehash, new_hash, password_matches
from server.auth.texts import render
from server.auth.throttle import LOGIN_THROTTLE
from server.current import current
from server.http import HTTP, redirect
from server.storage import Storage

mail_log = logging.getLogger("pocketweb.auth")
# failures from one address (over all accounts) before it is locked, per account's allowance
ADDRESS_FAILURE_FACTOR = 10


def call_each(callbacks, *args) -> None:
    """Run a web2py callback setting: one callable or a list of them."""
    if callable(callbacks):
        callbacks = [callbacks]
    for callback in callbacks or []:
        callback(*args)


def autocomplete(form, **hints) -> None:
    """Tell password managers which input holds what (existing password, account name)."""
    for name, hint in hints.items():
        element = form.element(f"input[name={name}]")
        if element is not None:
            element["_autocomplete"] = hint


def reset_key_age(key: str) -> float | None:
    """Seconds since a ``<epoch>-<uuid>`` reset key was issued; None when malformed."""
    stamp, _, rest = str(key).partition("-")
    if not stamp.isdigit() or not rest:
        return None
    return time.time() - int(stamp)


class AuthActions:
    """Mixin for :class:`server.auth.Auth`."""

    settings: Any
    messages: Any
    url: Any
    log_event: Any
    next_url: Any

    # helpers --------------------------------------------------------------------------------

    def _form(self, *fields, submit, **attributes):
        from server.forms import SQLFORM

        options = {key: value for key, value in (("formstyle", self.settings.formstyle),
                                                   ("separator", self.settings.label_separator))
                   if value is not None}
        return SQLFORM.factory(*fields, submit_button=submit, table_name="auth", **options,
                               **attributes)

    def _process(self, form, formname, onvalidation=None):
        form.process(formname=formname, onvalidation=onvalidation, dbio=False, onsuccess=None,
                     hideerror=self.settings.hideerror,
                     session=current.session if self.csrf_prevention else None)
        return form.accepted

    def _finish(self, message, next_url):
        """Flash ``message`` across the redirect to ``_next`` (when safe) or ``next_url``."""
        if message:
            current.session.flash = message
        redirect(self._next_target(next_url))

    def _next_target(self, next_url) -> str:
        """Where an action goes next, as web2py reads ``next``: the posted ``_next`` when it
        stays on this site; else ``next_url`` (the first of a list; a bare name is an Auth
        action, ``next='profile'`` is ``auth.url('profile')``)."""
        if isinstance(next_url, (list, tuple)):
            next_url = next_url[0] if next_url else None
        if callable(next_url):
            next_url = next_url()
        if next_url and not str(next_url).startswith(("/", "http://", "https://")):
            next_url = self.url(str(next_url))
        return self.next_url(next_url)

    def _hidden_next(self, next_url) -> dict:
        """web2py renders the resolved ``_next`` as a hidden input of every Auth form."""
        return {"hidden": {"_next": self._next_target(next_url)}}

    def _password_field(self, name="password", label=None):
        return Field(name, "password", label=label or self.messages.label_password,
                     requires=IS_NOT_EMPTY(error_message=self.messages.is_empty))

    def _new_password_fields(self, name="new_password"):
        """A new password (hashed by the table's CRYPT) and its confirmation."""
        new = self.table_user().password.clone()
        new.name, new.label = name, self.messages.new_password
        confirm = Field(f"{name}2", "password", label=self.messages.verify_password,
                        comment=self.messages.verify_password_comment,
                        requires=IS_EQUAL_TO(current.request.post_vars.get(name),
                                             error_message=self.messages.mismatched_password))
        return [new, confirm]

    def _login_name(self):
        return "username" if "username" in self.table_user().fields else "email"

    def _find_user(self, name_value):
        table = self.table_user()
        field = self._login_name()
        value = str(name_value or "")
        if field == "email" and not self.settings.email_case_sensitive:
            value = value.lower()
        return self.db(table[field] == value).select(limitby=(0, 1)).first()

    def verify_password(self, user, password) -> bool:
        """Compare a typed password with the stored salted hash (in the same time when there is
        no such user: a dummy hash is checked)."""
        return password_matches(user.password if user else None, password,
                                self.settings.hmac_key, self.settings.password_digest_alg)

    def _upgrade_hash(self, user, password) -> None:
        """A hash made with older settings (fewer iterations) is remade now the password is
        known, so every account reaches the current strength at its next login."""
        settings = self.settings
        if needs_rehash(user.password, settings.hmac_key, settings.password_digest_alg):
            user.update_record(password=new_hash(str(password), settings.hmac_key,
                                                 settings.password_digest_alg))

    def _account_problem(self, user):
        """Why an existing account may not log in now, or None."""
        key = user.registration_key or ""
        if key == "pending":
            return self.messages.registration_pending
        if key in ("disabled", "blocked"):
            return self.messages.login_disabled
        if key:
            return self.messages.registration_verifying
        return None

    def _require_login(self):
        if not self.is_logged_in():
            self.deny_anonymous()

    def _mail(self, to, subject, message) -> bool:
        mailer = self.settings.mailer
        return bool(mailer) and mailer.send(to=to, subject=subject, message=message)

    # login / logout -------------------------------------------------------------------------

    def _throttle_keys(self, name_value):
        """The address alone, the account from that address, the account from anywhere."""
        prefix = f"{current.request.folder}:{self.db._uri_hash}"
        address, account = current.request.client, str(name_value or "").lower()
        return [f"{prefix}:ip:{address}", f"{prefix}:ip-user:{address}:{account}",
                f"{prefix}:user:{account}"]

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

    def authenticate(self, name_value, password):
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

    def login(self, next=None, onvalidation=None, onaccept=None, log=None):  # noqa: A002
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
        found = []
        if self._process(form, "login", lambda f: self._check_login(f, found)):
            user = found[0]
            self.login_user(user, remember_me=bool(form.vars.get("remember_me")))
            self.log_event(log or self.messages.login_log, dict(id=user.id))
            call_each(onaccept or self.settings.login_onaccept, form)
            self._finish(self.messages.logged_in, next or self.settings.login_next)
        return form

    def login_bare(self, username, password):
        """Log in without a form (scripts, APIs); returns the user or False."""
        user, problem = self.authenticate(username, password)
        if problem:
            return False
        self.login_user(user)
        self.log_event(self.messages.login_log, dict(id=user.id))
        return self.user

    def logout(self, next=None, onlogout=None, log=None):  # noqa: A002
        if self.user:
            self.log_event(log or self.messages.logout_log, dict(id=self.user.id))
            call_each(onlogout or self.settings.logout_onlogout, self.user)
        self.logout_user()
        self._finish(self.messages.logged_out, next or self.settings.logout_next)

    # registration ---------------------------------------------------------------------------

    def _register_fields(self):
        table = self.table_user()
        names = self.settings.register_fields or [
            name for name in table.fields if table[name].writable and name != "id"]
        fields = [table[name].clone() for name in names if name != "password"]
        confirm = Field("password_two", "password", label=self.messages.verify_password,
                        comment=self.messages.verify_password_comment,
                        requires=IS_EQUAL_TO(current.request.post_vars.get("password"),
                                             error_message=self.messages.mismatched_password))
        return [*fields, table.password.clone(), confirm]

    def _check_hashed(self, form, name):
        """CRYPT lets its "******" placeholder through as None: that is no password."""
        if name not in form.errors and form.vars.get(name) is None:
            form.errors[name] = self.messages.is_empty

    def register(self, next=None, onvalidation=None, onaccept=None, log=None):  # noqa: A002
        if self.is_logged_in():
            redirect(self.settings.logged_url)
        form = self._form(*self._register_fields(), submit=self.messages.register_button,
                          **self._hidden_next(next or self.settings.register_next))

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
        record = {name: values[name] for name in table.fields if name in values and name != "id"}
        record["password"] = str(values.password)
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
        values = {"username": user.get("username") or user.email, **user.as_dict()}
        message = render(self.messages.verify_email, link=link, key=user.registration_key,
                         **values)
        sent = self._mail(user.email, self.messages.verify_email_subject, message)
        if sent:
            self.log_event(self.messages.verify_email_log, dict(id=user.id), user_id=user.id)
        return sent

    def verify_email(self, next=None, onaccept=None, log=None):  # noqa: A002
        key = current.request.args(1)
        table = self.table_user()
        user = self.db(table.registration_key == key).select().first() if key else None
        if not user or key in ("pending", "disabled", "blocked"):
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

    # passwords ------------------------------------------------------------------------------

    def _email_form(self, submit, next_url):
        field = Field("email", label=self.messages.label_email,
                      requires=IS_EMAIL(error_message=self.messages.invalid_email))
        return self._form(field, submit=submit, **self._hidden_next(next_url))

    def _user_by_email(self, form):
        """onvalidation: the typed email must belong to an account that may log in."""
        user = self._find_user_by_email(form.vars.email)
        if not user:
            form.errors.email = self.messages.invalid_email
        elif user.registration_key in ("pending", "disabled", "blocked"):
            form.errors.email = self._account_problem(user)

    def _find_user_by_email(self, email):
        table = self.table_user()
        email = str(email or "")
        if not self.settings.email_case_sensitive:
            email = email.lower()
        return self.db(table.email == email).select(limitby=(0, 1)).first()

    def request_reset_password(self, next=None, log=None):  # noqa: A002
        form = self._email_form(self.messages.password_reset_button,
                                next or self.settings.request_reset_password_next)
        if self._process(form, "request_reset_password"):
            if not self.settings.mailer:
                current.response.flash = self.messages.unable_send_email
                return form
            user = self._find_user_by_email(form.vars.email)
            if user and not self._account_problem(user):
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
        age = reset_key_age(key) if key else None
        if age is None or age > self.settings.reset_password_expiration:
            return None
        table = self.table_user()
        return self.db(table.reset_password_key == key).select(limitby=(0, 1)).first()

    def reset_password(self, next=None, log=None):  # noqa: A002
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
            verified_by_mail = user.registration_key not in ("pending", "disabled", "blocked")
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

    def change_password(self, next=None, onvalidation=None, onaccept=None, log=None):  # noqa: A002
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

    def retrieve_username(self, next=None, log=None):  # noqa: A002
        if "username" not in self.table_user().fields:
            raise HTTP(404, "not found")
        form = self._email_form(self.messages.submit_button,
                                next or self.settings.retrieve_username_next)
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

    # profile and the rest -------------------------------------------------------------------

    def _profile_field_names(self):
        table = self.table_user()
        return self.settings.profile_fields or [
            name for name in table.fields if table[name].writable and table[name].readable
            and name not in ("id", "password")]

    def profile(self, next=None, onvalidation=None, onaccept=None, log=None):  # noqa: A002
        from server.forms import SQLFORM

        self._require_login()
        table = self.table_user()
        form = SQLFORM(table, self.user.id, fields=self._profile_field_names(),
                       submit_button=self.messages.profile_save_button, showid=False,
                       **self._hidden_next(next or self.settings.profile_next))
        form.process(formname="profile", onsuccess=None,
                     onvalidation=onvalidation or self.settings.profile_onvalidation,
                     session=current.session if self.csrf_prevention else None)
        if form.accepted:
            self.user.update(self.session_user(table(self.user.id)))
            self.log_event(log or self.messages.profile_log, dict(id=self.user.id))
            call_each(onaccept or self.settings.profile_onaccept, form)
            self._finish(self.messages.profile_updated, next or self.settings.profile_next)
        return form

    def groups(self):
        """The roles of the logged-in user, as a list."""
        from yatl.helpers import LI, UL

        self._require_login()
        return UL(*[LI(role) for role in sorted(self.update_groups().values())],
                  _class="auth_groups")

    def impersonate(self, user_id=None):
        """``user/impersonate/<id>``: act as another user (needs the 'impersonate' permission on
        auth_user); ``user/impersonate/0`` goes back to being oneself."""
        from server.forms import SQLFORM

        self._require_login()
        if user_id is None:
            user_id = current.request.args(1, cast=int)
        if user_id == 0:
            return self._stop_impersonating()
        table = self.table_user()
        if not self.has_permission("impersonate", table, user_id):
            self.deny_access()
        target = table(user_id) or self.deny_access()
        impersonator = Storage(current.session.auth)
        self.log_event(self.messages.impersonate_log, dict(id=self.user_id, other_id=user_id))
        self.login_user(target)
        current.session.auth.impersonator = impersonator
        return SQLFORM(table, user_id, readonly=True, fields=self._profile_field_names())

    def _stop_impersonating(self):
        session = current.session
        original = session.auth.impersonator if session.auth else None
        if not original:
            self.deny_access()
        renew = getattr(session, "renew", None)
        if callable(renew):
            renew(clear_session=False)
        session.auth = original
        self.user = original.user
        self._finish(None, self.settings.logged_url)

    def not_authorized(self):
        """web2py's page for a refused user (200, the app's view can dress it); ajax gets 403."""
        if current.request.ajax:
            raise HTTP(403, "ACCESS DENIED")
        return self.messages.access_denied
