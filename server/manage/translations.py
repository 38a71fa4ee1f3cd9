"""An app's translations as an editor needs them: for one language, every message the app's
code and views use (found by scanning, as web2py's ``findT``) with its translation, the
untranslated ones first; the plural forms of the words its messages count; saving both in
web2py's file format (``languages/<code>.py``, ``languages/plural-<code>.py``); a new language.

A message is untranslated while its file gives the message itself (what ``findT`` writes) or
nothing. Saving keeps every entry the editor was not given: a translator's old work stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from server.manage.app_folders import AppError, AppExistsError, AppNameError
from server.paths import subfolder
from server.translation.i18n import INFO_KEYS
from server.translation.language_files import LANGUAGE_CODE, PLURAL_FILE_PREFIX
from server.translation.plurals import PLURAL_MARK, plural_id
from server.translation.translation_files import app_strings, findT, read_dict, write_dict

SKIPPED_FILES = ("default", "__init__")


@dataclass(frozen=True)
class Message:
    text: str
    translation: str
    untranslated: bool
    used: bool  # found in the app's code now (an unused one is a leftover)


@dataclass(frozen=True)
class PluralWord:
    word: str
    forms: tuple[str, ...]  # the forms after the first, as many as the language has
    missing: bool


def language_path(app_folder: Path, code: str) -> Path:
    if not LANGUAGE_CODE.match(code) or code in SKIPPED_FILES:
        raise AppNameError(f"{code!r} is not a language code (such as it, pt-br, zh-cn)")
    return subfolder(app_folder, "languages") / f"{code}.py"


def languages(app_folder: Path) -> list[str]:
    """The language codes the app has a file for."""
    folder = Path(app_folder) / "languages"
    codes = [path.stem for path in folder.glob("*.py")] if folder.is_dir() else []
    return sorted(code for code in codes if code not in SKIPPED_FILES
                  and not code.startswith(PLURAL_FILE_PREFIX) and LANGUAGE_CODE.match(code))


def messages(app_folder: Path, code: str) -> list[Message]:
    """Every message of the app in language ``code``: untranslated first, then A-Z."""
    stored = read_dict(str(language_path(app_folder, code)))
    used = app_strings(Path(app_folder))
    found = []
    for text in sorted(used | set(stored)):
        if text in INFO_KEYS or text.startswith("!"):
            continue
        translation = stored.get(text, "")
        untranslated = translation in ("", text)
        found.append(Message(text, "" if untranslated else translation, untranslated,
                             text in used))
    return sorted(found, key=lambda m: (not m.untranslated, not m.used, m.text.lower()))


def number_of_forms(code: str) -> int:
    """How many plural forms language ``code`` has (English 2, Russian 3, Japanese 1)."""
    return max(plural_id(code, n) for n in range(200)) + 1


def plural_words(app_folder: Path, code: str) -> list[PluralWord]:
    """The words the app's messages count (``%%{book}``), with their stored forms."""
    needed = number_of_forms(code) - 1
    stored = read_dict(str(plural_path(app_folder, code)))
    sources = app_strings(Path(app_folder)) | set(
        read_dict(str(language_path(app_folder, code))).values())
    words = {_word(marked) for text in sources for marked in PLURAL_MARK.findall(text)}
    found = []
    for word in sorted(word for word in words if word):
        forms = tuple(stored.get(word, ()))[:needed]
        forms += ("",) * (needed - len(forms))
        found.append(PluralWord(word, forms, "" in forms))
    return sorted(found, key=lambda w: (not w.missing, w.word))


def _word(marked: str) -> str:
    """``book``, from the inside of ``%%{book}``, ``%%{!book[0]}``, ``%%{book(count)}``."""
    return re.split(r"[\[(]", marked.lstrip("!^"), maxsplit=1)[0].strip()


def plural_path(app_folder: Path, code: str) -> Path:
    language_path(app_folder, code)  # checks the code
    return subfolder(app_folder, "languages") / f"{PLURAL_FILE_PREFIX}{code}.py"


def save(app_folder: Path, code: str, translations: dict[str, str],
         plurals: dict[str, tuple[str, ...]] | None = None) -> None:
    """Store ``translations`` (message -> text; empty text: untranslated) and ``plurals`` (word
    -> its forms after the first) for ``code``, keeping every other entry of the files."""
    path = language_path(app_folder, code)
    stored = read_dict(str(path))
    stored.setdefault("!langcode!", code)
    stored.setdefault("!langname!", code)
    stored.update({text: translation or text for text, translation in translations.items()})
    write_dict(str(path), stored)
    complete = {word: tuple(forms) for word, forms in (plurals or {}).items() if all(forms)}
    if complete:
        plural_file = plural_path(app_folder, code)
        forms = read_dict(str(plural_file))
        forms.update({word: list(values) for word, values in complete.items()})
        write_dict(str(plural_file), forms)


def new_language(app_folder: Path, code: str, name: str = "") -> Path:
    """``languages/<code>.py`` holding every message of the app, untranslated."""
    code = code.strip().lower()
    path = language_path(app_folder, code)
    if path.exists():
        raise AppExistsError(f"{app_folder.name} already has the language {code}")
    try:
        findT(str(app_folder), code)
    except OSError as exc:
        raise AppError(f"could not create {path.name}: {exc}") from exc
    if name:
        stored = read_dict(str(path))
        stored["!langname!"] = name
        write_dict(str(path), stored)
    return path
