"""Translations: web2py's ``T`` with language files ``languages/<code>.py``.

A language file holds one Python dict literal (``{'Hello': 'Ciao', ...}``) read with
``ast.literal_eval`` (never executed) and cached by modification stamp. ``T('text', symbols)``
returns a :class:`lazyT` that is translated when it is turned into text, in the language in force
at that moment, so ``T.force('it')`` late in an action still changes every message of the page.

The language is chosen from the Accept-Language header (q-values honoured, ``it-it`` falls back to
``it``) among the language files; languages listed in ``T.current_languages`` (``['en']``) are the
ones the app is written in and are shown untranslated. ``languages/default.py`` holds the
translations of the default language, when there is one. A broken language file is treated as
empty, logged, and listed in ``T.problems``; it never breaks a request and is never overwritten.

web2py's plural forms work too: ``T('You have %s %%{book}', n)`` picks the form by the
language's rule, from ``languages/plural-<code>.py`` (``{'word': ['form 2', 'form 3']}``) or, in
English, by the regular plural.
"""

from __future__ import annotations

import ast
import logging
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from yatl.helpers import xmlescape

from server.files import write_atomically

log = logging.getLogger(__name__)

DEFAULT_LANGUAGE = "en"
DEFAULT_FILE = "default"
LANGUAGE_CODE = re.compile(r"^[a-z]{1,8}(-[a-z0-9]{1,8})*$")
ACCEPT_ITEM = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)\s*(?:;\s*q\s*=\s*([^\s,;]*))?")
INFO_KEYS = ("!langcode!", "!langname!")
COMMENT_MARK = "##"


# --- language files ---------------------------------------------------------------------------

@dataclass(frozen=True)
class LanguageFile:
    """One parsed language file (``problem`` says why it is treated as empty, if it is)."""

    translations: dict
    stamp: tuple
    problem: str | None = None


_FILES: dict[str, LanguageFile] = {}
_FILES_LOCK = threading.RLock()


def read_language_file(path: Path) -> LanguageFile:
    """The file's translations, re-read only when its modification stamp changes."""
    try:
        info = os.stat(path)
    except OSError:
        return LanguageFile({}, ())
    stamp = (info.st_mtime_ns, info.st_size)
    with _FILES_LOCK:
        cached = _FILES.get(str(path))
        if cached is not None and cached.stamp == stamp:
            return cached
        parsed = _parse_language_file(path, stamp)
        _FILES[str(path)] = parsed
        return parsed


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


def parse_accept_language(header: str | None) -> list[str]:
    """Language codes from an Accept-Language header, most wanted first (q=0 dropped)."""
    weighted = []
    for position, item in enumerate((header or "").split(",")):
        match = ACCEPT_ITEM.match(item)
        if not match:
            continue
        try:
            quality = float(match.group(2)) if match.group(2) else 1.0
        except ValueError:
            continue
        if quality > 0:
            weighted.append((-quality, position, match.group(1).lower()))
    return [code for _, _, code in sorted(weighted)]


def _as_codes(languages) -> list[str]:
    """``'it'``, ``'it-it, en'``, an Accept-Language value, a list or tuple -> codes."""
    if languages is None:
        return []
    if isinstance(languages, str):
        return parse_accept_language(languages)
    return [str(code).strip().lower() for code in languages if code]


# --- plurals: %%{word} ------------------------------------------------------------------------

PLURAL_MARK = re.compile(r"%%\{((?:\\.|[^}\\])*)\}")
PLURAL_PARAMETER = re.compile(r"^(.*?)(?:\[(\d+)\]|\(([^)]*)\))?$", re.DOTALL)
PLURAL_FILE_PREFIX = "plural-"
ENGLISH_IRREGULAR = {
    "this": "these", "that": "those", "is": "are", "was": "were", "has": "have",
    "it": "they", "a": "some", "child": "children", "person": "people", "man": "men",
    "woman": "women", "foot": "feet", "tooth": "teeth", "mouse": "mice", "datum": "data",
}


def _slavic_east(n: int) -> int:
    if n % 10 == 1 and n % 100 != 11:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def _polish(n: int) -> int:
    if n == 1:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def _slovenian(n: int) -> int:
    return {1: 0, 2: 1, 3: 2, 4: 2}.get(n % 100, 3)


PLURAL_RULES = {  # language -> which form (0 is the singular) a number takes
    **dict.fromkeys(("ja", "zh", "ko", "vi", "th", "id", "ms", "tr"), lambda n: 0),
    **dict.fromkeys(("fr", "pt-br"), lambda n: 0 if n < 2 else 1),
    **dict.fromkeys(("ru", "uk", "be", "hr", "sr", "bs"), _slavic_east),
    **dict.fromkeys(("cs", "sk"), lambda n: 0 if n == 1 else (1 if 2 <= n <= 4 else 2)),
    "pl": _polish,
    "sl": _slovenian,
}


def plural_id(language: str, n: int) -> int:
    """Which plural form ``n`` takes in ``language`` (0: singular); English's rule by default."""
    rule = PLURAL_RULES.get(language) or PLURAL_RULES.get(language.split("-")[0])
    return rule(n) if rule else (0 if n == 1 else 1)


def english_plural(word: str) -> str:
    """A regular English plural (book -> books, box -> boxes, city -> cities)."""
    if word in ENGLISH_IRREGULAR:
        return ENGLISH_IRREGULAR[word]
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def substitute_plurals(text: str, symbols, language: str, forms: dict) -> str:
    """Replace each ``%%{...}`` with the word form the symbols' number asks for.

    ``%%{word}`` counts with the first symbol, ``%%{word[i]}`` with symbols[i], ``%%{word(key)}``
    with symbols[key] (or a number written there, even ``%s``); ``%%{?word?n}`` is the word when
    n is 1 and n otherwise; ``%%{?n}`` is n unless it is 1. ``!``, ``!!``, ``!!!`` in front
    capitalize, title-case or upper-case the result. ``forms`` holds ``plural-<lang>.py``.
    """
    def replace(match):
        body = match.group(1)
        modifier = len(body) - len(body.lstrip("!"))
        body = body[modifier:]
        if body.startswith("?"):
            result = _choice(body, symbols)
        else:
            result = _word_form(body, symbols, language, forms, counted=modifier == 0)
        return _modified(result.replace("\\", ""), modifier)

    return PLURAL_MARK.sub(replace, text)


def _word_form(body: str, symbols, language: str, forms: dict, counted: bool) -> str:
    word, index, parameter = PLURAL_PARAMETER.match(body).groups()
    if index is None and parameter is None and not counted:
        return word
    n = _number(_count_source(symbols, index, parameter))
    if n is None:
        return word
    form = plural_id(language, n)
    if form == 0:
        return word
    known = forms.get(word)
    if isinstance(known, tuple) and len(known) >= form:
        return known[form - 1]
    return english_plural(word) if language.split("-")[0] == "en" else word


def _count_source(symbols, index, parameter):
    if parameter is not None:
        if isinstance(symbols, dict) and parameter in symbols:
            return symbols[parameter]
        return _formatted(parameter, symbols)
    position = int(index or 0)
    if isinstance(symbols, (list, tuple)):
        return symbols[position] if position < len(symbols) else None
    return symbols if position == 0 else None


def _choice(body: str, symbols) -> str:
    """``?word?number`` and ``?number`` / ``??number``."""
    pieces = re.split(r"(?<!\\)\?", body[1:])
    word, number_text = (pieces[0], pieces[-1]) if len(pieces) > 1 else ("", pieces[0])
    number_text = _formatted(number_text, symbols)
    n = _number(number_text)
    return word if n == 1 else ("" if n is None and not number_text else number_text)


def _formatted(text: str, symbols) -> str:
    if "%" not in text:
        return text
    try:
        return text % symbols
    except (TypeError, ValueError, KeyError):
        return text


def _number(value) -> int | None:
    try:
        return int(float(str(value)))
    except (TypeError, ValueError, OverflowError):
        return None


def _modified(text: str, modifier: int) -> str:
    if modifier == 1:
        return text.capitalize()
    if modifier == 2:
        return text.title()
    if modifier >= 3:
        return text.upper()
    return text


# --- the lazy string --------------------------------------------------------------------------

class lazyT:  # noqa: N801 - web2py's public name, used in isinstance checks by apps
    """A message translated when it becomes text: ``str()``, ``%``, ``+``, ``.xml()``."""

    __slots__ = ("message", "symbols", "translator", "language")

    def __init__(self, message, symbols=None, translator=None, language=None):
        self.message = str(message)
        self.symbols = symbols
        self.translator = translator
        self.language = language

    def __str__(self) -> str:
        if self.translator is None:
            return _fill(self.message, self.symbols, self.message)
        return self.translator.translate(self.message, self.symbols, self.language)

    def __repr__(self) -> str:
        return f"<lazyT {self.message!r}>"

    def xml(self) -> str:
        return xmlescape(str(self), quote=False)

    def custom_json(self) -> str:
        """pydal's JSON serializer calls this: a lazyT serializes as its translation."""
        return str(self)

    def __mod__(self, symbols) -> lazyT:
        return lazyT(self.message, symbols, self.translator, self.language)

    def __add__(self, other) -> str:
        return str(self) + str(other)

    def __radd__(self, other) -> str:
        return str(other) + str(self)

    def __mul__(self, times) -> str:
        return str(self) * times

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    def __ne__(self, other) -> bool:
        return str(self) != str(other)

    def __lt__(self, other) -> bool:
        return str(self) < str(other)

    def __gt__(self, other) -> bool:
        return str(self) > str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def __len__(self) -> int:
        return len(str(self))

    def __bool__(self) -> bool:
        return bool(str(self))

    def __contains__(self, text) -> bool:
        return str(text) in str(self)

    def __getitem__(self, index) -> str:
        return str(self)[index]

    def __iter__(self):
        return iter(str(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __reduce__(self):
        """Pickled (sessions, cache.disk) as its translation: the translator stays behind."""
        return (str, (str(self),))

    def encode(self, *args, **kwargs) -> bytes:
        return str(self).encode(*args, **kwargs)

    def lower(self) -> str:
        return str(self).lower()

    def upper(self) -> str:
        return str(self).upper()

    def strip(self, *args) -> str:
        return str(self).strip(*args)

    def replace(self, *args) -> str:
        return str(self).replace(*args)

    def split(self, *args, **kwargs) -> list:
        return str(self).split(*args, **kwargs)


def _fill(text: str, symbols, fallback: str) -> str:
    """``text % symbols``; a translation whose placeholders do not fit falls back to the
    original message, so a translator's typo cannot break a page (the developer's can)."""
    if symbols is None or symbols == () or "%" not in text:
        return text  # e.g. every placeholder was a plural form, already filled
    try:
        return text % symbols
    except (TypeError, ValueError, KeyError):
        return fallback % symbols


def _untranslated(message: str) -> str:
    """``'Save ## button label'`` shows as ``'Save'``: ``##`` starts a note for translators."""
    if COMMENT_MARK in message:
        return message.rsplit(COMMENT_MARK, 1)[0].rstrip()
    return message


# --- what a languages/ folder holds, remembered ------------------------------------------------

@dataclass(frozen=True)
class FolderFacts:
    """The language files of a folder and the default language, valid while ``stamp`` holds."""

    stamp: tuple[int, int]
    default_file: Path | None
    default_code: str
    language_files: dict[str, Path]


_FOLDER_FACTS: dict[str, FolderFacts] = {}


def _stamp_of(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def folder_facts(folder: Path) -> FolderFacts:
    """Scan ``folder`` again only when it (a file added or removed) or default.py changed:
    every request builds a T, and listing the folder each time is a measurable cost."""
    key = str(folder)
    stamp = (_stamp_of(key), _stamp_of(os.path.join(key, f"{DEFAULT_FILE}.py")))
    facts = _FOLDER_FACTS.get(key)
    if facts is None or facts.stamp != stamp:
        facts = _FOLDER_FACTS[key] = _scan_folder(Path(folder), stamp)
    return facts


def _scan_folder(folder: Path, stamp: tuple[int, int]) -> FolderFacts:
    default = folder / f"{DEFAULT_FILE}.py"
    default_file = default if stamp[1] != -1 else None
    default_code = DEFAULT_LANGUAGE
    if default_file is not None:
        code = read_language_file(default).translations.get("!langcode!", "").lower()
        default_code = code if LANGUAGE_CODE.match(code) else DEFAULT_LANGUAGE
    try:
        entries = list(folder.glob("*.py")) if stamp[0] != -1 else []
    except OSError:
        entries = []
    files = {path.stem.lower(): path for path in entries
             if path.stem != DEFAULT_FILE and not path.stem.startswith(PLURAL_FILE_PREFIX)
             and LANGUAGE_CODE.match(path.stem.lower())}
    return FolderFacts(stamp, default_file, default_code, files)


# --- T ----------------------------------------------------------------------------------------

class Translator:
    """An app's ``T`` for one request."""

    def __init__(self, languages_folder: Path, http_accept_language: str | None):
        self.folder = languages_folder if isinstance(languages_folder, Path) else Path(
            languages_folder)
        self.http_accept_language = http_accept_language
        self.lazy = True
        self.is_writable = False
        self._facts = folder_facts(self.folder)  # one look at the folder per request
        self.current_languages = [self._default_code()]
        self.accepted_language = self.current_languages[0]
        self.requested_languages = http_accept_language
        self.language_file: Path | None = None
        self.problems: list[str] = []
        self.force(http_accept_language)

    # ----- making messages --------------------------------------------------------------------
    def __call__(self, message, symbols=None, language=None, lazy=None, ns=None):
        """``T('Hello %s', ('x',))``; ``ns`` (web2py's namespaces) is accepted and unused."""
        lazy_message = lazyT(message, symbols, self, language)
        if lazy is None:
            lazy = self.lazy
        return lazy_message if lazy else str(lazy_message)

    def translate(self, message: str, symbols=None, language=None) -> str:
        """The message in ``language`` (default: the language in force), plural forms chosen
        and symbols filled."""
        message = str(message)
        code = str(language).lower() if language else self.accepted_language
        path, translations = self._translations(language)
        original = self._with_plurals(_untranslated(message), symbols, self.current_languages[0])
        translated = translations.get(message)
        if not isinstance(translated, str):
            self._remember_missing(path, message)
            return _fill(original, symbols, original)
        return _fill(self._with_plurals(translated, symbols, code), symbols, original)

    def _with_plurals(self, text: str, symbols, code: str) -> str:
        if symbols is None or symbols == () or "%%{" not in text:
            return text
        return substitute_plurals(text, symbols, code, self._plural_forms(code))

    def _plural_forms(self, code: str) -> dict:
        """``languages/plural-<code>.py`` (or of its primary language): word -> plural forms."""
        for candidate in (code, code.split("-")[0]):
            path = self.folder / f"{PLURAL_FILE_PREFIX}{candidate}.py"
            if path.is_file():
                return read_language_file(path).translations
        return {}

    # ----- choosing the language --------------------------------------------------------------
    def force(self, languages=None) -> str:
        """Use the first available of ``languages`` (a code, a list or an Accept-Language value);
        ``None`` goes back to the default language. Returns the language now in force."""
        self.requested_languages = languages
        for code in _as_codes(languages):
            for candidate in (code, code.split("-")[0]):
                if self._use(candidate):
                    return self.accepted_language
        self._use_default()
        return self.accepted_language

    def set_current_languages(self, *languages) -> None:
        """Declare the languages the app is written in (shown untranslated); choose again."""
        if len(languages) == 1 and isinstance(languages[0], (list, tuple)):
            languages = tuple(languages[0])
        self.current_languages = [str(code).lower() for code in languages] or [DEFAULT_LANGUAGE]
        self.force(self.requested_languages)

    def get_possible_languages(self) -> list[str]:
        """Every language T can show: the current ones and those with a language file."""
        return sorted(set(self.current_languages) | set(self._language_files()))

    def get_possible_languages_info(self) -> dict[str, dict]:
        """For each language file: its code, the ``!langcode!``/``!langname!`` it declares, the
        number of translations, and its problem if it is broken."""
        info = {}
        for code, path in self._language_files().items():
            parsed = read_language_file(path)
            info[code] = {
                "langcode": parsed.translations.get("!langcode!", code),
                "langname": parsed.translations.get("!langname!", code),
                "translations": len([k for k in parsed.translations if k not in INFO_KEYS]),
                "file": str(path),
                "problem": parsed.problem,
            }
        return info

    def _use(self, code: str) -> bool:
        if code in self.current_languages:
            self.accepted_language, self.language_file = code, None
            return True
        path = self._language_files().get(code)
        if path is None:
            return False
        self.accepted_language, self.language_file = code, path
        return True

    def _use_default(self) -> None:
        self.accepted_language = self.current_languages[0]
        self.language_file = self._facts.default_file

    def _default_code(self) -> str:
        return self._facts.default_code

    def _language_files(self) -> dict[str, Path]:
        """Language code -> file, for every well-named ``*.py`` except default.py."""
        return self._facts.language_files

    # ----- reading and growing the translations ----------------------------------------------
    def _translations(self, language=None) -> tuple[Path | None, dict]:
        """The file and table for ``language`` (or the one in force); no file: untranslated."""
        path = self.language_file
        if language is not None:
            code = str(language).lower()
            path = None if code in self.current_languages else self._language_files().get(code)
        if path is None:
            return None, {}
        parsed = read_language_file(path)
        if parsed.problem and parsed.problem not in self.problems:
            self.problems.append(parsed.problem)
        return path, parsed.translations

    def _remember_missing(self, path: Path | None, message: str) -> None:
        """With ``T.is_writable``, add an untranslated message to its language file (never to
        default.py, which holds the default language's own wording)."""
        if not self.is_writable or path is None or path.stem == DEFAULT_FILE:
            return
        with _FILES_LOCK:
            parsed = read_language_file(path)
            if parsed.problem or message in parsed.translations:
                return  # never overwrite a file we could not read
            try:
                raw = ast.literal_eval(path.read_text(encoding="utf-8"))
                raw[message] = _untranslated(message)
                write_language_file(path, raw)
            except (OSError, ValueError, SyntaxError, TypeError) as exc:
                log.warning("could not add %r to %s: %s", message, path, exc)
