"""web2py's FORM: yatl's markup plus validation, CSRF keys and the process/validate/accepts API.

A FORM is submitted when the posted ``_formname`` matches its name; it is accepted only when the
posted ``_formkey`` is one of the single-use keys kept in ``session['_formkey[<formname>]']`` and
every named element's ``requires`` passes. A fresh key is issued on every render, so a replayed,
forged or missing key never changes anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Any, Self
from urllib.parse import quote

from yatl.helpers import TAGGER

from server.current import current
from server.helpers import DIV, INPUT, XML, A
from server.helpers.base import XmlComponent
from server.storage import Storage

#: Marks "argument not given" where None has its own meaning (``formname=None``: no check).
DEFAULT = object()

#: How many outstanding keys a session keeps per form (several tabs may hold the same form).
MAX_FORMKEYS = 10


def translate(text: Any) -> str:
    """``current.T(text)`` as a plain str (yatl escapes only str attribute values)."""
    translator = getattr(current, "T", None)
    return str(translator(text)) if translator else text


def run_validators(requires: Any, value: Any, record_id: int | None = None,
                   ) -> tuple[Any, Any]:
    """Apply ``requires`` (one validator or a list) in order; return ``(value, error)``.

    A validator that crashes on hostile input (a list where a string was expected, ...) yields
    an error message instead of an exception, so bad input never becomes a 500.
    """
    if not requires:
        return value, None
    for validator in requires if isinstance(requires, (list, tuple)) else [requires]:
        try:
            value, error = validator(value, record_id)
        except Exception:
            return value, translate("Invalid value")
        if error:
            return value, error
    return value, None


def fill_placeholders(url: object, values: Mapping[str, object]) -> str:
    """Replace ``[name]`` (also URL-quoted, as ``URL(args='[id]')`` makes it) with values."""
    url = str(url)
    for key, value in values.items():
        for placeholder in (f"[{key}]", quote(f"[{key}]")):
            url = url.replace(placeholder, quote(str(value)))
    return url


def resolve_next(next_url: object, values: Mapping[str, object]) -> str:
    """Where ``next=`` sends the browser, as web2py reads it: ``[name]`` placeholders filled
    from ``values``; a path (``/...``) or a full ``http(s)://`` address is kept, anything else
    names a function of the current controller (``next='show/[id]'`` is ``URL('show/7')``)."""
    if isinstance(next_url, (list, tuple)):
        next_url = next_url[0] if next_url else ""
    url = fill_placeholders(next_url, values)
    if url.startswith(("/", "http://", "https://")):
        return url
    from server.routing import URL

    return URL(url)


def walk(node: object) -> Iterator[tuple[Any, int, Any]]:
    """Yield ``(parent, index, child)`` for every helper below ``node``, depth first."""
    for index, child in enumerate(getattr(node, "children", None) or []):
        if isinstance(child, TAGGER) and not isinstance(child, XML):
            yield node, index, child
            yield from walk(child)


def tag_of(element: Any) -> str:
    return (element.name or "").rstrip("/")


def named_elements(node: object) -> Iterator[Any]:
    """The form controls (input/select/textarea/button) that carry a ``_name``."""
    for _parent, _index, child in walk(node):
        if tag_of(child) in ("input", "select", "textarea", "button") and child["_name"]:
            yield child


def posted_value(element: Any, request_vars: Storage) -> Any:
    """What the browser sent for ``element``: a list for multiple selects, else one value."""
    name = element["_name"]
    if tag_of(element) == "select" and element["_multiple"]:
        return [v for v in request_vars.getlist(name) if v != ""]
    value = request_vars.get(name, "")
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return value


def show_value(element: Any, value: object) -> None:
    """Make ``element`` display ``value`` (a posted string, or a list for multiple controls)."""
    tag, kind = tag_of(element), (element["_type"] or "text").lower()
    values = [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value or "")]
    if tag == "textarea":
        element.children = [values[-1] if values else ""]
    elif tag == "select":
        for _parent, _index, option in walk(element):
            if tag_of(option) == "option":
                key = option["_value"] if option["_value"] is not None else _text(option)
                option["_selected"] = str(key) in values
    elif tag == "input" and kind in ("checkbox", "radio"):
        own = element["_value"]
        element["_checked"] = bool(value) and (own is None or str(own) in values)
    elif tag == "input" and kind not in ("password", "file", "submit", "button", "image"):
        element["_value"] = values[-1] if values else ""


def _is_text_input(element) -> bool:
    return tag_of(element) == "input" and (element["_type"] or "text") == "text"


def _is_choice(element) -> bool:
    return tag_of(element) == "input" and (element["_type"] or "") in ("checkbox", "radio")


def _text(element) -> str:
    return "".join(str(c) for c in element.children if not isinstance(c, TAGGER))


class FORM(XmlComponent):
    """A web2py FORM: ``FORM(INPUT(_name='a', requires=IS_NOT_EMPTY()), INPUT(_type='submit'))``.

    ``hidden=dict(...)`` adds hidden inputs. After :meth:`accepts`/:meth:`process`: ``accepted``,
    ``vars`` (validated values), ``errors`` (field -> message) and ``request_vars``.
    """

    default_formname = "default"

    def __init__(self, *components: Any, hidden: dict | None = None, **attributes: Any) -> None:
        attributes.setdefault("_action", "")
        attributes.setdefault("_method", "post")
        attributes.setdefault("_enctype", "multipart/form-data")
        super().__init__("form", *components, **attributes)
        self._show_initial_values()
        self.hidden = dict(hidden or {})
        self.formname: str | None = None
        self.formkey: str | None = None
        self.accepted = False
        self.expired = False
        self.record_changed = False
        self.errors = Storage()
        self.vars = Storage()
        self.request_vars = Storage()
        self.error_messages: dict = {}

    def _show_initial_values(self) -> None:
        """web2py's ``INPUT(_name='a', value='x')``: ``value`` (no underscore) is what a control
        shows first; yatl would drop it, so it is turned into the matching markup here."""
        for element in named_elements(self):
            initial = element["value"]
            if initial is not None and (element["_value"] is None or _is_choice(element)):
                show_value(element, initial)

    @classmethod
    def confirm(cls, text: str = "OK", buttons: dict | None = None,
                hidden: dict | None = None) -> Self:
        """A one-button form for "are you sure?" pages; check ``.accepted``.

        ``buttons`` maps labels to URLs, shown as links beside the button."""
        links = [A(label, _href=url, _class="btn w2p-form-button", _role="button")
                 for label, url in (buttons or {}).items()]
        form = cls(INPUT(_type="submit", _value=text), *links, hidden=hidden)
        form.process(formname="confirm", message_onsuccess="")
        return form

    # ----------------------------------------------------------------- rendering

    def hidden_fields(self) -> DIV:
        """The hidden inputs: ``hidden=`` values plus ``_formname`` and ``_formkey``."""
        inputs = [INPUT(_type="hidden", _name=k, _value=v) for k, v in self.hidden.items()]
        if self.formname is not None:
            inputs.append(INPUT(_type="hidden", _name="_formname", _value=self.formname))
        if self.formkey:
            inputs.append(INPUT(_type="hidden", _name="_formkey", _value=self.formkey))
        return DIV(*inputs, _style="display:none;")

    def expired_notice(self) -> DIV | str:
        """Shown when a post carried a missing, forged or already used ``_formkey``, or when
        the record changed since the form was shown (``detect_record_change``)."""
        if self.expired:
            message = translate(
                "This form was already submitted or has expired; please submit it again")
        elif self.record_changed:
            message = translate(
                "Someone else changed this record since you opened it; please check it again")
        else:
            return ""
        return DIV(message, _class="w2p_form_expired error", _role="alert")

    def xml(self) -> str:
        children = [self.expired_notice(), *self.children, self.hidden_fields()]
        return TAGGER("form", *children, **self.attributes).xml()

    def element(self, query: str | None = None, **kwargs: Any) -> Any:
        """The first element matching a jQuery-like ``query`` (``'input[name=x]'``), or None."""
        found = self.find(query, first_only=True, **kwargs)
        return found[0] if found else None

    def elements(self, query: str | None = None, **kwargs: Any) -> list:
        return self.find(query, **kwargs)

    def add_button(self, value: object, url: str,
                   _class: str = "btn btn-secondary w2p-form-button") -> None:
        """Put a link styled as a button beside the submit button (web2py's ``add_button``)."""
        button = A(value, _href=url, _class=_class, _role="button")
        for parent, index, child in walk(self):
            if tag_of(child) in ("input", "button") and (child["_type"] or "") == "submit":
                parent.children.insert(index + 1, button)
                return
        self.append(button)

    # ----------------------------------------------------------------- processing

    def accepts(self, request_vars: Any, session: Any = None, formname: Any = DEFAULT,
                keepvalues: bool = False, onvalidation: Any = None, hideerror: bool = False,
                **kwargs: Any) -> bool:
        """Validate a submission; True when it is this form's, carries a valid key and passes.

        ``request_vars`` may be a request (its ``post_vars`` are used) or a dict of posted values.
        """
        formname = self.default_formname if formname is DEFAULT else formname
        request_vars = self._posted(request_vars)
        self.formname, self.request_vars = formname, request_vars
        self.errors, self.vars, self.accepted = Storage(), Storage(), False
        self.record_changed = self.expired = False
        submitted = bool(request_vars) and (
            formname is None or request_vars.get("_formname") == formname
        )
        if submitted and session is not None and formname is not None:
            submitted = self._consume_formkey(session, formname, request_vars.get("_formkey"))
            self.expired = not submitted
        if submitted:
            self._validate(request_vars)
            self._call_onvalidation(onvalidation)
        status = submitted and not self.errors and not self.record_changed
        if status:
            status = self._on_accepted(kwargs.get("dbio", True))
        if session is not None and formname is not None:
            self._issue_formkey(session, formname)
        if (submitted or self.expired) and (
                not status or keepvalues or self._keep_shown_values()):
            self._show_posted_values(request_vars)
        if self.errors and not hideerror:
            self._show_errors()
        self.accepted = status
        return status

    def validate(self, **kwargs: Any) -> bool:
        """Process without database io; returns True when accepted (web2py's ``validate``)."""
        kwargs.setdefault("dbio", False)
        return self._process(**kwargs)

    def process(self, **kwargs: Any) -> Self:
        """Accept the current request's post, flash/redirect per the options; returns the form."""
        kwargs.setdefault("dbio", True)
        self._process(**kwargs)
        return self

    def _process(self, request_vars=None, session=DEFAULT, onsuccess="flash", onfailure="flash",
                 message_onsuccess=None, message_onfailure=None, next=None, **kwargs):
        """``session=None`` turns the CSRF key off (web2py); left out, it is current.session."""
        request = getattr(current, "request", None)
        if request_vars is None:
            request_vars = request.post_vars if request is not None else Storage()
        if session is DEFAULT:
            session = getattr(current, "session", None)
        if self.accepts(request_vars, session, **kwargs):
            if message_onsuccess is None:
                message_onsuccess = translate("Success!")
            self._react(onsuccess, message_onsuccess, flash_to_session=bool(next))
            if next:
                self._redirect_next(next)
        elif self.errors:
            if message_onfailure is None:
                message_onfailure = translate("Errors in form, please check it out.")
            self._react(onfailure, message_onfailure)
        return self.accepted

    # ----------------------------------------------------------------- hooks for SQLFORM

    def _validate(self, request_vars: Storage, skip=frozenset()) -> None:
        """Check every named element's ``requires``; fill ``vars`` and ``errors``.

        ``skip`` names elements validated elsewhere (SQLFORM's fields)."""
        for element in named_elements(self):
            name = element["_name"]
            if name in ("_formname", "_formkey") or name in skip or name in self.vars \
                    or name in self.errors:
                continue
            value, error = run_validators(element["requires"], posted_value(element, request_vars))
            if error:
                self.errors[name] = error
            else:
                self.vars[name] = value
        self._validate_components(request_vars)

    def _validate_components(self, request_vars: Storage) -> None:
        """Helpers inside the form that check the post themselves (web2py's ``_validate()``
        hook, as ``Recaptcha2`` has) see the form's ``vars`` and ``errors`` and add to them."""
        for _parent, _index, child in walk(self):
            if isinstance(child, FORM) or not callable(getattr(child, "_validate", None)):
                continue
            child.vars, child.request_vars, child.errors = self.vars, request_vars, self.errors
            child._validate()

    def _on_accepted(self, dbio: bool) -> bool:
        """Called once validation passed; SQLFORM does its database io here."""
        return True

    def _keep_shown_values(self) -> bool:
        return False

    # ----------------------------------------------------------------- internals

    @staticmethod
    def _posted(request_vars) -> Storage:
        post_vars = request_vars.get("post_vars") if isinstance(request_vars, dict) else \
            getattr(request_vars, "post_vars", None)
        if isinstance(post_vars, dict):  # a request (web2py's is a Storage): use its post
            request_vars = post_vars
        return request_vars if isinstance(request_vars, Storage) else Storage(request_vars or {})

    @staticmethod
    def _consume_formkey(session, formname: str, posted) -> bool:
        keyname = f"_formkey[{formname}]"
        keys = list(session.get(keyname) or [])
        if not isinstance(posted, str) or posted not in keys:
            return False
        keys.remove(posted)
        session[keyname] = keys
        return True

    def _issue_formkey(self, session, formname: str) -> None:
        keyname = f"_formkey[{formname}]"
        self.formkey = str(uuid.uuid4())
        session[keyname] = list(session.get(keyname) or [])[-(MAX_FORMKEYS - 1):] + [self.formkey]

    def _call_onvalidation(self, onvalidation) -> None:
        """One callable, a list of them (Auth's ``*_onvalidation`` settings are lists), or a
        dict of either for ``onsuccess``/``onfailure``, as web2py accepts."""
        if isinstance(onvalidation, dict):
            onvalidation = onvalidation.get("onsuccess" if not self.errors else "onfailure")
        for callback in [onvalidation] if callable(onvalidation) else onvalidation or []:
            callback(self)

    def _show_posted_values(self, request_vars: Storage) -> None:
        """Re-display what was posted so the user can correct it (never passwords or files)."""
        groups: dict[str, list] = {}
        for element in named_elements(self):
            groups.setdefault(element["_name"], []).append(element)
        for name, elements in groups.items():
            if name.startswith("_") or name == "id":
                continue
            values = [v for v in request_vars.getlist(name) if isinstance(v, str)]
            if len(elements) > 1 and all(_is_text_input(e) for e in elements):
                padded = [*values, *[""] * len(elements)][: len(elements)]
                for element, value in zip(elements, padded, strict=True):
                    show_value(element, value)
                continue
            for element in elements:
                multiple = tag_of(element) == "select" or _is_choice(element)
                show_value(element, values if multiple else (values[-1] if values else ""))

    def _show_errors(self) -> None:
        """Put each message right after its control, bind it with aria, focus the first one."""
        done, first = set(), True
        self.error_messages = {}
        placements = []
        for parent, index, child in walk(self):
            name = child["_name"] if tag_of(child) in ("input", "select", "textarea") else None
            if not name or name not in self.errors or name in done:
                continue
            done.add(name)
            error_id = f"{child['_id'] or name}__error"
            child["_aria-invalid"] = "true"
            child["_aria-describedby"] = error_id
            if first:
                child["_autofocus"] = True
                first = False
            message = DIV(self.errors[name], _class="error", _id=error_id, _role="alert")
            placements.append((parent, index + 1, message))
            self.error_messages[name] = message
        for parent, index, message in reversed(placements):  # later siblings first: the
            parent.children.insert(index, message)           # earlier indices stay right
        self._show_unplaced_errors(done)

    def _show_unplaced_errors(self, placed: set) -> None:
        """Errors that belong to no control (set by onvalidation) go on top of the form."""
        for name, message in self.errors.items():
            if name not in placed:
                self.children.insert(0, DIV(message, _class="error", _id=f"{name}__error",
                                            _role="alert"))

    def _react(self, how, message, flash_to_session=False) -> None:
        if callable(how):
            how(self)
        elif how == "flash":
            target = getattr(current, "session" if flash_to_session else "response", None)
            if target is not None:
                target.flash = message

    def _redirect_next(self, next_url: str) -> None:
        from server.http import redirect

        redirect(resolve_next(next_url, self.vars))

    # ----------------------------------------------------------------- custom views

    @property
    def custom(self) -> Storage:
        """``form.custom.begin`` / ``.end`` / ``.submit`` for hand-written form layouts."""
        attributes = TAGGER("form", **self.attributes).xml()
        submit = next((e for e in named_elements(self) if e["_type"] == "submit"), None)
        if submit is None:  # an element without children is falsy: test for None, not truth
            submit = self.element("input[type=submit]")
        return Storage(
            begin=XML(attributes[: -len("</form>")]),
            end=XML(self.hidden_fields().xml() + "</form>"),
            submit=submit if submit is not None else "",
        )
