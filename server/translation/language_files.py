"""Language files (``languages/<code>.py``: one dict literal, read with ``ast.literal_eval``,
never executed) and what a languages folder holds, both remembered by modification stamp in a
:class:`LanguageFiles` that the Application owns (every request builds a ``T``)."""

from __future__ import annotations

import ast
import logging
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from server.file_stamps import UNCACHED, FileStamps
from server.files import write_atomically

log = logging.getLogger("pocketweb.i18n")

DEFAULT_LANGUAGE = "en"
DEFAULT_FILE = "default"
PLURAL_FILE_PREFIX = "plural-"
LANGUAGE_CODE = re.compile(r"^[a-z]{1,8}(-[a-z0-9]{1,8})*$")


@dataclass(frozen=True)
class LanguageFile:
    """One parsed language file (``problem`` says why it is treated as empty, if it is)."""

    translations: dict
    stamp: tuple
    problem: str | None = None


def _parse_language_file(path: Path, stamp: tuple) -> LanguageFile:
    try:
        data = ast.literal_eval(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError("the file does not hold a dict")
    except (OSError, ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        problem = f"{path.name}: {type(exc).__name__}: {exc}"
        log.warning("language file ignored (treated as empty): %s", problem)
        return LanguageFile({}, stamp, problem)
    return LanguageFile({k: _entry(v) for k, v in data.items()
                         if isinstance(k, str) and _entry(v) is not None}, stamp)


def _entry(value):
    """A translation (str) or, in ``plural-*.py`` files, a word's plural forms (tuple of str)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def write_language_file(path: Path, translations: dict) -> None:
    """Write the dict literal atomically, keys sorted (the file stays ``literal_eval``-able)."""
    lines = ["# -*- coding: utf-8 -*-", "{"]
    lines += [f"{key!r}: {translations[key]!r}," for key in sorted(translations)]
    lines.append("}")
    write_atomically(path, "\n".join(lines) + "\n")


@dataclass
class FolderFacts:
    """The language files of a folder and the default language, valid while ``stamp`` holds
    (last found to hold at the FileStamps' ``generation``). ``choices``: the language each
    Accept-Language value led to, so a request's ``T`` does not work it out again."""

    stamp: tuple[int, int]
    default_file: Path | None
    default_code: str
    language_files: dict[str, Path]
    generation: int = -1
    choices: dict[str | None, tuple[str, Path | None]] = field(default_factory=dict)


def _scan_folder(cache: LanguageFiles, folder: Path, stamp: tuple[int, int]) -> FolderFacts:
    default = folder / f"{DEFAULT_FILE}.py"
    default_file = default if stamp[1] != -1 else None
    default_code = DEFAULT_LANGUAGE
    if default_file is not None:
        code = cache.read(default).translations.get("!langcode!", "").lower()
        default_code = code if LANGUAGE_CODE.match(code) else DEFAULT_LANGUAGE
    try:
        entries = list(folder.glob("*.py")) if stamp[0] != -1 else []
    except OSError:
        entries = []
    files = {path.stem.lower(): path for path in entries
             if path.stem != DEFAULT_FILE and not path.stem.startswith(PLURAL_FILE_PREFIX)
             and LANGUAGE_CODE.match(path.stem.lower())}
    return FolderFacts(stamp, default_file, default_code, files)


class LanguageFiles:
    """Parsed language files and folder listings, re-read only when their stamps change. The
    keys are files and folders that exist, so the cache is as big as the apps on disk."""

    def __init__(self, stamps: FileStamps = UNCACHED):
        self.lock = threading.RLock()  # held while a file is read or grown
        self._files: dict[str, LanguageFile] = {}
        self._folders: dict[str, FolderFacts] = {}
        self._stamps = stamps

    def read(self, path: Path) -> LanguageFile:
        """The file's translations, re-read only when its modification stamp changes."""
        info = self._stamps.stat(path)
        if info is None:
            return LanguageFile({}, ())
        stamp = (info.st_mtime_ns, info.st_size)
        with self.lock:
            cached = self._files.get(str(path))
            if cached is not None and cached.stamp == stamp:
                return cached
            parsed = _parse_language_file(path, stamp)
            self._files[str(path)] = parsed
            return parsed

    def written(self, path: Path) -> None:
        """We wrote ``path``: its next read looks at the file again."""
        self._stamps.drop(path)

    def folder(self, folder: Path) -> FolderFacts:
        """Scan ``folder`` again only when it (a file added or removed) or default.py changed:
        listing the folder on every request is a measurable cost."""
        key = str(folder)
        facts = self._folders.get(key)
        if facts is not None and self._stamps.unchanged_since(facts.generation):
            return facts  # nothing can look different since it was checked
        generation = self._stamps.generation
        mtime = self._stamps.mtime
        stamp = (mtime(key), mtime(os.path.join(key, f"{DEFAULT_FILE}.py")))
        if facts is None or facts.stamp != stamp:
            facts = self._folders[key] = _scan_folder(self, Path(folder), stamp)
        facts.generation = generation
        return facts
