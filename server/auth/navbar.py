"""``auth.navbar()``: the log in / sign up or profile / log out links of a layout.

Modes: ``default`` (a SPAN of links), ``dropdown`` (a Bootstrap LI dropdown), ``asmenu``
(a list of ``response.menu``-style items).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.current import current
from server.helpers import CAT, LI, SPAN, UL, A

if TYPE_CHECKING:
    from server.auth.auth import Auth


def _links(auth, referrer) -> list[tuple[str, str]]:
    """(label, url) pairs for the visitor: account pages when logged in, else the way in."""
    disabled = auth.settings.actions_disabled or []
    if auth.is_logged_in():
        candidates = [("Profile", "profile"), ("Password", "change_password"),
                      ("Log Out", "logout")]
    else:
        candidates = [("Log In", "login"), ("Sign Up", "register"),
                      ("Lost password?", "request_reset_password")]
    links = []
    for label, action in candidates:
        if action in disabled:
            continue
        wants_return = action in ("login", "register") and referrer
        links.append((label, auth.url(action, vars={"_next": referrer} if wants_return else None)))
    return links


def _referrer() -> str | None:
    """The current page, so that logging in from it comes back to it."""
    request = getattr(current, "request", None)
    if request is None or request.args(0) in ("login", "register", "logout"):
        return None
    from server.routing import URL

    return URL(args=request.args, vars=request.get_vars)


def _translate(text):
    translate = getattr(current, "T", None)
    return translate(text) if translate is not None else text


def _who(auth, user_identifier):
    if user_identifier:
        return user_identifier % auth.user
    return auth.user.get("username") or auth.user.first_name


def navbar(auth: Auth, prefix: str, separators: tuple[str, str, str],
           user_identifier: str | None, mode: str | None) -> object:
    links = [(_translate(label), url) for label, url in _links(auth, _referrer())]
    name = _who(auth, user_identifier) if auth.is_logged_in() else None
    if mode == "asmenu":  # MENU's (title, active, url, submenu) items
        return [(label, False, url, []) for label, url in links]
    if mode == "dropdown":
        title = f"{_translate(prefix)} {name}" if name else _translate("Log In")
        items = [LI(A(label, _href=url, _class="dropdown-item")) for label, url in links]
        return LI(A(title, _href="#", _class="nav-link dropdown-toggle",
                    **{"_data-bs-toggle": "dropdown", "_aria-expanded": "false"}),
                  UL(*items, _class="dropdown-menu"), _class="nav-item dropdown auth_navbar")
    opening, between, closing = separators
    parts = [f"{_translate(prefix)} {name}"] if name else []
    parts.append(opening)
    for position, (label, url) in enumerate(links):
        if position:
            parts.append(between)
        parts.append(A(label, _href=url))
    parts.append(closing)
    return SPAN(CAT(*parts), _class="auth_navbar")
