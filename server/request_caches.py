"""Everything one Application's requests reuse from one another, in one object it owns.

Compiled code, apps' compiled forms, templates, language files, model listings and the folders
known to exist are keyed by files and folders on disk, so they hold as much as the apps do; the
session locks are keyed by ids clients send, so their table drops every lock nobody holds.
Nothing of this lives in module globals: two Applications (two servers in one process, or a
test's) share nothing.
Python's own ``sys.modules`` still holds the apps' ``modules/`` imports, as it must.
"""

from __future__ import annotations

from pathlib import Path

from server.cache import Cache
from server.compiled_apps import CompiledApps
from server.execution import AppBuiltins, CodeCache, ModelListing
from server.file_stamps import FileStamps
from server.session_stores import LockTable
from server.translation.language_files import LanguageFiles
from server.views import TemplateCache


class RequestCaches:
    """The caches of one Application (see the module's docstring)."""

    def __init__(self, stamps: FileStamps | None = None):
        self.stamps = stamps or FileStamps()
        self.code = CodeCache(self.stamps)
        self.compiled = CompiledApps(self.stamps)
        self.templates = TemplateCache(self.stamps)
        self.languages = LanguageFiles(self.stamps)
        self.models = ModelListing(self.stamps)
        self.builtins = AppBuiltins()
        self.session_locks = LockTable()
        self._app_caches: dict[str, Cache] = {}

    def app_cache(self, name: str, app_folder: Path) -> Cache:
        """One ``cache`` object per app: it holds no per-request state."""
        cache = self._app_caches.get(name)
        if cache is None:
            cache = self._app_caches[name] = Cache(app_folder)
        return cache
