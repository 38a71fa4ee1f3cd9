"""web2py's ``Auth``: users, login state in the session, tables, and the ``auth()`` dispatcher.

    auth = Auth(db)
    auth.define_tables(username=False, signature=False)
    def user(): return dict(form=auth())
"""

from __future__ import annotations

import datetime
import uuid
from typing import TYPE_CHECKING, Any

from server.auth import passwords, tables
from server.auth.access import AccessControl
from server.auth.decorators import AccessDecorators, safe_next
from server.auth.legacy import LegacyAuthActions
from server.auth.login_pages import LoginPages
from server.auth.mail import Mail
from server.auth.navbar import navbar
from server.auth.password_pages import PasswordPages
from server.auth.profile_pages import ProfilePages
from server.auth.registration_pages import RegistrationPages
from server.auth.texts import default_messages
from server.auth.urls import url_settings
from server.auth.web2py_settings import web2py_settings
from server.current import current
from server.hosting import host_names as host_names_module
from server.http import HTTP, redirect
from server.storage import Storage

if TYPE_CHECKING:
    from pydal import DAL
    from pydal.objects import Row, Table

# what ``auth()`` dispatches to from request.args(0)
ACTIONS = ("login", "logout", "register", "profile", "change_password",
           "request_reset_password", "reset_password", "verify_email", "retrieve_username",
           "not_authorized", "groups", "impersonate", "retrieve_password")

# registration_key values that mean "this account may not log in" (others: pending email check)
PENDING, DISABLED, BLOCKED = "pending", "disabled", "blocked"


TABLE_KINDS = ("user", "group", "membership", "permission", "event", "cas")


class AuthSettings(Storage):
    """``auth.settings``. After ``define_tables`` on a db without ``lazy_tables``,
    ``settings.table_user`` (group, membership, permission, event, cas) is the table, as in
    web2py; it is read from the db when first asked for, so a request that never asks does not
    build the table (see :mod:`server.deferred_tables`). A value the app sets wins."""

    __slots__ = ("tables_db",)

    def get(self, key: Any, default: Any = None) -> Any:
        value = dict.get(self, key, default)
        if value is None and key in _TABLE_KEYS:
            db = object.__getattribute__(self, "tables_db")
            name = dict.get(self, f"{key}_name")
            if db is not None and name in db.tables:
                return db[name]
        return value

    def __getattr__(self, key: str) -> Any:  # Storage's, in one step: read on every page
        if key in _TABLE_KEYS:
            return self.get(key)
        if key.startswith("__") and key.endswith("__"):
            raise AttributeError(key)
        return dict.get(self, key)

    __getitem__ = get


_TABLE_KEYS = frozenset(f"table_{kind}" for kind in TABLE_KINDS)


def _settings_defaults() -> dict:
    """Every default of ``auth.settings``; the first four each Auth is given."""
    return dict(
        **web2py_settings(),
        controller=None, function=None, hmac_key=None, url_index=None,
        table_user_name="auth_user", table_group_name="auth_group",
        table_membership_name="auth_membership", table_permission_name="auth_permission",
        table_event_name="auth_event", table_cas_name="auth_cas", extra_fields={},
        ondelete="CASCADE", password_min_length=passwords.MIN_LENGTH,
        password_digest_alg=passwords.DIGEST_ALG, email_case_sensitive=False,
        registration_requires_verification=False, registration_requires_approval=False,
        login_after_registration=False, login_after_password_change=True,
        create_user_groups="user_%(id)s", everybody_group_id=None,
        expiration=3600, long_expiration=3600 * 24 * 30, remember_me_form=True,
        allow_basic_login=False, keep_session_onlogin=True, keep_session_onlogout=False, log_events=True,
        reset_password_expiration=24 * 3600, register_fields=None, profile_fields=None,
        login_max_failures=5, login_failure_window=300, login_lockout=30,
        login_max_lockout=900, actions_disabled=[], on_failed_authorization=None,
        login_onvalidation=[], login_onaccept=[], login_onfail=[], register_onvalidation=[],
        register_onaccept=[], profile_onvalidation=[], profile_onaccept=[],
        change_password_onvalidation=[], change_password_onaccept=[], logout_onlogout=None,
        formstyle=None, label_separator=None, hideerror=False,
    )


# made once; each Auth copies it, with lists and dicts of its own (apps append callbacks)
_DEFAULTS = _settings_defaults()
_CONTAINERS = tuple((name, type(value), value) for name, value in _DEFAULTS.items()
                    if isinstance(value, (list, dict)))


def default_settings(controller: str, function: str, hmac_key: str | None,
                     url_index: str | None) -> AuthSettings:
    settings = AuthSettings(_DEFAULTS)
    # every container in the defaults is flat: a shallow copy is one
    settings.update({name: kind(value) for name, kind, value in _CONTAINERS})
    settings.update(controller=controller, function=function, hmac_key=hmac_key,
                    url_index=url_index)
    object.__setattr__(settings, "tables_db", None)
    return settings


class Auth(AccessControl, AccessDecorators, LoginPages, RegistrationPages, PasswordPages,
           ProfilePages, LegacyAuthActions):
    """Authentication and role based access control with web2py's API."""

    def __init__(self, db: DAL | dict | None = None, mailer: Mail | bool | None = True,
                 hmac_key: str | None = None, controller: str = "default",
                 function: str = "user", cas_provider: str | None = None, signature: bool = True,
                 secure: bool = False, csrf_prevention: bool = True,
                 propagate_extension: str | None = None, url_index: str | None = None,
                 host_names: list[str] | None = None, **_unused: object) -> None:
        if isinstance(db, dict) and not hasattr(db, "define_table"):  # Auth(globals(), db)
            db = mailer if hasattr(mailer, "define_table") else db.get("db")
            mailer = True
        self.db = db
        self.csrf_prevention = csrf_prevention
        self.settings = default_settings(controller, function, hmac_key, url_index)
        self.messages = default_messages()
        self.settings.login_methods, self.settings.login_form = [self], self
        request = getattr(current, "request", None)
        if request is not None:
            url_settings(self.settings, request)
            self._require_https(secure)
            self._check_host(host_names)
        self.settings.mailer = Mail() if mailer is True else (mailer or None)
        self._user_groups = {}
        self.user = self._user_from_session()
        self.signature = tables.make_signature(self) if signature and db is not None else None

    # tables -------------------------------------------------------------------------------

    def define_tables(self, username: bool = False, signature: bool | None = None,
                      migrate: bool | str | None = None,
                      fake_migrate: bool | None = None) -> Auth:
        """Create auth_user, auth_group, auth_membership, auth_permission, auth_event, auth_cas.

        ``migrate``/``fake_migrate`` default to the DAL's own setting.
        """
        settings = self.settings
        migrate = self.db._migrate if migrate is None else migrate
        fake_migrate = self.db._fake_migrate if fake_migrate is None else fake_migrate
        if signature and self.signature is None:
            self.signature = tables.make_signature(self)
        tables.define_all(self, bool(username), bool(signature), migrate, fake_migrate)
        if not self.db._lazy_tables and isinstance(settings, AuthSettings):
            object.__setattr__(settings, "tables_db", self.db)  # settings.table_user etc.
        elif not self.db._lazy_tables:  # an app's own settings object: named now, as web2py
            for kind in TABLE_KINDS:
                settings[f"table_{kind}"] = self.db[settings[f"table_{kind}_name"]]
        return self

    def table_user(self) -> Table:
        return self.db[self.settings.table_user_name]

    def table_group(self) -> Table:
        return self.db[self.settings.table_group_name]

    def table_membership(self) -> Table:
        return self.db[self.settings.table_membership_name]

    def table_permission(self) -> Table:
        return self.db[self.settings.table_permission_name]

    def table_event(self) -> Table:
        return self.db[self.settings.table_event_name]

    def table_cas(self) -> Table:
        return self.db[self.settings.table_cas_name]

    # login state --------------------------------------------------------------------------

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user else None

    @property
    def user_groups(self) -> dict[int, str]:
        state = self._session_state()
        return (state.user_groups if state is not None else None) or self._user_groups

    def is_logged_in(self) -> bool:
        return bool(self.user)

    def is_impersonating(self) -> bool:
        state = self._session_state()
        return bool(state and state.impersonator)

    def _session_state(self):
        session = getattr(current, "session", None)
        return session.auth if session is not None else None

    def _user_from_session(self):
        """The logged-in user, unless the login has expired (then the session forgets it)."""
        session = getattr(current, "session", None)
        state = session.auth if session is not None else None
        if not state or not state.user:
            return None
        now = tables.request_now()
        if state.last_visit + datetime.timedelta(seconds=state.expiration) < now:
            session.auth = None
            if getattr(current, "response", None) is not None:
                current.response.flash = self.messages.session_expired
            return None
        if (now - state.last_visit).total_seconds() > state.expiration / 10:
            state.last_visit = now  # refresh now and then, not on every request
        self._keep_cookie_alive(state)
        return state.user

    @staticmethod
    def _keep_cookie_alive(state):
        """"Remember me" logins ask for a session cookie that outlives the browser."""
        response = getattr(current, "response", None)
        if state.remember_me and response is not None:
            response.session_cookie_expires = state.expiration

    def _check_host(self, host_names) -> None:
        """403 for a Host outside ``host_names`` (default: the hosts the server was started
        on); the host that passed is the one absolute Auth URLs (mail links) carry."""
        request = current.request
        names = list(host_names or request.environ.get(host_names_module.ENVIRON_KEY) or [])
        self.settings.host_names = names
        self.settings.host = host_names_module.select_host(request.environ.get("HTTP_HOST"),
                                                           names)

    @staticmethod
    def _require_https(secure):
        """``secure=True``: remote clients must use HTTPS; local ones (the desktop's own
        browser) may use plain HTTP. Over HTTPS the session cookie is already Secure."""
        request = current.request
        if secure and not request.is_https and not request.is_local:
            raise HTTP(403, "This page requires HTTPS")

    def session_user(self, user: Row | dict) -> Storage:
        """What the session keeps of a user row: every field but the secrets."""
        table = self.table_user()
        secrets = {"password", "registration_key", "reset_password_key"}
        return Storage({name: user[name] for name in table.fields
                        if name not in secrets and name in user})

    def login_user(self, user: Row | dict, remember_me: bool = False) -> None:
        """Log ``user`` in: renew the session id (no fixation) and remember the user in it."""
        session = current.session
        renew = getattr(session, "renew", None)
        if callable(renew):
            renew(clear_session=not self.settings.keep_session_onlogin)
        expiration = self.settings.long_expiration if remember_me else self.settings.expiration
        session.auth = Storage(user=self.session_user(user), last_visit=tables.request_now(),
                               expiration=expiration, remember_me=bool(remember_me),
                               hmac_key=uuid.uuid4().hex, user_groups={})
        self.user = session.auth.user
        self.update_groups()
        self._keep_cookie_alive(session.auth)

    def logout_user(self) -> None:
        """Forget the user and give the browser a fresh session id."""
        session = current.session
        session.auth = None
        self.user = None
        self._user_groups = {}
        renew = getattr(session, "renew", None)
        if callable(renew):
            renew(clear_session=not self.settings.keep_session_onlogout)

    # the user() action --------------------------------------------------------------------

    def __call__(self) -> Any:
        """Serve ``user/<action>``: the action named by ``request.args(0)``; others are 404."""
        request = current.request
        action = request.args(0)
        if action is None:
            redirect(self.url("login", vars=request.get_vars))
        if action not in ACTIONS or action in (self.settings.actions_disabled or []):
            raise HTTP(404, "not found")
        return getattr(self, action)()

    def next_url(self, default: str) -> str:
        """``_next`` from the request when it points into this site, else ``default``."""
        request = current.request
        return safe_next(request.vars._next) or default

    def url(self, action: str | None = None, args: object = (),
            vars: dict | None = None, scheme: bool | str = False) -> str:  # noqa: A002
        """The URL of an Auth page, e.g. ``auth.url('login')``."""
        from server.routing import URL

        parts: list = [action] if action else []
        parts += list(args) if isinstance(args, (list, tuple)) else [args]
        host = self.settings.host if scheme and self.settings.host_names else None
        return URL(self.settings.controller, self.settings.function, args=parts,
                   vars=vars or {}, scheme=scheme, host=host)

    def wiki(self, slug: str | None = None, env: dict | None = None, render: object = "markmin",
             manage_permissions: bool = False, force_prefix: str = "",
             restrict_search: bool = False, resolve: bool = True, extra: dict | None = None,
             menu_groups: list[str] | None = None, templates: object = None,
             migrate: bool = True, controller: str | None = None, function: str | None = None,
             force_render: bool = False, groups: list[str] | None = None) -> Any:
        """web2py's built-in wiki (``server.wiki``): ``return auth.wiki()`` serves it from an
        action; ``auth.wiki(resolve=False)`` in a model only sets it up, so a view can show
        one page with ``{{=auth.wiki('slug')}}``."""
        from server.wiki.wiki import auth_wiki

        return auth_wiki(self, slug=slug, resolve=resolve, force_render=force_render, env=env,
                         extra=extra, controller=controller, function=function, render=render,
                         manage_permissions=manage_permissions, force_prefix=force_prefix,
                         restrict_search=restrict_search, menu_groups=menu_groups,
                         templates=templates, migrate=migrate, groups=groups)

    def wikimenu(self) -> None:
        """In a model: the wiki's menu joins ``response.menu`` on every page of the app."""
        from server.wiki.wiki import wikimenu

        wikimenu(self)

    def navbar(self, prefix: str = "Welcome", action: str | None = None,
               separators: tuple[str, str, str] = (" [ ", " | ", " ] "),
               user_identifier: str | None = None, referrer_actions: list[str] | None = None,
               mode: str = "default") -> object:
        """Links to log in/out, register, profile: a SPAN, or LI items for ``mode='dropdown'``."""
        return navbar(self, prefix, separators, user_identifier, mode)
