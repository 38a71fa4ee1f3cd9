"""Helpers that build markup from data: BEAUTIFY, MENU, CODE, MARKMIN, ASSIGNJS, embed64."""

from __future__ import annotations

import base64
import types
from collections.abc import Callable
from typing import IO, Any

from server.helpers.base import CAT, DIV, XML, XmlComponent, xmlescape
from server.helpers.controls import OPTION, SELECT
from server.helpers.highlight import colour
from server.helpers.tags import LI, TABLE, TD, TR, UL, A


def _visible_key(key: str):
    return None if key[:1] == "_" else key


class BEAUTIFY(DIV):
    """Any value as nested tables: dicts as ``key : value`` rows (keys starting with ``_``
    skipped unless ``keyfilter=`` says otherwise; ``sorted=`` orders them), lists one row an
    item, helpers as they are, anything else as its ``repr``. ``level=`` limits the depth."""

    tag = "div"

    def __init__(self, component: object, **attributes: Any) -> None:
        super().__init__(**attributes)
        self.children = []
        inner = dict(attributes)
        inner["level"] = attributes.get("level", 6) - 1
        if "_class" in inner:
            inner["_class"] += "i"
        if inner["level"] > 0:
            self.children = self._render(component, inner)

    def _render(self, value, inner: dict) -> list:
        shown = []
        if hasattr(value, "value") and not callable(value.value) and not hasattr(value, "file"):
            if value.value:
                shown.append(value.value)
        if hasattr(value, "xml") and callable(value.xml):
            return [*shown, value]
        if hasattr(value, "keys") and callable(value.keys):
            try:
                return [*shown, self._mapping(value, inner)]
            except Exception:  # noqa: BLE001 - an odd mapping falls back to its text, as in web2py
                pass
        if isinstance(value, str):
            shown.append(value)
        elif isinstance(value, bytes):
            shown.append(value.decode("utf8"))
        elif isinstance(value, (list, tuple)):
            shown.append(TABLE(*[TR(TD(BEAUTIFY(item, **inner))) for item in value], **inner))
        elif hasattr(value, "file"):
            shown.append("FieldStorage object")
        else:
            shown.append(repr(value))
        return shown

    def _mapping(self, mapping, inner: dict):
        order = self.attributes.get("sorted", sorted)
        keyfilter = self.attributes.get("keyfilter", _visible_key)
        rows = []
        for key in (order and order(mapping)) or mapping:
            label = keyfilter(key) if isinstance(key, str) and keyfilter else str(key)
            value = mapping[key]
            if label is None or isinstance(value, types.LambdaType):
                continue
            rows.append(TR(TD(label, _style="font-weight:bold;vertical-align:top;"),
                           TD(":", _style="vertical-align:top;"), TD(BEAUTIFY(value, **inner))))
        return TABLE(*rows, **inner)


class MENU(DIV):
    """Nested ``UL``s from ``[(title, active, link, [submenu]), ...]`` (a fifth item False hides
    an entry); ``mobile=True`` gives a SELECT instead. The class names are attributes:
    ``_class``, ``ul_class``, ``li_class``, ``li_first``, ``li_last``, ``li_active``."""

    tag = "ul"
    DEFAULTS = {"_class": "web2py-menu web2py-menu-vertical", "ul_class": "web2py-menu-vertical",
                "li_class": "web2py-menu-expand", "li_first": "web2py-menu-first",
                "li_last": "web2py-menu-last", "li_active": "web2py-menu-active",
                "mobile": False}

    def __init__(self, data: list, **attributes: Any) -> None:
        super().__init__(**{**self.DEFAULTS, **attributes})
        self.data = data

    def serialize(self, data: list, level: int = 0) -> UL:
        menu = UL(**self.attributes) if level == 0 else UL(_class=self["ul_class"])
        for item in data:
            if isinstance(item, LI):
                menu.append(item)
                continue
            entry = self._entry(item, data, level)
            if len(item) <= 4 or item[4] is True:
                menu.append(entry)
        return menu

    def _entry(self, item, data, level: int):
        title, active, link = item[:3]
        entry = LI(self._label(title, link))
        if level == 0 and item == data[0]:
            entry["_class"] = self["li_first"]
        elif level == 0 and item == data[-1]:
            entry["_class"] = self["li_last"]
        if len(item) > 3 and item[3]:
            entry["_class"] = self["li_class"]
            entry.append(self.serialize(item[3], level + 1))
        if active or ("active_url" in self.attributes and self["active_url"] == link):
            entry["_class"] = f"{entry['_class']} {self['li_active']}" if entry["_class"] \
                else self["li_active"]
        return entry

    def _label(self, title, link):
        if isinstance(link, DIV):
            return link
        if "no_link_url" in self.attributes and self["no_link_url"] == link:
            return DIV(title)
        if isinstance(link, dict):
            return A(title, **link)
        if link:
            return A(title, _href=link)
        if isinstance(title, A):
            return title
        return A(title, _href="#", _onclick="javascript:void(0);return false;")

    def serialize_mobile(self, data: list, select: SELECT | None = None,
                         prefix: object = "") -> DIV:
        select = select or SELECT(**self.attributes)
        custom = []
        for item in data:
            if (len(item) >= 3 and not item[0]) or (isinstance(item[0], DIV) and not item[2]):
                custom.append(item)
            elif len(item) <= 4 or item[4] is True:
                select.append(OPTION(CAT(prefix, item[0]), _value=item[2], _selected=item[1]))
                if len(item) > 3 and len(item[3]):
                    self.serialize_mobile(item[3], select, prefix=CAT(prefix, item[0], "/"))
        select["_onchange"] = "window.location=this.value"
        return DIV(select, self.serialize(custom)) if custom else select

    def xml(self) -> str:
        built = self.serialize_mobile(self.data) if self["mobile"] else self.serialize(self.data)
        return built.xml()


_PRE_STYLE = ("\nfont-size: 11px;\nfont-family: Bitstream Vera Sans Mono,monospace;\n"
              "background-color: transparent;\nmargin: 0;\npadding: 5px;\nborder: none;\n")
_CODE_STYLE = _PRE_STYLE + "overflow: auto;\nwhite-space: pre !important;\n"
_NUMBERS_STYLE = _PRE_STYLE + "color: #A0A0A0;\n"
_HIGHLIGHT_STYLE = "background-color: #EBDDE2;"


class CODE(DIV):
    """``CODE(text, language='python', link=None, counter=1, styles={}, highlight_line=None,
    context_lines=None)``: coloured code in a two-column table (line numbers, then the code)
    laid out as web2py's CODE.

    ``language`` is one of :data:`server.helpers.highlight.LANGUAGES` (anything else is shown
    escaped, uncoloured); ``link`` makes web2py's names links to ``link + name``; ``styles``
    replaces token styles by web2py's names, and ``CODE``/``LINENUMBERS``/``LINEHIGHLIGHT``
    the styles of the two columns and the highlighted line. ``counter=None`` drops the numbers,
    ``counter=n`` starts them at n, a string is used as a prompt. ``highlight_line`` marks one
    line (numbered as shown), ``context_lines`` keeps only that many lines around it.
    """

    tag = "code"

    def xml(self) -> str:
        styles = self.attributes.get("styles") or {}
        code = "".join(str(c) for c in self.children)
        lines = colour(code, self.attributes.get("language") or "python",
                       self.attributes.get("link"), styles).split("\n")
        numbers = self._numbers(len(lines))
        marked = self.attributes.get("highlight_line")
        if marked:
            lines, numbers = self._around(marked, lines, numbers,
                                          styles.get("LINEHIGHLIGHT") or _HIGHLIGHT_STYLE)
        table_attributes = "".join(
            f' {key[1:].lower()}="{xmlescape(value)}"' for key, value in self.attributes.items()
            if key.startswith("_") and value not in (None, False))
        return (f'<table{table_attributes}><tr style="vertical-align:top;"><td style="min-width:'
                f'40px; text-align: right;"><pre style="{styles.get("LINENUMBERS") or _NUMBERS_STYLE}">'
                f'{"<br/>".join(numbers)}</pre></td><td><pre style="{styles.get("CODE") or _CODE_STYLE}">'
                f'{"<br/>".join(lines)}</pre></td></tr></table>')

    def _numbers(self, count: int) -> list[str]:
        counter = self.attributes.get("counter", 1)
        if counter is None:
            return [""] * count
        if isinstance(counter, str):
            return [xmlescape(counter, quote=False)] * count
        return [f"{i + counter}." for i in range(count)]

    def _around(self, marked: int, lines: list[str], numbers: list[str], style: str):
        counter = self.attributes.get("counter", 1)
        index = marked - counter if isinstance(counter, int) and counter else marked
        if not 0 <= index < len(lines):
            return lines, numbers
        lines[index] = f'<span style="{xmlescape(style)}">{lines[index]}</span>'
        numbers[index] = f'<span style="{xmlescape(style)}">{numbers[index]}</span>'
        context = self.attributes.get("context_lines")
        if context:
            first, last = max(0, index - context), index + context + 1
            return lines[first:last], numbers[first:last]
        return lines, numbers


class MARKMIN(XmlComponent):
    """Markmin text rendered as HTML; extra keyword attributes wrap it in a DIV."""

    def __init__(self, text: str, extra: dict | None = None, allowed: dict | None = None,
                 sep: str = "p", url: object = None, environment: dict | None = None,
                 latex: str = "google", autolinks: object = "default",
                 protolinks: object = "default", class_prefix: str = "",
                 id_prefix: str = "markmin_", **attributes: Any) -> None:
        self.text = text
        self.options: dict[str, Any] = dict(extra=extra or {}, allowed=allowed or {}, sep=sep, url=url,
                            environment=environment, latex=latex, autolinks=autolinks,
                            protolinks=protolinks, class_prefix=class_prefix,
                            id_prefix=id_prefix)
        self.attributes = attributes
        self.children: list = []
        self.parent = None

    @property
    def name(self) -> None:
        return None

    def flatten(self, render: Callable[[object], object] | None = None) -> str:
        return self.text

    def xml(self) -> str:
        from server.toolkit.markmin import markmin2html

        html = markmin2html(self.text, **self.options)
        return DIV(XML(html), **self.attributes).xml() if self.attributes else html

    def __str__(self) -> str:
        return self.xml()


def _script_json(value) -> str:
    """JSON with ``< > &`` as ``\\u`` escapes, so no text can end the script it sits in."""
    from server.response import to_json

    text = to_json(value)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def SAFEJSON(value: object) -> str:  # noqa: N802 - web2py's name
    """JSON safe to write inside a <script> element."""
    return _script_json(value)


def ASSIGNJS(**variables: object) -> XML:  # noqa: N802 - web2py's name
    """``var name = <json>;`` lines, safe inside a <script> element."""
    return XML("".join(f"var {name} = {_script_json(value)};\n" for name, value in variables.items()))


def embed64(filename: str | None = None, file: IO[bytes] | None = None,
            data: bytes | None = None, extension: str = "image/gif") -> str:
    """A ``data:`` URL of a file's bytes (a path, an open file, or the bytes themselves)."""
    if filename:
        with open(filename, "rb") as handle:
            data = handle.read()
    elif file is not None:
        data = file.read()
    return f"data:{extension};base64,{base64.b64encode(data or b'').decode('ascii')}"


__all__ = ["ASSIGNJS", "BEAUTIFY", "CODE", "MARKMIN", "MENU", "SAFEJSON", "embed64"]
