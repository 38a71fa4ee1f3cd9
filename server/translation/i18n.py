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
import re
from pathlib import Path
from typing import Any

from yatl.helpers import xmlescape

from server.translation.language_files import (
    DEFAULT_FILE,
    DEFAULT_LANGUAGE,
    PLURAL_FILE_PREFIX,
    LanguageFiles,
    write_language_file,
)
from server.translation.plurals import substitute_plurals

log = logging.getLogger("pocketweb.i18n")

ACCEPT_ITEM = re.compile(r"^\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)\s*(?:;\s*q\s*=\s*([^\s,;]*))?")
INFO_KEYS = ("!langcode!", "!langname!")
COMMENT_MARK = "##"


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


# --- the lazy string --------------------------------------------------------------------------

class lazyT:  # noqa: N801 - web2py's public name, used in isinstance checks by apps
    """A message translated when it becomes text: ``str()``, ``%``, ``+``, ``.xml()``."""

    __slots__ = ("message", "symbols", "translator", "language")

    def __init__(self, message: Any, symbols: Any = None, translator: Any = None,
                 language: str | None = None) -> None:
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
        return xmlescape(str(self), quote=True)  # safe inside an attribute too, as web2py 3

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

    def __getattr__(self, name: str) -> Any:
        """Every other string method reads the translation, as in web2py (``T('x').title()``,
        ``.encode()``, ``.startswith()``); private names stay missing (copy, pickle look them up)."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(str(self), name)


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
    """``'Save ## button label'`` shows as ``'Save'``: ``##`` starts a note for translators.

    As in web2py, not in a message that starts with ``##`` or spans lines: those are markmin
    (``## Heading``), whose ``##`` is markup."""
    if message.find(COMMENT_MARK) > 0 and "\n" not in message:
        return message.rsplit(COMMENT_MARK, 1)[0].rstrip()
    return message


# --- T ----------------------------------------------------------------------------------------

MAX_REMEMBERED_CHOICES = 256  # Accept-Language values whose chosen language a folder keeps


class Translator:
    """An app's ``T`` for one request."""

    def __init__(self, languages_folder: Path, http_accept_language: str | None,
                 files: LanguageFiles | None = None):
        self.folder = languages_folder if isinstance(languages_folder, Path) else Path(
            languages_folder)
        self.http_accept_language = http_accept_language
        self.lazy = True
        self.is_writable = False
        self.files = files or LanguageFiles()  # the Application's, shared by its requests
        facts = self._facts = self.files.folder(self.folder)  # one look at the folder
        self.current_languages = [facts.default_code]
        self.requested_languages = http_accept_language
        self.problems: list[str] = []
        choice = facts.choices.get(http_accept_language)
        if choice is None:
            self.accepted_language = self.current_languages[0]
            self.language_file: Path | None = None
            self.force(http_accept_language)
            if len(facts.choices) < MAX_REMEMBERED_CHOICES:  # clients choose the header
                facts.choices[http_accept_language] = (self.accepted_language, self.language_file)
        else:
            self.accepted_language, self.language_file = choice

    # ----- making messages --------------------------------------------------------------------
    def __call__(self, message: Any, symbols: Any = None, language: str | None = None,
                 lazy: bool | None = None, ns: str | None = None) -> lazyT | str:
        """``T('Hello %s', ('x',))``; ``ns`` (web2py's namespaces) is accepted and unused."""
        lazy_message = lazyT(message, symbols, self, language)
        if lazy is None:
            lazy = self.lazy
        return lazy_message if lazy else str(lazy_message)

    def M(self, message: str, symbols: Any = None, language: str | None = None,  # noqa: N802
          lazy: bool | None = None, filter: Any = None, ftag: Any = None,  # noqa: A002
          ns: str | None = None) -> Any:
        """``T.M('**bold** %s', (name,))``: the translation rendered from markmin."""
        from server.translation.i18n_markmin import markmin_message

        return markmin_message(self, message, symbols, language, lazy)

    def translate(self, message: str, symbols: Any = None, language: str | None = None) -> str:
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
                return self.files.read(path).translations
        return {}

    # ----- choosing the language --------------------------------------------------------------
    def force(self, languages: Any = None) -> str:
        """Use the first available of ``languages`` (a code, a list or an Accept-Language value);
        ``None`` goes back to the default language. Returns the language now in force."""
        self.requested_languages = languages
        for code in _as_codes(languages):
            for candidate in (code, code.split("-")[0]):
                if self._use(candidate):
                    return self.accepted_language
        self._use_default()
        return self.accepted_language

    def set_current_languages(self, *languages: Any) -> None:
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
            parsed = self.files.read(path)
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
        parsed = self.files.read(path)
        if parsed.problem and parsed.problem not in self.problems:
            self.problems.append(parsed.problem)
        return path, parsed.translations

    def _remember_missing(self, path: Path | None, message: str) -> None:
        """With ``T.is_writable``, add an untranslated message to its language file (never to
        default.py, which holds the default language's own wording)."""
        if not self.is_writable or path is None or path.stem == DEFAULT_FILE:
            return
        with self.files.lock:
            parsed = self.files.read(path)
            if parsed.problem or message in parsed.translations:
                return  # never overwrite a file we could not read
            try:
                raw = ast.literal_eval(path.read_text(encoding="utf-8"))
                if message in raw:  # written by a request that saw the file before us
                    return
                raw[message] = _untranslated(message)
                write_language_file(path, raw)
                self.files.written(path)
            except (OSError, ValueError, SyntaxError, TypeError) as exc:
                log.warning("could not add %r to %s: %s", message, path, exc)
