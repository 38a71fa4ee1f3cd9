"""The ``Field`` models get: pydal's, made from a remembered state when the same plain
arguments made one before.

web2py's models run on every request, so every request makes every ``Field`` of every table
again, deferred tables included (:mod:`server.deferred_tables` builds a table only when used,
but its fields are the model's own objects, made as the model runs). ``Field.__init__`` checks
the name, derives the length, regex, label and type name, sets some forty attributes and makes a
default validator that a table's ``bind`` throws away. A ``Field`` whose arguments are all plain
values (strings, numbers, booleans, None) comes out the same every time, so the first one's
attributes are remembered and the next one with the same arguments gets a copy of them, with a
default validator of its own made when first used
(:class:`server.table_copies.LazyDefaultValidator`).

What the models get is still a pydal ``Field`` (``type(field) is pydal.Field``); the name
``Field`` they see is a subclass whose ``isinstance`` and ``issubclass`` answer for every pydal
``Field``, and an app's own subclass of it is made by pydal as always.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

from pydal import Field as PydalField
from pydal.validators import DefaultValidatorProxy

from server.table_copies import LazyDefaultValidator

_PLAIN_ARGUMENTS = frozenset({str, int, float, bool, type(None)})
_PLAIN_VALUES = (str, int, float, bool, type(None), types.FunctionType)
_MAX_REMEMBERED = 4096  # arguments built from request values must not grow it without end

# the attributes of a Field made from these (positional, keyword) plain arguments, its default
# validator left out; a dict's get and set are atomic, two threads filling one key agree
_MADE: dict[tuple, dict[str, Any]] = {}


class _AnyPydalField(type):
    """``isinstance(x, Field)`` and ``issubclass(c, Field)`` answer for pydal's ``Field``."""

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, PydalField)

    def __subclasscheck__(cls, subclass: type) -> bool:
        return issubclass(subclass, PydalField)


class Field(PydalField, metaclass=_AnyPydalField):
    # pydal's Field as the models name it (see the module's docstring); help() and call tips
    # show pydal's own documentation and arguments
    __doc__ = PydalField.__doc__
    __signature__ = inspect.signature(PydalField)

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is not Field:  # an app's subclass: pydal makes it, __init__ runs as usual
            return PydalField.__new__(cls)
        return made_field(args, kwargs)


def made_field(args: tuple, kwargs: dict) -> Any:
    """``pydal.Field(*args, **kwargs)``, from the remembered state of the same arguments."""
    key = plain_key(args, kwargs)
    state = None if key is None else _MADE.get(key)
    field = PydalField.__new__(PydalField)
    if state is None:
        PydalField.__init__(field, *args, **kwargs)
        if key is not None:
            remember(key, field)
        return field
    field.__dict__.update(state)
    field.requires = LazyDefaultValidator(field.type, field.notnull)
    return field


def plain_key(args: tuple, kwargs: dict) -> tuple | None:
    """The key of these arguments, or None when one is not plain (a validator, a callable,
    a ``T()`` label, a list): those are the model's own objects, made by pydal each time."""
    if "requires" in kwargs or len(args) > 5:  # requires is Field's sixth argument
        return None
    plain = _PLAIN_ARGUMENTS
    types_ = tuple(map(type, args)) + tuple(map(type, kwargs.values()))
    if not plain.issuperset(types_):
        return None
    # with the types: 1, 1.0 and True are equal keys, but not the same default
    return (args, tuple(kwargs.items()), types_)


def remember(key: tuple, field: Any) -> None:
    """Keep the state of a field just made, when a copy of it could not be told from it."""
    state = dict(field.__dict__)
    requires = state.pop("requires")
    if type(requires) is not DefaultValidatorProxy or not isinstance(field.type, str) \
            or not all(isinstance(value, _PLAIN_VALUES) for value in state.values()):
        return
    if len(_MADE) >= _MAX_REMEMBERED:
        _MADE.clear()
    _MADE[key] = state
