"""The Storage variants of web2py's ``gluon.storage``, on top of :class:`server.storage.Storage`.

``StorageList`` reads a missing key as a fresh ``[]`` (kept, so ``s.x.append(1)`` sticks);
``Settings`` can lock its keys (``lock_keys``) or values (``lock_values``); ``Messages`` returns
strings through the translator it was given; ``FastStorage`` is a plain-attribute variant.
"""

from __future__ import annotations

import copyreg
import pickle
from typing import Any

from server.storage import Storage


class StorageList(Storage):
    """A Storage whose missing keys read as an empty list, which is then kept."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        return self.__getattr__(key)

    def __getattr__(self, key: str) -> Any:
        if key.startswith("__") and key.endswith("__"):
            raise AttributeError(key)
        if key not in self:
            dict.__setitem__(self, key, [])
        return dict.__getitem__(self, key)


class Settings(Storage):
    """Storage whose keys (``lock_keys``) or values (``lock_values``) may be frozen."""

    __slots__ = ()

    def __setattr__(self, key: str, value: Any) -> None:
        if key not in ("lock_keys", "lock_values") and self.get("lock_keys") and key not in self:
            raise SyntaxError(f"setting key {key!r} does not exist")
        if key != "lock_values" and self.get("lock_values"):
            raise SyntaxError(f"setting value cannot be changed: {key}")
        self[key] = value


class Messages(Settings):
    """Settings whose string values come back translated by ``T``."""

    __slots__ = ()

    def __init__(self, T: Any = None):  # noqa: N803 - web2py's parameter name
        super().__init__()
        dict.__setitem__(self, "T", T)

    def __getattr__(self, key: str) -> Any:
        value = Storage.__getattr__(self, key)
        translator = self.get("T")
        if isinstance(value, str) and translator is not None:
            return translator(value)
        return value


class FastStorage(Storage):
    """web2py's faster Storage: the same attribute access, and deleting a missing attribute is
    not an error."""

    __slots__ = ()

    def __delattr__(self, key: str) -> None:
        self.pop(key, None)

    def copy(self) -> FastStorage:
        return FastStorage(self)

    def __repr__(self) -> str:
        return f"<FastStorage {dict.__repr__(self)}>"


def pickle_storage(value: Storage) -> tuple:
    """Reduce a Storage to a plain dict and back (registered with :mod:`copyreg`)."""
    return Storage, (dict(value),)


copyreg.pickle(Storage, pickle_storage)


def load_storage(filename: str) -> Storage:
    """A Storage pickled to ``filename`` by :func:`save_storage`."""
    with open(filename, "rb") as handle:
        return Storage(pickle.load(handle))  # noqa: S301 - the app's own file


def save_storage(storage: dict, filename: str) -> None:
    with open(filename, "wb") as handle:
        pickle.dump(dict(storage), handle)
