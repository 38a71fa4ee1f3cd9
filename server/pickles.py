"""Reading back pickles this server wrote (sessions, disk cache), tolerant of damage.

A truncated file, one from an older version or one naming a class that is gone can make
unpickling raise almost anything, so every such reader catches ``Exception`` here, in one place.
"""

from __future__ import annotations

import pickle
from typing import Any


def unpickled(raw: bytes, default: Any = None) -> Any:
    """The object pickled in ``raw``, or ``default`` when it cannot be read."""
    try:
        return pickle.loads(raw)  # noqa: S301 - only data this server wrote itself
    except Exception:
        return default
