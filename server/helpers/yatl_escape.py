"""One safety fix to yatl's own helpers (which a few modules and apps still build), applied on import.

yatl escapes an attribute value only when it is a ``str``; any other object is written with
``str(value)`` unescaped. A lazy ``T(...)`` (or any object whose text may carry user input, e.g.
``INPUT(_placeholder=T('Hi %s', name))``) would then break out of its attribute. The fix makes
yatl escape the text of every value that is not a number, so the helpers can't emit unescaped
attribute text.
"""

from __future__ import annotations

from typing import Any

import yatl.helpers
from yatl.sanitizer import xmlescape

_yatl_escape = yatl.helpers.escape


def escape_attribute(value: Any) -> str:
    """The escaped text of any attribute value (numbers need none)."""
    if isinstance(value, (str, bytes)):
        return _yatl_escape(value)
    if isinstance(value, (int, float)):
        return str(value)
    return xmlescape(str(value))


if yatl.helpers.escape is not escape_attribute:
    yatl.helpers.escape = escape_attribute
