"""What the debugger shows of a paused frame: each local as a :class:`Variable` (its type, a
short ``repr`` and its parts, a few levels down), read without running the value's own code
beyond its ``repr``."""

from __future__ import annotations

import inspect
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import islice
from types import FrameType
from typing import Any

MAX_CHILDREN = 50
CHILD_DEPTH = 2
_repr = reprlib.Repr()
_repr.maxstring, _repr.maxother, _repr.maxlist, _repr.maxdict = 200, 200, 20, 20


@dataclass(frozen=True)
class Variable:
    """A name in a paused frame: its type, a short repr, and its parts (items, attributes)."""

    name: str
    type: str
    value: str
    children: tuple[Variable, ...] = ()


def describe(name: str, value: Any, depth: int = CHILD_DEPTH) -> Variable:
    """A :class:`Variable` for ``value``, with its parts down to ``depth`` levels."""
    try:
        text = _repr.repr(value[:_repr.maxstring] if isinstance(value, bytes) else value)
    except Exception as exc:  # a broken __repr__ must not break the debugger
        text = f"<repr failed: {type(exc).__name__}>"
    children = tuple(describe(key, part, depth - 1) for key, part in _parts(value)) \
        if depth > 0 else ()
    return Variable(name, type(value).__name__, text, children)


def _parts(value: Any) -> list[tuple[str, Any]]:
    """A value's items or attributes, the first :data:`MAX_CHILDREN`; only containers'
    own ones, read without calling the value's code (no ``items()`` of arbitrary objects,
    whose ``__getattr__`` may answer anything)."""
    try:
        if isinstance(value, (str, bytes, int, float, complex, bool, type(None))):
            return []
        if isinstance(value, (list, tuple)):
            return [(f"[{index}]", item) for index, item in enumerate(value[:MAX_CHILDREN])]
        if isinstance(value, (set, frozenset)):
            return [(f"[{index}]", item) for index, item in
                    enumerate(islice(value, MAX_CHILDREN))]
        if isinstance(value, dict):
            return [(repr(key), item) for key, item in islice(dict.items(value), MAX_CHILDREN)]
        attributes = getattr(value, "__dict__", None)
        if isinstance(attributes, dict) and not callable(value):
            return [(key, item) for key, item in islice(attributes.items(), MAX_CHILDREN)
                    if not key.startswith("__")]
    except Exception:  # an object whose parts cannot be listed has none here
        pass
    return []


def frame_variables(frame: FrameType, names: Mapping) -> tuple[Variable, ...]:
    """The frame's locals; at a module's top level (models, views, a controller's body)
    its data only, not the framework's helpers, classes and functions it sees."""
    top_level = names is frame.f_globals
    return tuple(describe(name, value) for name, value in list(names.items())
                 if not (name.startswith("__") or inspect.ismodule(value) or top_level
                         and (inspect.isroutine(value) or isinstance(value, type))))
