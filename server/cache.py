"""web2py's ``cache``: ``cache.ram`` and ``cache.disk``, the ``@cache(...)`` decorator and
``@cache.action(...)`` for whole pages with client-side caching headers.

``cache.ram(key, f, time_expire)`` returns the stored value when it is younger than
``time_expire`` seconds, otherwise calls ``f()``, stores and returns it. As in web2py, the age is
judged when reading, so each caller decides how old is too old: ``time_expire=None`` accepts any
age, ``0`` always recomputes, and ``f=None`` deletes the key.

RAM entries live in a module-level store per (resolved) application folder, shared by all
threads. Disk entries are one pickle file per key under ``app/cache/``, replaced atomically, so a
reader in any thread or process sees either the old or the new value, never half of one.
``f()`` runs without holding a lock: a slow computation never blocks other keys (two threads
missing the same key at once may both compute it; the last one stored wins).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import pickle
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from server.current import current
from server.files import write_atomically
from server.http import HTTP
from server.pickles import unpickled

DEFAULT_TIME_EXPIRE = 300
CACHE_FOLDER = "cache"
DISK_SUFFIX = ".cache"
PAST_DATE = "Fri, 01 Jan 1990 00:00:00 GMT"


class _Counters:
    """Hits and misses of one store."""

    def __init__(self):
        self.hits = 0
        self.misses = 0


class CacheStatistics(dict):
    """web2py's ``cache.ram.stats`` / ``cache.disk.stats``: ``{app: {'hit_total': lookups,
    'misses': misses}}``, as web2py's appadmin reads it. Calling it gives Pocketweb's summary,
    ``{'entries', 'hits', 'misses'}``, the form the Redis cache's ``stats()`` has too."""

    def __init__(self, application: str, summary: dict):
        super().__init__({application: {"hit_total": summary["hits"] + summary["misses"],
                                        "misses": summary["misses"]}})
        self._summary = summary

    def __call__(self) -> dict:
        return dict(self._summary)


class CacheModel:
    """What ``cache.ram`` and ``cache.disk`` share: the read-or-compute protocol and counters."""

    def __init__(self, lock: threading.RLock, counters: _Counters, application: str):
        self._lock = lock
        self._counters = counters
        self.application = application

    def initialize(self) -> None:
        """web2py opens its stores lazily here; Pocketweb's are ready when made."""

    def __call__(self, key: str, f: Callable[[], Any] | None = None,
                 time_expire: float | None = DEFAULT_TIME_EXPIRE) -> Any:
        if f is None:
            with self._lock:
                self._delete(key)
            return None
        with self._lock:
            found = self._read(key)
            if found is not None and _is_fresh(found[0], time_expire):
                self._counters.hits += 1
                return found[1]
            self._counters.misses += 1
        value = f()
        with self._lock:
            self._write(key, time.time(), value)
        return value

    def increment(self, key: str, value: float = 1) -> float:
        """Add ``value`` to a stored number (a missing key counts as 0) and return the sum."""
        with self._lock:
            found = self._read(key)
            total = (found[1] if found is not None and found[1] is not None else 0) + value
            self._write(key, time.time(), total)
            return total

    def clear(self, regex: str | None = None) -> None:
        """Forget every key, or only the keys that ``regex`` matches (from their start)."""
        pattern = re.compile(regex) if regex is not None else None
        with self._lock:
            for key in self._keys():
                if pattern is None or pattern.match(key):
                    self._delete(key)
            if pattern is None:
                self._counters.hits = self._counters.misses = 0

    @property
    def stats(self) -> CacheStatistics:
        """The counters of this store (shared by all its users), web2py's way and ours."""
        with self._lock:
            summary = {"entries": len(self._keys()), "hits": self._counters.hits,
                       "misses": self._counters.misses}
        return CacheStatistics(self.application, summary)

    @property
    def storage(self) -> StoredEntries:
        """web2py's ``cache.ram.storage``: a read-only mapping ``{key: (stored_at, value)}``."""
        return StoredEntries(self)

    # storage primitives, called with the lock held
    def _read(self, key: str):  # -> (stored_at, value) | None
        raise NotImplementedError

    def _write(self, key: str, stored_at: float, value) -> None:
        raise NotImplementedError

    def _delete(self, key: str) -> None:
        raise NotImplementedError

    def _keys(self) -> list[str]:
        raise NotImplementedError


class StoredEntries(Mapping):
    """The entries of one store, each read when asked for (a disk entry is one file)."""

    def __init__(self, model: CacheModel):
        self._model = model

    def __getitem__(self, key: str) -> tuple:
        with self._model._lock:
            found = self._model._read(key)
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[str]:
        with self._model._lock:
            return iter(self._model._keys())

    def __len__(self) -> int:
        with self._model._lock:
            return len(self._model._keys())


def _is_fresh(stored_at: float, time_expire: float | None) -> bool:
    if time_expire is None:
        return True
    return time.time() - stored_at < time_expire


# --- RAM --------------------------------------------------------------------------------------

class _RamStore:
    def __init__(self):
        self.entries: dict[str, tuple[float, object]] = {}
        self.lock = threading.RLock()
        self.counters = _Counters()


_RAM_STORES: dict[str, _RamStore] = {}
_DISK_LOCKS: dict[str, tuple[threading.RLock, _Counters]] = {}
_REGISTRY_LOCK = threading.Lock()


def _ram_store(app_folder: Path) -> _RamStore:
    name = str(Path(app_folder).resolve())
    with _REGISTRY_LOCK:
        return _RAM_STORES.setdefault(name, _RamStore())


class CacheInRam(CacheModel):
    """``cache.ram``: values kept as they are (no copy), shared by the app's requests."""

    def __init__(self, app_folder: Path):
        store = _ram_store(app_folder)
        super().__init__(store.lock, store.counters, Path(app_folder).name)
        self._entries = store.entries

    def _read(self, key):
        return self._entries.get(key)

    def _write(self, key, stored_at, value):
        self._entries[key] = (stored_at, value)

    def _delete(self, key):
        self._entries.pop(key, None)

    def _keys(self):
        return list(self._entries)


# --- disk -------------------------------------------------------------------------------------

class CacheOnDisk(CacheModel):
    """``cache.disk``: pickled values under ``app/cache/``; values must be picklable."""

    def __init__(self, app_folder: Path):
        self.folder = Path(app_folder) / CACHE_FOLDER
        name = str(self.folder.resolve())
        with _REGISTRY_LOCK:
            lock, counters = _DISK_LOCKS.setdefault(name, (threading.RLock(), _Counters()))
        super().__init__(lock, counters, Path(app_folder).name)

    def _file(self, key: str) -> Path:
        """Keys may hold any character; the file name is a digest of the key."""
        digest = hashlib.sha256(str(key).encode("utf-8", "surrogatepass")).hexdigest()
        return self.folder / (digest + DISK_SUFFIX)

    def _read(self, key):
        entry = _load_entry(self._file(key))
        if entry is None or entry[0] != key:
            return None
        return entry[1], entry[2]

    def _write(self, key, stored_at, value):
        try:
            data = pickle.dumps((key, stored_at, value), protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            raise TypeError(
                f"cache.disk cannot store a {type(value).__name__} for key {key!r}: "
                f"{exc} (only picklable values can be cached on disk)"
            ) from exc
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(self._file(key), data)

    def _delete(self, key):
        self._file(key).unlink(missing_ok=True)

    def _keys(self):
        if not self.folder.is_dir():
            return []
        keys = []
        for path in self.folder.glob("*" + DISK_SUFFIX):
            entry = _load_entry(path)
            if entry is not None:
                keys.append(entry[0])
        return keys


def _load_entry(path: Path):
    """``(key, stored_at, value)`` from a cache file; a missing or damaged file is no entry."""
    try:
        entry = unpickled(path.read_bytes())
    except FileNotFoundError:
        return None
    if not (isinstance(entry, tuple) and len(entry) == 3):
        path.unlink(missing_ok=True)  # a damaged entry is a miss, and is removed
        return None
    return entry


# --- the cache object apps see ----------------------------------------------------------------

class Cache:
    """The ``cache`` of one application: ``cache.ram``, ``cache.disk`` and the decorators."""

    def __init__(self, app_folder: Path):
        self.app_folder = Path(app_folder)
        self.ram = CacheInRam(self.app_folder)
        self.disk = CacheOnDisk(self.app_folder)

    def __call__(self, key: str | None = None, time_expire: float | None = DEFAULT_TIME_EXPIRE,
                 cache_model: CacheModel | str | None = None,
                 ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """``@cache(key, time_expire, cache_model=cache.ram)`` caches a function's result.

        ``key`` may use ``%(name)s``, ``%(args)s`` and ``%(vars)s`` (the function's name and call
        arguments); without a key, the name and the arguments make the key.
        """
        model = self._model(cache_model)

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                return model(_call_key(key, func, args, kwargs),
                             lambda: func(*args, **kwargs), time_expire)

            return wrapper

        return decorator

    def _model(self, cache_model) -> CacheModel:
        """A model, or its name ('ram', 'disk'); ram when not given."""
        if cache_model is None or isinstance(cache_model, str):
            name = cache_model or "ram"
            if name not in ("ram", "disk"):
                raise ValueError(f"unknown cache model {name!r}: use 'ram' or 'disk'")
            return getattr(self, name)
        return cache_model

    def action(self, time_expire: float | None = DEFAULT_TIME_EXPIRE,
               cache_model: CacheModel | str | None = None, prefix: str | None = None,
               session: bool = False, vars: bool = True, lang: bool = True,  # noqa: A002
               user_agent: bool = False, public: bool = True,
               valid_statuses: list[int] | None = None, quick: str | None = None,
               ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Cache a page: set client caching headers and, with a ``cache_model``, keep the output.

        Only GET requests are touched. The server-side key is made of the path, the view and,
        as asked, the session id, the user agent, the query string and the language. A dict
        returned by the action is rendered before it is stored, so the page itself is cached.
        Outputs whose status is not in ``valid_statuses`` (default: 1xx-3xx) are not kept.
        ``quick='SVLUP'`` sets the switches at once, as web2py does: each letter turns one on
        (Session, Vars, Lang, User agent, Public), a missing letter turns it off.
        """
        if quick is not None:
            session, vars, lang, user_agent, public = (letter in quick for letter in "SVLUP")  # noqa: A001
        model = self._model(cache_model) if cache_model is not None else None
        options = dict(prefix=prefix, session=session, vars=vars, lang=lang,
                       user_agent=user_agent)

        def decorator(func):
            @functools.wraps(func)
            def wrapper(*args, **kwargs):
                request, response = current.request, current.response
                if str(request.env.request_method).upper() != "GET":
                    return func(*args, **kwargs)
                headers = _client_headers(time_expire, public and not session)
                key = _action_key(request, response, **options) if model else None

                def produce():
                    return _rendered(func(*args, **kwargs), response)

                try:
                    output = model(key, produce, time_expire) if model else produce()
                except HTTP as http:
                    if _status_ok(http.status, valid_statuses):
                        http.headers.update(headers)
                    raise
                if _status_ok(response.status, valid_statuses):
                    _apply_headers(response, headers)
                elif model:
                    model(key, None)  # never serve a failed page from the cache
                return output

            return wrapper

        return decorator


def _call_key(key, func, args, kwargs) -> str:
    if not key:
        return f"{func.__module__}.{func.__qualname__}:{args!r}:{kwargs!r}"
    return (str(key).replace("%(name)s", func.__name__)
            .replace("%(args)s", str(args)).replace("%(vars)s", str(kwargs)))


def _client_headers(time_expire, shared: bool) -> dict:
    """Cache-Control and Expires; without a positive time_expire, none."""
    if not time_expire:
        return {}
    seconds = int(time_expire)
    control = f"max-age={seconds}, s-maxage={seconds}"
    if not shared:
        return {"Cache-Control": control + ", private", "Expires": PAST_DATE}
    now = datetime.datetime.now(datetime.UTC)
    expires = now + datetime.timedelta(seconds=seconds)
    return {"Cache-Control": control + ", public",
            "Expires": expires.strftime("%a, %d %b %Y %H:%M:%S GMT")}


def _apply_headers(response, headers: dict) -> None:
    if not headers:
        return
    response.headers.update(headers)
    response.headers.pop("Pragma", None)


def _status_ok(status, valid_statuses) -> bool:
    if valid_statuses is None:
        return str(status)[:1] in ("1", "2", "3")
    return int(status) in [int(s) for s in valid_statuses]


def _action_key(request, response, prefix, session, vars, lang, user_agent) -> str:  # noqa: A002
    parts = [str(request.env.path_info), str(response.view)]
    if session:
        parts.append(str(getattr(response, "session_id", "") or ""))
    elif user_agent:
        parts.append(str(sorted(user_agent.items())) if isinstance(user_agent, dict)
                     else str(request.env.http_user_agent or ""))
    if vars:
        parts.append(str(request.env.query_string or ""))
    if lang:
        translator = getattr(current, "T", None)
        parts.append(str(getattr(translator, "accepted_language", "") or ""))
    data = "__".join(parts).encode("utf-8", "surrogatepass")
    digest = hashlib.md5(data, usedforsecurity=False).hexdigest()
    return (prefix or "") + digest


def _rendered(output, response):
    """A dict is rendered with the response's view, so the cached value is the page."""
    if isinstance(output, dict) and callable(getattr(response, "render", None)):
        return response.render(output)
    return output
