"""web2py's Storage: a dict whose keys are also attributes, and missing ones read as None."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar


class Storage(dict):
    """``s.x`` is ``s['x']``; a missing key or attribute is ``None`` rather than an error, as
    in web2py (apps read ``opts['hidden']`` of options that were never given)."""

    __slots__ = ()

    def __getitem__(self, key: Any) -> Any:
        return self.get(key)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__") and key.endswith("__"):
            raise AttributeError(key)
        return self.get(key)

    def __setattr__(self, key: str, value: Any) -> None:
        self[key] = value

    def __delattr__(self, key: str) -> None:
        try:
            del self[key]
        except KeyError as exc:
            raise AttributeError(key) from exc

    def __getstate__(self):
        return dict(self)

    def __setstate__(self, state):
        self.update(state)

    def __repr__(self) -> str:
        return f"<Storage {dict.__repr__(self)}>"

    def getlist(self, key: str) -> list:
        """The value as a list: [] when missing, [v] when single."""
        value = self.get(key, [])
        if value is None:
            return []
        return list(value) if isinstance(value, (list, tuple)) else [value]

    def getfirst(self, key: str, default: Any = None) -> Any:
        values = self.getlist(key)
        return values[0] if values else default

    def getlast(self, key: str, default: Any = None) -> Any:
        values = self.getlist(key)
        return values[-1] if values else default


class List(list):
    """``request.args``: call it with an index to get an item, a default, or a cast value.

    ``request.args(0)`` is None when missing; ``request.args(0, cast=int)`` raises HTTP 404 when
    a present value does not convert, as web2py does, unless ``otherwise`` is given (a value or
    a callable); ``default`` is used only when the argument is missing.
    """

    def __call__(self, i: int, default: Any = None, cast: Callable | None = None,
                 otherwise: Any = None) -> Any:
        from server.http import HTTP

        value = self[i] if -len(self) <= i < len(self) else None
        if value is None or value == "":
            value = default
            if value is None or cast is None:
                return value
        if cast is None:
            return value
        try:
            return cast(value)
        except (ValueError, TypeError) as exc:
            if otherwise is not None:
                return otherwise() if callable(otherwise) else otherwise
            raise HTTP(404, "invalid argument") from exc


class lazy_attribute:  # noqa: N801 - used as a decorator, like property
    """An attribute built on first read, then an ordinary instance attribute (the object's
    ``__dict__`` entry hides this descriptor): setting it before any read skips the build.

    functools.cached_property does the same, but in Python 3.11 it takes a lock shared by every
    instance on each first read, which a server's threads would queue on."""

    def __init__(self, build: Callable[[Any], Any]):
        self.build = build
        self.name = build.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.build(instance)
        return value


class AttributeMapping:
    """web2py's ``request`` and ``response`` are Storages; Pocketweb's are classes with that face.

    An unknown attribute or key reads as ``None`` (``request['missing']``, as web2py's Storage
    reads ``[]`` as ``.get``), and the object is a mapping of its public attributes, so
    ``'%(application)s' % request``, ``request.get('x', default)`` and ``'title' in response``
    work.
    """

    _lazy_names_found: ClassVar[list[str]]  # per class: see _lazy_names

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return None

    def __getitem__(self, key: str) -> Any:
        return self.get(key)

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, key, value)

    def __delitem__(self, key: str) -> None:
        try:
            delattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.keys()

    def __iter__(self) -> Iterator[str]:
        """Its keys, as a dict's (without it Python would iterate ``self[0]``, ``self[1]``, ...
        and, since a missing key reads as None, never stop)."""
        return iter(self.keys())

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return object.__getattribute__(self, key)
        except (AttributeError, TypeError):
            return default

    def keys(self) -> list[str]:
        """Its public attributes, the ones built on first read included (listing builds them)."""
        for name in self._lazy_names():
            getattr(self, name)
        return [name for name in vars(self) if not name.startswith("_")]

    @classmethod
    def _lazy_names(cls) -> list[str]:
        names = cls.__dict__.get("_lazy_names_found")
        if names is None:
            names = [name for klass in cls.__mro__ for name, value in vars(klass).items()
                     if isinstance(value, lazy_attribute) and not name.startswith("_")]
            cls._lazy_names_found = names
        return names

    def items(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in self.keys()]

    def values(self) -> list[Any]:
        return [getattr(self, name) for name in self.keys()]
