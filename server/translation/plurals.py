"""web2py's plural forms: ``T('You have %s %%{book}', n)`` picks the word's form by the language's
rule, from the forms of ``languages/plural-<code>.py`` or, in English, by the regular plural."""

from __future__ import annotations

import re
from typing import Any

PLURAL_MARK = re.compile(r"%%\{((?:\\.|[^}\\])*)\}")
PLURAL_PARAMETER = re.compile(r"^(.*?)(?:\[(\d+)\]|\(([^)]*)\))?$", re.DOTALL)
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


def substitute_plurals(text: str, symbols: Any, language: str, forms: dict) -> str:
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
    match = PLURAL_PARAMETER.match(body)
    assert match is not None  # the pattern matches any text
    word, index, parameter = match.groups()
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
