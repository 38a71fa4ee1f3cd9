"""``user/profile``, ``user/groups``, ``user/impersonate`` and ``user/not_authorized``."""

from __future__ import annotations

from typing import Any

from server.auth.page_forms import AuthPageForms, call_each
from server.current import current
from server.http import HTTP
from server.storage import Storage


class ProfilePages(AuthPageForms):
    """Mixin for :class:`server.auth.Auth`."""

    def _profile_field_names(self):
        table = self.table_user()
        return self.settings.profile_fields or [
            name for name in table.fields if table[name].writable and table[name].readable
            and name not in ("id", "password")]

    def profile(self, next: Any = None, onvalidation: Any = None,  # noqa: A002
                onaccept: Any = None, log: Any = None) -> Any:
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

    def groups(self) -> Any:
        """The roles of the logged-in user, as a list."""
        from server.helpers import LI, UL

        self._require_login()
        return UL(*[LI(role) for role in sorted(self.update_groups().values())],
                  _class="auth_groups")

    def impersonate(self, user_id: int | None = None) -> Any:
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
            raise HTTP(403, str(self.messages.access_denied))  # web2py: 403, never a redirect
        target = table(user_id) or self.deny_access()
        impersonator = Storage(current.session.auth)
        self.log_event(self.messages.impersonate_log, dict(id=self.user_id, other_id=user_id))
        self.login_user(target)
        current.session.auth.impersonator = impersonator
        return SQLFORM(table, user_id, readonly=True, fields=self._profile_field_names())

    def _stop_impersonating(self):
        session = current.session  # logged in: session.auth is there
        original = session.auth.impersonator
        if not original:
            raise HTTP(403, str(self.messages.access_denied))
        session.renew(clear_session=False)
        session.auth = original
        self._finish(None, self.settings.logged_url)

    def not_authorized(self) -> Any:
        """web2py's page for a refused user (200, the app's view can dress it); ajax gets 403."""
        if current.request.ajax:
            raise HTTP(403, "ACCESS DENIED")
        return self.messages.access_denied
