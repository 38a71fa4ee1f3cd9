"""web2py's ``gluon.languages``: the translator, ``lazyT`` and language-file functions."""

from server.translation.i18n import Translator, lazyT
from server.translation.translation_files import (
    findT,
    read_dict,
    read_possible_languages,
    update_all_languages,
    write_dict,
)

TranslatorFactory = Translator

__all__ = ["TranslatorFactory", "findT", "lazyT", "read_dict", "read_possible_languages",
           "update_all_languages", "write_dict"]
