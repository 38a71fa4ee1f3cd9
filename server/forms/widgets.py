"""One widget per field type, as web2py's ``SQLFORM.widgets``: ``widget(field, value, **attrs)``.

Every widget gets ``_id = <table>_<field>`` (what the row's LABEL points at) and
``_name = <field>``. Values are shown through the validators' formatters, so a date shows as the
validator's format and a posted string comes back unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydal.default_validators import default_validators
from pydal.validators import IS_LENGTH, IS_LIST_OF, IS_NOT_EMPTY
from yatl.helpers import TAGGER

from server.forms.form import translate
from server.helpers import (
    DIV,
    INPUT,
    LABEL,
    LI,
    OPTION,
    SELECT,
    SPAN,
    TEXTAREA,
    UL,
    A,
)

if TYPE_CHECKING:
    from pydal.objects import Field

#: What a password input shows for a stored password; posting it back means "unchanged".
PASSWORD_PLACEHOLDER = "********"


def effective_requires(field: Field) -> object:
    """The validators that guard ``field``: its own, or web2py's defaults for its type.

    pydal's built-in defaults are permissive (no length check on strings, no formatted labels on
    references); web2py's defaults (``pydal.default_validators``) add IS_LENGTH from the field
    length and IS_IN_DB with the referenced table's ``format``.
    """
    requires = field.requires
    is_default = getattr(field, "has_default_validator", None)  # a Storage standing for a field
    if requires and not (callable(is_default) and is_default()):
        return requires
    db = getattr(field, "db", None) or getattr(field, "_db", None)
    if db is None:
        return requires
    try:
        return default_validators(db, field)
    except Exception:
        return requires


def as_list(requires: object) -> list:
    if not requires:
        return []
    return list(requires) if isinstance(requires, (list, tuple)) else [requires]


def options_validator(field: Field) -> Any:
    """The first validator offering ``options()`` (IS_IN_SET, IS_IN_DB, maybe in IS_EMPTY_OR)."""
    for validator in as_list(effective_requires(field)):
        if hasattr(validator, "options"):
            return validator
        inner = getattr(validator, "other", None)  # IS_LIST_OF(IS_IN_DB(...))
        if inner is not None and hasattr(inner, "options"):
            return inner
    return None


def takes_list(field: Field) -> bool:
    """Whether the field's options validator takes a list (``multiple=True``, IS_LIST_OF)."""
    for validator in as_list(effective_requires(field)):
        inner = getattr(validator, "other", None)
        if isinstance(validator, IS_LIST_OF) or getattr(validator, "multiple", False) or \
                getattr(inner, "multiple", False):
            return True
    return False


def format_value(field: Field, value: object) -> str:
    """``value`` as the form shows it: validators' formatters applied, None as ''."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    for validator in reversed(as_list(effective_requires(field))):
        formatter = getattr(validator, "formatter", None)
        if formatter is not None:
            try:
                value = formatter(value)
            except Exception:
                break
    return "" if value is None else str(value)


def field_id(field: Field) -> str:
    return f"{getattr(field, 'tablename', None) or 'no_table'}_{field.name}"


def base_attributes(field: Field, css_class: str, attributes: dict) -> dict:
    result = {"_id": field_id(field), "_name": field.name, "_class": css_class,
              "requires": field.requires}
    if _requires_value(field):
        result["_aria-required"] = "true"
    result.update(attributes)
    return result


class FormWidget:
    """A plain text input; subclasses change the input type or the element."""

    css_class = "string"
    input_type = "text"
    extra: dict = {}

    @classmethod
    def _attributes(cls, field: Field, widget_attributes: dict, **attributes: Any) -> dict:
        """web2py's helper that widget subclasses in apps call: id, name, class and requires
        of ``field``, then ``widget_attributes``, then ``attributes``."""
        return base_attributes(field, cls.css_class, {**widget_attributes, **attributes})

    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        attrs = base_attributes(field, cls.css_class, {**cls.extra, **attributes})
        return INPUT(_type=cls.input_type, _value=format_value(field, value), **attrs)


class StringWidget(FormWidget):
    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        if field.type == "string" and field.length:
            attributes.setdefault("_maxlength", field.length)
        return super().widget(field, value, **attributes)


class IntegerWidget(FormWidget):
    css_class = "integer"
    extra = {"_inputmode": "numeric"}


class DoubleWidget(FormWidget):
    css_class = "double"
    extra = {"_inputmode": "decimal"}


class DecimalWidget(FormWidget):
    css_class = "decimal"
    extra = {"_inputmode": "decimal"}


class DateWidget(FormWidget):
    css_class = "date"
    extra = {"_placeholder": "YYYY-MM-DD"}


class DatetimeWidget(FormWidget):
    css_class = "datetime"
    extra = {"_placeholder": "YYYY-MM-DD HH:MM:SS"}


class TimeWidget(FormWidget):
    css_class = "time"
    extra = {"_placeholder": "HH:MM:SS"}


class JSONWidget(FormWidget):
    css_class = "json"


class TextWidget:
    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        return TEXTAREA(format_value(field, value), **base_attributes(field, "text", attributes))


class PasswordWidget:
    """Never echoes a stored hash: shows a placeholder that means 'keep the current one'."""

    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        attrs = base_attributes(field, "password", attributes)
        attrs.setdefault("_autocomplete", "new-password")
        shown = PASSWORD_PLACEHOLDER if value not in (None, "") else ""
        return INPUT(_type="password", _value=shown, **attrs)


class BooleanWidget:
    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        attrs = base_attributes(field, "boolean", attributes)
        return INPUT(_type="checkbox", _value="on", _checked=bool(value), **attrs)


class OptionsWidget:
    """A SELECT with the options of the field's IS_IN_SET / IS_IN_DB."""

    @staticmethod
    def has_options(field: Field) -> bool:
        return options_validator(field) is not None

    @classmethod
    def options(cls, field: Field) -> list[tuple[object, object]]:
        validator = options_validator(field)
        if validator is None:
            return []
        options = validator.options()
        if takes_list(field):
            return [(k, v) for k, v in options if k != ""]
        if options and options[0][0] != "":
            if not _requires_value(field):
                options.insert(0, ("", ""))
        return options

    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        selected = {str(value)} if value is not None else set()
        options = [OPTION(label, _value=key, _selected=str(key) in selected)
                   for key, label in cls.options(field)]
        return SELECT(*options, **base_attributes(field, "generic-widget", attributes))


class MultipleOptionsWidget(OptionsWidget):
    @classmethod
    def widget(cls, field: Field, value: object, size: int = 5, **attributes: Any) -> TAGGER:
        values = {str(v) for v in (value or [])} if isinstance(value, (list, tuple)) else \
            ({str(value)} if value not in (None, "") else set())
        options = [OPTION(label, _value=key, _selected=str(key) in values)
                   for key, label in cls.options(field)]
        attrs = base_attributes(field, "generic-widget", attributes)
        return SELECT(*options, _multiple=True, _size=min(size, max(len(options), 1)), **attrs)


class RadioWidget(OptionsWidget):
    """One radio button per option, each with its own bound label."""

    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        base = field_id(field)
        items = []
        for number, (key, label) in enumerate(o for o in cls.options(field) if o[0] != ""):
            item_id = f"{base}_{number}"
            items.append(LI(
                INPUT(_type="radio", _name=field.name, _id=item_id, _value=key,
                      _checked=str(key) == str(value), requires=field.requires),
                LABEL(label, _for=item_id)))
        return UL(*items, _class="w2p_radio", _id=f"{base}__list", _role="radiogroup",
                  **{"_aria-labelledby": f"{base}__label"})


class CheckboxesWidget(OptionsWidget):
    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        base = field_id(field)
        values = {str(v) for v in (value or [])} if isinstance(value, (list, tuple)) else set()
        items = []
        for number, (key, label) in enumerate(o for o in cls.options(field) if o[0] != ""):
            item_id = f"{base}_{number}"
            items.append(LI(
                INPUT(_type="checkbox", _name=field.name, _id=item_id, _value=key,
                      _checked=str(key) in values),
                LABEL(label, _for=item_id)))
        return UL(*items, _class="w2p_checkboxes", _id=f"{base}__list", _role="group",
                  **{"_aria-labelledby": f"{base}__label"})


class ListWidget:
    """list:string / list:integer: one input per item plus an empty one to add an item.

    Works without JavaScript; the browser posts the items as repeated names.
    """

    @classmethod
    def widget(cls, field: Field, value: object, **attributes: Any) -> TAGGER:
        base = field_id(field)
        items = [str(v) for v in (value or [])] if isinstance(value, (list, tuple)) else \
            ([str(value)] if value not in (None, "") else [])
        inputs = []
        for number, item in enumerate([*items, ""]):
            item_id = base if number == 0 else f"{base}_{number}"
            label = {} if number == 0 else {"_aria-label": f"{field.label} {number + 1}"}
            inputs.append(LI(INPUT(_type="text", _name=field.name, _id=item_id, _value=item,
                                   _class=field.type.split(":")[-1], **label)))
        return UL(*inputs, _class="w2p_list", _id=f"{base}__list")


class UploadWidget:
    """A file input, a link to the current file and a checkbox to delete it."""

    delete_label = "delete"

    @classmethod
    def widget(cls, field: Field, value: object, download_url: str | None = None,
               **attributes: Any) -> TAGGER:
        attrs = base_attributes(field, "upload", attributes)
        file_input = INPUT(_type="file", **attrs)
        if not value:
            return file_input
        link = A(translate("file"), _href=f"{download_url}/{value}") if download_url else \
            SPAN(translate("file"))
        parts = ["[", link]
        if not _requires_value(field):
            delete_id = f"{field.name}__delete"
            parts += [" | ", INPUT(_type="checkbox", _name=delete_id, _id=delete_id),
                      LABEL(translate(cls.delete_label), _for=delete_id)]
        parts.append("]")
        return DIV(file_input, SPAN(*parts, _class="w2p_upload_current"))


def _requires_value(field) -> bool:
    return any(isinstance(v, IS_NOT_EMPTY) for v in as_list(field.requires)) or \
        (field.notnull and field.type == "upload")


WIDGETS = {
    "string": StringWidget,
    "text": TextWidget,
    "json": JSONWidget,
    "password": PasswordWidget,
    "integer": IntegerWidget,
    "bigint": IntegerWidget,
    "double": DoubleWidget,
    "float": DoubleWidget,
    "decimal": DecimalWidget,
    "date": DateWidget,
    "datetime": DatetimeWidget,
    "time": TimeWidget,
    "boolean": BooleanWidget,
    "upload": UploadWidget,
    "options": OptionsWidget,
    "multiple": MultipleOptionsWidget,
    "radio": RadioWidget,
    "checkboxes": CheckboxesWidget,
    "list": ListWidget,
}


def widget_for(field: Field) -> type:
    """The widget class SQLFORM uses for ``field`` (web2py's choice order)."""
    kind = field.type.split("(")[0]
    if kind == "upload":
        return UploadWidget
    if kind == "boolean":
        return BooleanWidget
    validator = options_validator(field)
    if validator is not None:
        return MultipleOptionsWidget if takes_list(field) else OptionsWidget
    if kind.startswith("list:"):
        return ListWidget
    return WIDGETS.get(kind, StringWidget)


def length_guard(field: Field) -> IS_LENGTH | None:
    """IS_LENGTH for string fields whose explicit validators forgot the column length."""
    if field.type == "string" and field.length and not any(
            isinstance(v, IS_LENGTH) for v in as_list(effective_requires(field))):
        return IS_LENGTH(field.length)
    return None
