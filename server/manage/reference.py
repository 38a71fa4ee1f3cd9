"""The quick reference of the names every model, controller and view sees (the Help menu's
page): read from the real environment of a request, so the list cannot drift from the code."""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from server.execution import BASE_GLOBALS

# Made per request (not in BASE_GLOBALS): what each one is, as the web2py book describes it.
PER_REQUEST = {
    "request": "the incoming request: args, vars, get_vars, post_vars, env, cookies, "
               "application, controller, function, extension, is_local, is_https",
    "response": "what goes back: title, flash, menu, headers, view, files, cookies; "
                "render(), download(), stream(), json()",
    "session": "the visitor's session, kept between requests (a Storage); forget(), renew()",
    "cache": "cache.ram and cache.disk: cache(key, function, time_expire)",
    "T": "translates a string to the visitor's language: T('Hello %s', name); T.force('it')",
}


@dataclass(frozen=True)
class GlobalName:
    name: str
    kind: str  # "per request", "class", "function", "value"
    summary: str


def _kind(value: object) -> str:
    if inspect.isclass(value):
        return "class"
    return "function" if callable(value) else "value"


def _summary(value: object) -> str:
    doc = inspect.getdoc(value) if inspect.isclass(value) or callable(value) else None
    return doc.strip().splitlines()[0] if doc and doc.strip() else ""


def global_names() -> list[GlobalName]:
    """Every global name of an app's code: the per-request objects first, then the rest A-Z."""
    names = [GlobalName(name, "per request", summary) for name, summary in PER_REQUEST.items()]
    for name in sorted(BASE_GLOBALS, key=str.lower):
        value = BASE_GLOBALS[name]
        names.append(GlobalName(name, _kind(value), _summary(value)))
    return names
