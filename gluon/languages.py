"""web2py's ``gluon.languages``: the translator, ``lazyT`` and language-file functions."""

from server.translation.i18n import Translator, lazyT
from server.translation.translation_files import (
    T_LITERAL,
    findT,
    read_dict,
    read_possible_languages,
    update_all_languages,
    write_dict,
)

TranslatorFactory = Translator
regex_translate = T_LITERAL

__all__ = ["TranslatorFactory", "findT", "lazyT", "read_dict", "read_possible_languages",
           "regex_translate",
           "update_all_languages", "write_dict"]
