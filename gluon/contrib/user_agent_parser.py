"""web2py's ``gluon.contrib.user_agent_parser``: ``detect``, ``simple_detect`` (httpagentparser,
the library web2py's module grew from) and the ``mobilize`` decorator."""

from httpagentparser import simple_detect

from server.mobile_views import mobilize
from server.toolkit.user_agent import detect, parse

__all__ = ["detect", "mobilize", "parse", "simple_detect"]
