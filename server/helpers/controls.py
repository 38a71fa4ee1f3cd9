"""Form controls as web2py's ``gluon.html`` builds them.

``value=`` (no underscore) is the control's current value, whatever its kind: it becomes
``_value`` of a text input, ``_checked`` of a checkbox (``'on'``, True, or ``'a|b'`` for
several) or radio, the body of a TEXTAREA, ``_selected`` on the matching OPTIONs of a SELECT.
A password never shows its value. Validation itself is the FORM's job (``server.forms``).
"""

from __future__ import annotations

import itertools

from server.helpers.base import DIV

#: What a password input shows instead of a stored password (web2py's constant).
DEFAULT_PASSWORD_DISPLAY = "*" * 8


class INPUT(DIV):
    """``<input />``, type ``text`` unless said otherwise."""

    tag = "input/"

    def _postprocessing(self) -> None:
        kind = (self["_type"] or "text").lower()
        self["_type"] = self["_type"] or "text"
        value, own = self["value"], self["_value"]
        own = None if own is None or hasattr(own, "file") else str(own)
        if "_checked" in self.attributes and "value" not in self.attributes:
            return
        if kind == "checkbox":
            self._check_box(value, own)
        elif kind == "radio":
            self["_checked"] = "checked" if str(value) == str(own) else None
        elif kind == "password" and value != DEFAULT_PASSWORD_DISPLAY:
            self["value"] = ""
        elif kind != "submit":
            if value is None:
                self["value"] = own
            elif not isinstance(value, list):
                self["_value"] = value

    def _check_box(self, value, own) -> None:
        if not own:
            own = self["_value"] = "on"
        if not value:
            chosen = []
        elif value is True:
            chosen = [own]
        elif isinstance(value, (list, tuple)):
            chosen = list(value)
        else:
            chosen = str(value).split("|")
        self["_checked"] = "checked" if own in chosen else None

    def xml(self) -> str:
        """The control, followed by its error message when a form found one."""
        name = self["_name"]
        errors = getattr(self, "errors", None) or {}
        if name and errors.get(name) and self["hideerror"] is not True:
            self.add_class("invalidinput")
            message = DIV(DIV(errors[name], _class="error", _id=f"{name}__error"),
                          _class="error_wrapper")
            return super().xml() + message.xml()
        return super().xml()


class TEXTAREA(INPUT):
    """``<textarea>`` (10 rows, 40 columns unless given); ``value=`` is its text."""

    tag = "textarea"

    def _postprocessing(self) -> None:
        self.attributes.setdefault("_rows", 10)
        self.attributes.setdefault("_cols", 40)
        if self["value"] is not None:
            self.children = [self["value"]]
        elif self.children:
            self["value"] = self.children[0]


class OPTION(DIV):
    """``<option>``; its value is its text unless ``_value`` says otherwise."""

    tag = "option"

    def _fixup(self) -> None:
        if "_value" not in self.attributes:
            self.attributes["_value"] = str(self.children[0]) if self.children else ""


class OPTGROUP(DIV):
    """``<optgroup>``: bare items become OPTIONs."""

    tag = "optgroup"

    def _fixup(self) -> None:
        self.children = [c if isinstance(c, OPTION) else OPTION(c, _value=str(c))
                         for c in self.children]


class SELECT(INPUT):
    """``<select>``: bare items become OPTIONs; ``value=`` (a list with ``_multiple``)
    selects the options whose value matches."""

    tag = "select"

    def _fixup(self) -> None:
        self.children = [c if isinstance(c, (OPTION, OPTGROUP)) else OPTION(c, _value=str(c))
                         for c in self.children]

    def _postprocessing(self) -> None:
        value = self["value"]
        if value is None:
            return
        if self["_multiple"] and isinstance(value, (list, tuple)):
            chosen = {str(item) for item in value}
        else:
            chosen = {str(value)}
        groups = (c.children if isinstance(c, OPTGROUP) else [c] for c in self.children)
        for option in itertools.chain.from_iterable(groups):
            option["_selected"] = "selected" if str(option["_value"]) in chosen else None


__all__ = ["INPUT", "OPTGROUP", "OPTION", "SELECT", "TEXTAREA"]
