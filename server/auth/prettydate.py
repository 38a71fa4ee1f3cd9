"""``prettydate(d)``: "3 days ago", "in 2 hours" — how web2py apps show timestamps."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

# (seconds in the unit, singular phrase, plural phrase) from the largest unit down
UNITS = (
    (365 * 86400, "1 year", "%d years"),
    (30 * 86400, "1 month", "%d months"),
    (7 * 86400, "1 week", "%d weeks"),
    (86400, "1 day", "%d days"),
    (3600, "1 hour", "%d hours"),
    (60, "1 minute", "%d minutes"),
    (1, "1 second", "%d seconds"),
)


def prettydate(d: Any, T: Callable = lambda text: text,  # noqa: N803 - web2py's keyword
               utc: bool = False) -> Any:
    """How long ago (or from now) ``d`` is, in the largest whole unit; '' for no date."""
    if not isinstance(d, datetime.date):
        return ""
    now = datetime.datetime.utcnow() if utc else datetime.datetime.now()
    if not isinstance(d, datetime.datetime):
        d = datetime.datetime(d.year, d.month, d.day)
        now = datetime.datetime(now.year, now.month, now.day)
    seconds = int((now - d).total_seconds())
    if abs(seconds) < 1:
        return T("now")
    for size, one, many in UNITS:
        count = abs(seconds) // size
        if count:
            phrase = one if count == 1 else many
            template = f"{phrase} ago" if seconds > 0 else f"{phrase} from now"
            return T(template) % count if "%d" in template else T(template)
    return T("now")
