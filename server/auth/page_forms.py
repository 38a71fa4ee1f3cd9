"""What the pages behind ``auth()`` share: their SQLFORM, where they go next, finding a user.

Every page is a SQLFORM with a CSRF formkey; wrong input comes back as form errors. The pages
themselves are mixins of :class:`server.auth.Auth` in ``login_pages``, ``registration_pages``,
``password_pages`` and ``profile_pages``.
"""

from __future__ import annotations

from typing import Any, NoReturn

from pydal import Field
from pydal.validators import IS_EMAIL, IS_NOT_EMPTY

from server.auth.passwords import password_matches
from server.current import current
from server.http import redirect
from server.routing import URL

# registration keys that bar an account (any other non-empty key awaits the mailed check)
BARRED_KEYS = ("pending", "disabled", "blocked")


def call_each(callbacks: Any, *args: Any) -> None:
    """Run a web2py callback setting: one callable or a list of them."""
    if callable(callbacks):
        callbacks = [callbacks]
    for callback in callbacks or []:
        callback(*args)


def index_url(settings: Any, request: Any = None) -> str:
    """Where Auth's pages go after an action unless told otherwise: ``url_index``, else the
    index of Auth's controller (in ``request``'s app; default: the current request's)."""
    return settings.url_index or URL(settings.controller, "index", r=request)


def autocomplete(form: Any, **hints: str) -> None:
    """Tell password managers which input holds what (existing password, account name)."""
    for name, hint in hints.items():
        element = form.element(f"input[name={name}]")
        if element is not None:
            element["_autocomplete"] = hint


class AuthPageForms:
    """Mixin for :class:`server.auth.Auth`: the helpers of its pages."""

    # provided by Auth and its other mixins
    db: Any
    settings: Any
    messages: Any
    csrf_prevention: bool
    user: Any
    user_id: Any
    url: Any
    log_event: Any
    next_url: Any
    table_user: Any
    is_logged_in: Any
    login_user: Any
    logout_user: Any
    session_user: Any
    deny_anonymous: Any
    deny_access: Any
    has_permission: Any
    add_group: Any
    add_membership: Any
    update_groups: Any

    def _form(self, *fields, submit, **attributes):
        from server.forms import SQLFORM

        options = {key: value for key, value in (("formstyle", self.settings.formstyle),
                                                   ("separator", self.settings.label_separator))
                   if value is not None}
        return SQLFORM.factory(*fields, submit_button=submit, table_name="auth", **options,
                               **attributes)

    def _add_captcha(self, form: Any, page: str) -> None:
        """Add the page's captcha row above the submit button, as web2py does: the page's own
        ``auth.settings.<page>_captcha``, else ``auth.settings.captcha`` unless the page's is
        ``False`` (registration always falls back to ``captcha``). The captcha checks itself
        when the form is posted (``Recaptcha2`` asks Google), so a wrong answer is a form
        error."""
        from server.toolkit.form_tools import addrow

        own = self.settings.get(f"{page}_captcha")
        captcha = own or ((page == "register" or own is not False) and self.settings.captcha)
        if captcha:
            addrow(form, captcha.label, captcha, captcha.comment, self.settings.formstyle,
                   "captcha__row")

    def _process(self, form, formname, onvalidation=None):
        form.process(formname=formname, onvalidation=onvalidation, dbio=False, onsuccess=None,
                     hideerror=self.settings.hideerror,
                     session=current.session if self.csrf_prevention else None)
        return form.accepted

    def _finish(self, message: Any, next_url: Any) -> NoReturn:
        """Flash ``message`` across the redirect to ``_next`` (when safe) or ``next_url``."""
        if message:
            current.session.flash = message
        redirect(self._next_target(next_url))

    def _next_target(self, next_url) -> str:
        """Where an action goes next, as web2py reads ``next``: the posted ``_next`` when it
        stays on this site; else ``next_url`` (the first of a list; a bare name is an Auth
        action, ``next='profile'`` is ``auth.url('profile')``); a setting left empty
        (``None``, ``[]``) is the app's index, never a ``Location: None``)."""
        if isinstance(next_url, (list, tuple)):
            next_url = next_url[0] if next_url else None
        if callable(next_url):
            next_url = next_url()
        if not next_url:
            next_url = index_url(self.settings)
        elif not str(next_url).startswith(("/", "http://", "https://")):
            next_url = self.url(str(next_url))
        return self.next_url(next_url)

    def _hidden_next(self, next_url) -> dict:
        """web2py renders the resolved ``_next`` as a hidden input of every Auth form."""
        return {"hidden": {"_next": self._next_target(next_url)}}

    def _password_field(self, name="password", label=None):
        return Field(name, "password", label=label or self.messages.label_password,
                     requires=IS_NOT_EMPTY(error_message=self.messages.is_empty))

    def _check_hashed(self, form, name):
        """CRYPT lets its "******" placeholder through as None: that is no password."""
        if name not in form.errors and form.vars.get(name) is None:
            form.errors[name] = self.messages.is_empty

    def verify_password(self, user: Any, password: Any) -> bool:
        """Compare a typed password with the stored salted hash (in the same time when there is
        no such user: a dummy hash is checked)."""
        return password_matches(user.password if user else None, password,
                                self.settings.hmac_key, self.settings.password_digest_alg)

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

    def _email_form(self, submit, next_url):
        field = Field("email", label=self.messages.label_email,
                      requires=IS_EMAIL(error_message=self.messages.invalid_email))
        return self._form(field, submit=submit, **self._hidden_next(next_url))

    def _user_by_email(self, form):
        """onvalidation: the typed email must belong to an account that may log in."""
        user = self._find_user_by_email(form.vars.email)
        if not user:
            form.errors.email = self.messages.invalid_email
        elif user.registration_key in BARRED_KEYS:
            form.errors.email = self._account_problem(user)

    def _find_user_by_email(self, email):
        table = self.table_user()
        email = str(email or "")
        if not self.settings.email_case_sensitive:
            email = email.lower()
        return self.db(table.email == email).select(limitby=(0, 1)).first()
