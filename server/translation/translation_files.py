"""An app's language files as web2py's ``gluon.languages`` functions see them: reading and
writing one, listing the possible languages, and ``findT``, which collects every ``T("...")``
string of the app's code into a language file so translators see what to translate.

Language files are read with ``ast.literal_eval`` (never executed), see :mod:`server.translation.i18n`.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

from server.translation.i18n import INFO_KEYS
from server.translation.language_files import LanguageFiles, write_language_file
from server.translation.plurals import plural_id

# T("..."), T('...'), T("""..."""), T.M("...") with the literal captured whole.
T_CALL = re.compile(r"""\bT(?:\.M)?\(\s*([rRuU]?(?:"{3}.*?"{3}|'{3}.*?'{3}"""
                    r"""|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'))""", re.S)
# web2py's regex_translate: the literal of each T("...") (not T.M), found right after "T(";
# apps (Sahana Eden) translate the T() calls inside their format strings with it.
T_LITERAL = re.compile(r"""(?<![\w.])T\((?P<name>[uU]?[rR]?(?:"{3}.*?"{3}|'{3}.*?'{3}"""
                       r"""|"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'))""", re.S)
SOURCE_FOLDERS = ("models", "controllers", "views", "modules")
_files = LanguageFiles()  # parsed files, re-read when they change
SOURCE_SUFFIXES = (".py", ".html", ".load", ".json", ".xml", ".txt")
PLURAL_PREFIX = "plural-"


def read_dict(filename: str) -> dict:
    """The translations in a language file (``{}`` if it is missing or broken)."""
    return dict(_files.read(Path(filename)).translations)


def write_dict(filename: str, contents: dict) -> None:
    """Write a language file atomically, as a dict literal with sorted keys."""
    write_language_file(Path(filename), dict(contents))


def _number_of_plurals(code: str) -> int:
    return max(plural_id(code, n) for n in range(200)) + 1


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0


def read_possible_languages(langpath: str) -> dict[str, tuple]:
    """For each language file: ``(langcode, langname, mtime, plural file, its mtime, plural
    language, number of plural forms, get_plural_id, construct_plural_form)``, web2py's tuple."""
    folder = Path(langpath)
    found = {}
    for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
        code = path.stem
        if code.startswith(PLURAL_PREFIX) or code == "__init__":
            continue
        translations = _files.read(path).translations
        plural_file = folder / f"{PLURAL_PREFIX}{code}.py"
        found[code] = (translations.get("!langcode!", code), translations.get("!langname!", code),
                       _mtime(path), plural_file.name, _mtime(plural_file), code.split("-")[0],
                       _number_of_plurals(code),
                       lambda n, language=code: plural_id(language, n),
                       lambda word, form_id: word)
    return found


def strings_in(text: str) -> list[str]:
    """The messages of every ``T("...")`` call in a source text (literals only)."""
    messages = []
    for literal in T_CALL.findall(text):
        try:
            value = ast.literal_eval(literal)
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, str):
            messages.append(value)
    return messages


def app_strings(app_folder: Path) -> set[str]:
    """Every ``T()`` message in the app's models, controllers, views and modules."""
    messages: set[str] = set()
    for kind in SOURCE_FOLDERS:
        for directory, _, names in os.walk(app_folder / kind):
            for name in names:
                if name.endswith(SOURCE_SUFFIXES):
                    text = Path(directory, name).read_text(encoding="utf-8", errors="replace")
                    messages.update(strings_in(text))
    return messages


def findT(path: str, language: str = "en") -> None:  # noqa: N802 - web2py's name
    """Add every ``T()`` message of the app at ``path`` that ``languages/<language>.py`` lacks
    (untranslated: the message itself), keeping what is there."""
    app_folder = Path(path)
    target = app_folder / "languages" / f"{language}.py"
    translations = read_dict(str(target))
    missing = app_strings(app_folder) - set(translations)
    if missing or not target.exists():
        translations.setdefault("!langcode!", language)
        translations.setdefault("!langname!", language)
        translations.update({message: message for message in missing})
        target.parent.mkdir(parents=True, exist_ok=True)
        write_dict(str(target), translations)


def update_all_languages(application_path: str) -> None:
    """``findT`` for every language file of the app."""
    for code in read_possible_languages(os.path.join(application_path, "languages")):
        if code not in ("default",) and code not in INFO_KEYS:
            findT(application_path, code)
