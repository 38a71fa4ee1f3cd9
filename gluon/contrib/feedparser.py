"""web2py's ``gluon.contrib.feedparser``: the maintained ``feedparser`` package."""

from feedparser import *  # noqa: F401,F403
from feedparser import parse  # noqa: F401
