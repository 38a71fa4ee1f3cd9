"""web2py's ``gluon.contrib.user_agent_parser``: ``detect`` and ``simple_detect``
(httpagentparser, the library web2py's module grew from)."""

from httpagentparser import simple_detect

from server.user_agent import detect, parse

__all__ = ["detect", "parse", "simple_detect"]
