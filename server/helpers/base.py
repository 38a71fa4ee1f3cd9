"""web2py's helper classes, built on yatl's ``TAGGER`` (so yatl's ``find`` and every
``isinstance(x, TAGGER)`` test in the forms keep working).

``DIV`` is the root of every tag: ``.components`` (children) and ``.attributes`` (``_name``
ones become HTML attributes, others steer the helper), ``[i]``/``['_attr']`` to read and write,
``element()``/``elements()`` with CSS-like selectors, ``sibling()``/``siblings()``,
``flatten()``. ``xml()`` writes web2py's bytes: attributes sorted, ``<br />`` for empty tags,
text and attribute values escaped with ``html.escape``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any, Self

import yatl.helpers
from yatl.helpers import TAGGER

# a helper's flatten(render): render(text) for plain text, render(text, tag, attributes) for
# a helper's; it answers the text to keep
Render = Callable[..., str] | None


def xmlescape(data: Any, quote: bool = True) -> str:
    """A helper's own markup, or the text of anything else with ``& < >`` (and quotes) escaped."""
    if hasattr(data, "xml") and callable(data.xml):
        return data.xml()
    if data is None:
        return ""
    if isinstance(data, bytes):
        data = data.decode("utf8", "xmlcharrefreplace")
    return html.escape(str(data), quote=quote)


def attribute_text(value: Any) -> str:
    """An attribute value as escaped text: even a helper or a lazy T is escaped, never trusted."""
    if isinstance(value, bytes):
        value = value.decode("utf8", "xmlcharrefreplace")
    return html.escape(str(value), quote=True)


class XmlComponent(TAGGER):
    """What every web2py helper can do beyond rendering."""

    def __add__(self, other) -> CAT:
        mine = list(self.components) if isinstance(self, CAT) else [self]
        theirs = list(other.components) if isinstance(other, CAT) else [other]
        return CAT(*(mine + theirs))

    def __mul__(self, times: int) -> CAT:
        return CAT(*[self for _ in range(times)])

    def add_class(self, name: str) -> Self:
        """Add the space-separated class names to ``_class`` (existing ones keep their order)."""
        classes = (self["_class"] or "").split()
        classes += [c for c in name.split() if c not in classes]
        self["_class"] = " ".join(classes) or None
        return self

    def remove_class(self, name: str) -> Self:
        removed = set(name.split())
        classes = [c for c in (self["_class"] or "").split() if c not in removed]
        self["_class"] = " ".join(classes) or None
        return self


class XML(XmlComponent, yatl.helpers.XML):
    """Markup written as is (``sanitize=True`` keeps only harmless tags and attributes).

    Any object is taken as its text, so ``XML(T('<b>%s</b>', name))`` is the translation.
    """

    def __init__(self, text: object, sanitize: bool = False,
                 permitted_tags: list[str] = yatl.helpers.XML_PERMITTED_TAGS,
                 allowed_attributes: dict[str, list[str]] = yatl.helpers.XML_ALLOWED_ATTRIBUTES,
                 ) -> None:
        if isinstance(text, bytes):
            text = text.decode("utf8", "xmlcharrefreplace")
        yatl.helpers.XML.__init__(self, str(text), sanitize, permitted_tags, allowed_attributes)
        self.attributes: dict = {}
        self.parent = None

    @property
    def components(self) -> list:
        return [self.text]

    def __eq__(self, other) -> bool:
        return str(self) == str(other)

    __hash__ = yatl.helpers.XML.__hash__

    def __repr__(self) -> str:
        return self.text

    def flatten(self, render: Render = None) -> str:
        return render(self.text, None, {}) if render else self.text

    def elements(self, *args: object, **kwargs: object) -> list:
        return []


class DIV(XmlComponent):
    """``DIV(*components, **attributes)``; every other tag is a subclass with its own ``tag``
    (a trailing ``/`` marks a tag that has no content, such as ``br/``)."""

    tag = "div"

    def __init__(self, *components: Any, **attributes: Any) -> None:
        if self.tag.endswith("/") and components:
            raise SyntaxError(f"<{self.tag}> tags cannot have components")
        if len(components) == 1 and isinstance(components[0], (list, tuple)):
            components = tuple(components[0])
        self.children = list(components)
        self.attributes = attributes
        self.parent: DIV | None = None
        self._fixup()
        for component in self.children:
            self._setnode(component)
        self._postprocessing()

    # yatl's TAGGER calls its tag ``name`` and its children ``children``; web2py says ``tag``
    # and ``components``. Both names refer to the same thing here. web2py's DIV has no ``name``
    # of its own, so subclasses use it for their own purposes (Sahana Eden's ICON keeps its icon
    # name there): a name set by the helper's code is kept and read back.
    @property
    def name(self) -> str:
        return self.__dict__.get("_own_name", self.tag)

    @name.setter
    def name(self, value: str) -> None:
        self.__dict__["_own_name"] = value

    @property
    def components(self) -> list:
        return self.children

    @components.setter
    def components(self, value: list) -> None:
        self.children = value

    # ----- hooks subclasses override ---------------------------------------------------------
    def _fixup(self) -> None:
        """Wrap or check components (UL wraps non-LI items in LI, ...)."""

    def _postprocessing(self) -> None:
        """Turn non-underscore attributes into markup (INPUT's ``value=``, ...)."""

    def _setnode(self, value) -> None:
        if isinstance(value, TAGGER) and not isinstance(value, yatl.helpers.XML):
            value.parent = self

    def _wrap_components(self, allowed, wrapper) -> None:
        wrapped = []
        for component in self.children:
            if not isinstance(component, (allowed, CAT)):
                component = wrapper(component)
            self._setnode(component)
            wrapped.append(component)
        self.children = wrapped

    # ----- dict and list behaviour -----------------------------------------------------------
    def __getitem__(self, key):
        if isinstance(key, str):
            return self.attributes.get(key)
        return self.children[key]

    def __setitem__(self, key, value) -> None:
        self._setnode(value)
        if isinstance(key, str):
            self.attributes[key] = value
        else:
            self.children[key] = value

    def __delitem__(self, key) -> None:
        if isinstance(key, str):
            del self.attributes[key]
        else:
            del self.children[key]

    def __len__(self) -> int:
        return len(self.children)

    def __bool__(self) -> bool:
        return True

    def get(self, key: str) -> Any:
        return self.attributes.get(key)

    def update(self, **attributes: Any) -> Self:
        for key, value in attributes.items():
            self[key] = value
        return self

    def append(self, value: Any) -> None:
        self._setnode(value)
        self.children.append(value)
        self._fixup()

    def insert(self, index: int, value: Any) -> None:
        self._setnode(value)
        self.children.insert(index, value)
        self._fixup()

    # ----- rendering ---------------------------------------------------------------------------
    def _xml(self) -> tuple[str, str]:
        """``(attributes, content)``: the attribute text (with its leading spaces) and the
        rendered components."""
        pairs = []
        for key, value in self.attributes.items():
            if not key.startswith("_") or value is False or value is None:
                continue
            pairs.append((key[1:], key[1:] if value is True else value))
        pairs += [(f"data-{key}", value) for key, value in (self.attributes.get("data") or {}).items()]
        attributes = "".join(f' {yatl.helpers._vk(name)}="{attribute_text(value)}"'
                             for name, value in sorted(pairs))
        return attributes, "".join(xmlescape(component) for component in self.children)

    def xml(self) -> str:
        attributes, content = self._xml()
        if not self.tag:
            return content
        if self.tag.endswith("/"):
            return f"<{self.tag[:-1]}{attributes} />"
        return f"<{self.tag}{attributes}>{content}</{self.tag}>"

    def __str__(self) -> str:
        return self.xml()

    def flatten(self, render: Render = None) -> str:
        """The text inside, each piece passed through ``render(text, tag, attributes)``."""
        text = ""
        for component in self.children:
            if isinstance(component, XmlComponent):
                text += component.flatten(render)
            else:
                text += render(component) if render else str(component)
        return render(text, self.tag, self.attributes) if render else text

    # ----- searching ---------------------------------------------------------------------------
    def elements(self, *selectors: str, **conditions: Any) -> list:
        """Every helper below (and including) this one that matches: tag names or CSS-like
        selectors (``'div a#x, p.c'``, ``'input[name=a]'``) and ``_attribute=value`` (or a
        regex) conditions; ``replace=`` swaps or (None) removes them, ``find=`` matches text."""
        if "find_text" in conditions:
            conditions["text"] = conditions.pop("find_text")
        if len(selectors) == 1:
            selectors = tuple(part.strip() for part in selectors[0].split(","))
        if len(selectors) > 1:
            return [found for selector in selectors for found in self.elements(selector, **conditions)]
        return self.find(selectors[0] if selectors else None, **conditions)

    def element(self, *selectors: str, **conditions: Any) -> Any:
        found = self.elements(*selectors, first_only=True, **conditions)
        return found[0] if found else None

    def siblings(self, *tags: str, **conditions: Any) -> list:
        """The other components of this one's parent that have one of ``tags`` and the
        attribute values given."""
        first_only = conditions.pop("first_only", False)
        matches = []
        for other in (self.parent.children if self.parent is not None else []):
            if other is self or not isinstance(other, DIV):
                continue
            if tags and other.tag.rstrip("/") not in tags:
                continue
            if all(other[key] == value for key, value in conditions.items()):
                matches.append(other)
                if first_only:
                    break
        return matches

    def sibling(self, *tags: str, **conditions: Any) -> Any:
        found = self.siblings(*tags, first_only=True, **conditions)
        return found[0] if found else None


class CAT(DIV):
    """Components side by side, with no tag of their own."""

    tag = ""


class TagDiv(DIV):
    """A tag made by name: ``TAG.section(...)``, ``TAG['svg:path/']()``."""

    def __init__(self, tag: str, *components: Any, **attributes: Any) -> None:
        self.tag = tag
        super().__init__(*components, **attributes)


class TagFactory:
    """``TAG.name(...)`` or ``TAG['name'](...)`` makes any tag (a trailing ``_`` or ``/`` makes
    an empty one); ``TAG(html_text)`` parses markup into helpers."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        return self[name]

    def __getitem__(self, name: str):
        if name.endswith("_"):
            name = name[:-1] + "/"
        return lambda *components, **attributes: TagDiv(name, *components, **attributes)

    def __call__(self, text: str) -> DIV:
        from server.helpers.parser import parse_html

        return parse_html(text)


TAG = TagFactory()

#: web2py's flag for boolean attributes: ``INPUT(_type='checkbox', _checked=ON)``.
ON = True
