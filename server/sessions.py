"""``session``: per-user values the framework loads before the models and saves after the action.

Where they are kept is :mod:`server.session_stores`' job; this module is the object apps see
(web2py's API: ``connect``, ``forget``, ``renew``, ``secure``, ``is_new``) and the bookkeeping
the request's :class:`~server.context.Context` ends with :meth:`Session._finish`.
"""

from __future__ import annotations

import datetime
import hashlib
import pickle
from typing import TYPE_CHECKING, Any

from server.backends.cookie_session_store import CookieSessionStore
from server.session_stores import DatabaseSessionStore, FileSessionStore, new_session_id
from server.storage import Storage

if TYPE_CHECKING:
    from server.request import Request
    from server.response import Response

SessionStore = FileSessionStore | DatabaseSessionStore


def digest(data: dict) -> str:
    return hashlib.sha1(pickle.dumps(dict(data), pickle.HIGHEST_PROTOCOL)).hexdigest()


EMPTY_DIGEST = digest({})


def _chooses_ids(store) -> bool:
    """Whether ``store.save`` picks the session's id (a record's, or the cookie itself)."""
    return getattr(store, "chooses_ids", False)


class SessionState:
    """What the framework keeps about a session beside its values (never stored)."""

    __slots__ = ("request", "response", "cookie_name", "store", "forgotten", "secure",
                 "renewed_from", "id", "original")

    def __init__(self, request: Request, response: Response, store: SessionStore):
        self.request = request
        self.response = response
        self.cookie_name = f"session_id_{request.application}"
        self.store: Any = store  # file, database, cookie or Redis: each has load, save, release
        self.forgotten = False
        self.secure: bool = request.is_https
        self.renewed_from: str | None = None
        self.id: str | None = None
        self.original = EMPTY_DIGEST


def _cookie_value(request: Request, name: str) -> str | None:
    """The value of the request's cookie ``name``. Most requests send no cookie of that name,
    which one look at the header's text tells, so their cookies are not parsed for it."""
    if "cookies" not in request.__dict__:  # not parsed yet (nor set by a test harness)
        header = request.environ.get("HTTP_COOKIE")
        if not header or name not in header:
            return None
    morsel = request.cookies.get(name)
    return morsel.value if morsel else None


class Session(Storage):
    """web2py's ``session``: a Storage that the framework loads and saves around each request.

    Until :meth:`_start` runs (a session made outside a request), the API calls do nothing.
    """

    def _state(self) -> SessionState | None:
        return self.__dict__.get("_session_state")

    # ----- framework side -------------------------------------------------------------------
    def _start(self, request: Request, response: Response, store: FileSessionStore) -> None:
        """Load this user's session from the file store (called before the models run)."""
        state = self.__dict__["_session_state"] = SessionState(request, response, store)
        self._load_from_cookie(state)
        response.session_id_name = state.cookie_name
        if self and self.get("flash"):  # most requests: no session, nothing to look at
            response.flash, self["flash"] = self["flash"], None

    def _load_from_cookie(self, state: SessionState) -> None:
        candidate = _cookie_value(state.request, state.cookie_name)
        data = state.store.load(candidate) if candidate is not None and \
            state.store.valid_id(candidate) else None
        if self:
            self.clear()
        if data is not None:
            self.update(data)
            state.id = candidate
        state.original = digest(self) if self else EMPTY_DIGEST  # most requests: no session
        state.response.session_id = state.id

    def _finish(self) -> None:
        """Save if changed (and not forgotten), set the cookie, release the lock."""
        state = self._state()
        if state is None:
            return
        try:
            if not state.forgotten and self._changed(state):
                self._save(state)
            if state.id:
                self._set_cookie(state)
        finally:
            state.store.release()

    def _changed(self, state: SessionState) -> bool:
        if state.renewed_from is not None:
            return True
        if not self:  # what digest(self) would say, without pickling and hashing it
            return state.original != EMPTY_DIGEST
        return digest(self) != state.original  # a new session that stayed empty: unchanged

    def _save(self, state: SessionState) -> None:
        if state.renewed_from:
            state.store.delete(state.renewed_from)
        if _chooses_ids(state.store):
            state.id = state.store.save(state.id, self, state.request.client)
        else:
            state.id = state.id or new_session_id()
            state.store.save(state.id, self)
        state.response.session_id = state.id

    def _set_cookie(self, state: SessionState) -> None:
        cookies = state.response.cookies
        cookies[state.cookie_name] = state.id
        morsel = cookies[state.cookie_name]
        morsel["path"] = "/"
        morsel["httponly"] = True
        morsel["samesite"] = "Lax"
        if state.secure:
            morsel["secure"] = True
        lifetime = state.response.session_cookie_expires
        if lifetime:  # "remember me": the cookie outlives the browser
            if isinstance(lifetime, datetime.datetime):
                lifetime = (lifetime - datetime.datetime.now()).total_seconds()
            morsel["max-age"] = max(0, int(lifetime))

    # ----- application side (web2py's API) ---------------------------------------------------
    def connect(self, request: Request | None = None, response: Response | None = None,
                db: Any = None, tablename: str = "web2py_session", masterapp: str | None = None,
                migrate: bool = True, separate: Any = None, check_client: bool = False,
                cookie_key: str | None = None, cookie_expires: Any = None,
                compression_level: int | None = None) -> None:
        """Move this session into the client's cookie (``cookie_key``), Redis (``db=`` what
        ``RedisSession`` returns) or ``db`` (table ``<tablename>_<app>``); else keep files.

        ``check_client``: a database session is only loaded for the address it was made from
        (web2py's guard against a stolen cookie)."""
        state = self._state()
        if db is None and not cookie_key:
            return
        if state is None:  # models run outside a request (the desktop): remember the choice
            self.__dict__["_connected_to"] = (db, cookie_key)
            return
        state.store.release()
        application = state.request.application
        if cookie_key:
            state.store = CookieSessionStore(cookie_key, compression_level)
            state.cookie_name = f"session_data_{application}"
            state.response.session_data_name = state.cookie_name  # type: ignore[attr-defined]
            if cookie_expires:
                state.response.session_cookie_expires = cookie_expires
        elif hasattr(db, "session_store"):
            state.store = db.session_store(application)
        else:
            state.store = DatabaseSessionStore(db, f"{tablename}_{application}",
                                               state.request.client if check_client else None)
        self._load_from_cookie(state)

    def forget(self, response: Response | None = None) -> None:
        """Do not save this session at the end of the request."""
        state = self._state()
        if state is not None:
            state.forgotten = True

    def renew(self, clear_session: bool = False) -> None:
        """Give the session a new id (after login, against fixation); optionally empty it."""
        state = self._state()
        if clear_session:
            self.clear()
        if state is not None:
            state.renewed_from = state.renewed_from or state.id
            state.id = None  # the next save gives it a new one

    def secure(self) -> None:
        """Send the session cookie only over HTTPS."""
        state = self._state()
        if state is not None:
            state.secure = True

    def is_new(self) -> bool:
        state = self._state()
        return state is None or not state.id
