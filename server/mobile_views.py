"""web2py's ``@mobilize``: an action answers phones with its ``.mobile`` view
(``default/index.mobile.html`` beside ``default/index.html``) when the app has one."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from typing import Any

from server.current import current


def mobile_view(view: str) -> str:
    """``default/index.html`` -> ``default/index.mobile.html``."""
    stem, dot, extension = view.rpartition(".")
    return f"{stem}.mobile.{extension}" if dot else f"{view}.mobile"


def mobilize(action: Callable[[], Any]) -> Callable[[], Any]:
    """Decorate an action so a mobile client (``request.user_agent().is_mobile``) gets the
    mobile variant of its view; other clients, or an app without that file, the usual one."""

    @functools.wraps(action)
    def dispatch():
        request, response = current.request, current.response
        if response.view and request.user_agent().is_mobile:
            candidate = mobile_view(response.view)
            if os.path.isfile(os.path.join(request.folder, "views", candidate)):
                response.view = candidate
        return action()

    return dispatch
