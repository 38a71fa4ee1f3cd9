"""The words the editor offers to complete: web2py's global names plus the app's own words."""

from __future__ import annotations

import keyword

MIN_PREFIX = 3

FRAMEWORK_GLOBALS = (
    "request response session cache db auth crud service mail plugins T URL redirect HTTP "
    "LOAD DAL Field SQLFORM SQLTABLE FORM Auth Mail Crud Service PluginManager local_import "
    "IS_ALPHANUMERIC IS_DATE IS_DATE_IN_RANGE IS_DATETIME IS_DATETIME_IN_RANGE "
    "IS_DECIMAL_IN_RANGE IS_EMAIL IS_EMPTY_OR IS_EQUAL_TO IS_EXPR IS_FLOAT_IN_RANGE IS_IMAGE "
    "IS_IN_DB IS_IN_SET IS_INT_IN_RANGE IS_IPV4 IS_IPADDRESS IS_JSON IS_LENGTH IS_LIST_OF "
    "IS_LOWER IS_MATCH IS_NOT_EMPTY IS_NOT_IN_DB IS_NULL_OR IS_SLUG IS_STRONG IS_TIME IS_UPPER "
    "IS_UPLOAD_FILENAME IS_URL CLEANUP CRYPT "
    "A ASSIGNJS B BEAUTIFY BODY BR BUTTON CAT CENTER CODE COL COLGROUP DIV EM EMBED FIELDSET "
    "H1 H2 H3 H4 H5 H6 HEAD HR HTML I IFRAME IMG INPUT LABEL LEGEND LI LINK MARKMIN MENU META "
    "OBJECT OL ON OPTGROUP OPTION P PRE SCRIPT SELECT SPAN STYLE TABLE TAG TBODY TD TEXTAREA "
    "TFOOT TH THEAD TITLE TR TT UL XHTML XML embed64 xmlescape "
    "define_table insert update_or_insert validate_and_insert select count delete update "
    "requires default represent readable writable label comment notnull unique ondelete "
    "vars get_vars post_vars args controller function application extension is_local "
    "flash view title subtitle meta menu files headers cookies download stream render "
    "user_id has_membership requires_login requires_membership requires_permission"
)


def framework_words() -> list[str]:
    """web2py's global names, helpers, validators, common attributes and Python keywords."""
    return sorted(set(FRAMEWORK_GLOBALS.split()) | set(keyword.kwlist))


class CompletionWords:
    """A sorted word list answering "which words start with this prefix" cheaply."""

    def __init__(self) -> None:
        self._base = framework_words()
        self._words = list(self._base)

    def set_extra_words(self, words: list[str]) -> None:
        """Add the app's own words (table and field names...) to the framework's."""
        valid = {word for word in words if word.isidentifier()}
        self._words = sorted(set(self._base) | valid)

    def words(self) -> list[str]:
        return list(self._words)

    def candidates(self, prefix: str) -> list[str]:
        """Words that start with ``prefix`` and are longer than it, sorted as Scintilla wants."""
        return [word for word in self._words if word.startswith(prefix) and word != prefix]
