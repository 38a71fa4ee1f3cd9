"""``request.user_agent()``: the browser, OS and device class a User-Agent header names.

The parsing is httpagentparser's (the library web2py's ``gluon.contrib.user_agent_parser`` grew
from; both give the same dictionaries). web2py's additions on top: nested dictionaries as
Storages and ``is_mobile``/``is_tablet`` from the header's own words. web2py caches the result
in the session; Pocketweb caches it on the request, so reading it never creates a session.
"""

from __future__ import annotations

import httpagentparser

from server.storage import Storage


def detect(agent: str) -> dict:
    """``{'os': {...}, 'browser': {'name', 'version'}, 'platform': {...}, 'bot': bool, ...}``."""
    return httpagentparser.detect(agent or "")


def parse(agent: str) -> Storage:
    """web2py's ``request.user_agent()`` value for one header."""
    parsed = Storage({key: Storage(value) if isinstance(value, dict) else value
                      for key, value in detect(agent).items()})
    parsed.is_mobile = "Mobile" in (agent or "")
    parsed.is_tablet = "Tablet" in (agent or "")
    return parsed

