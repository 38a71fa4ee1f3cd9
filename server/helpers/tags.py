"""The named tags of web2py's ``gluon.html``; most differ from ``DIV`` only in their tag.

The few with behaviour of their own: tables, lists and their rows wrap bare items; ``SCRIPT``
and ``STYLE`` write their body unescaped inside comment guards; ``A`` turns web2py.js options
(``callback=``, ``cid=``, ``delete=``, ``target=``, ``component=``) into ``data-w2p_*``
attributes; ``P(cr2br=True)``; ``HTML``/``XHTML`` add their doctype.
"""

from __future__ import annotations

import uuid

from server.helpers.base import DIV


def _tag(name: str, tag: str, doc: str = "") -> type:
    return type(name, (DIV,), {"tag": tag, "__doc__": doc or f"``<{tag.rstrip('/')}>``",
                               "__module__": __name__})


HEAD, TITLE, BODY = _tag("HEAD", "head"), _tag("TITLE", "title"), _tag("BODY", "body")
META, LINK, IMG = _tag("META", "meta/"), _tag("LINK", "link/"), _tag("IMG", "img/")
BR, HR, EMBED, COL = _tag("BR", "br/"), _tag("HR", "hr/"), _tag("EMBED", "embed/"), _tag("COL", "col/")
SPAN, LABEL, LI = _tag("SPAN", "span"), _tag("LABEL", "label"), _tag("LI", "li")
H1, H2, H3 = _tag("H1", "h1"), _tag("H2", "h2"), _tag("H3", "h3")
H4, H5, H6 = _tag("H4", "h4"), _tag("H5", "h5"), _tag("H6", "h6")
STRONG, B, EM, I, TT = (_tag("STRONG", "strong"), _tag("B", "b"), _tag("EM", "em"),  # noqa: E741
                        _tag("I", "i"), _tag("TT", "tt"))
PRE, CENTER, BUTTON = _tag("PRE", "pre"), _tag("CENTER", "center"), _tag("BUTTON", "button")
TD, TH, COLGROUP = _tag("TD", "td"), _tag("TH", "th"), _tag("COLGROUP", "colgroup")
IFRAME, OBJECT = _tag("IFRAME", "iframe"), _tag("OBJECT", "object")
FIELDSET, LEGEND = _tag("FIELDSET", "fieldset"), _tag("LEGEND", "legend")


class P(DIV):
    """``<p>``; with ``cr2br=True`` line breaks in the text become ``<br />``."""

    tag = "p"

    def xml(self) -> str:
        text = super().xml()
        return text.replace("\n", "<br />") if self["cr2br"] else text


class UL(DIV):
    """``<ul>``: items that are not LI are wrapped in one."""

    tag = "ul"

    def _fixup(self) -> None:
        self._wrap_components(LI, LI)


class OL(UL):
    tag = "ol"


class TR(DIV):
    """``<tr>``: cells that are not TD/TH are wrapped in TD."""

    tag = "tr"

    def _fixup(self) -> None:
        self._wrap_components((TD, TH), TD)


class HeadRow(TR):
    """A row of THEAD: bare cells become TH."""

    def _fixup(self) -> None:
        self._wrap_components((TD, TH), TH)


class THEAD(DIV):
    tag = "thead"

    def _fixup(self) -> None:
        self._wrap_components(TR, HeadRow)


class TBODY(DIV):
    tag = "tbody"

    def _fixup(self) -> None:
        self._wrap_components(TR, TR)


class TFOOT(TBODY):
    tag = "tfoot"


class TABLE(DIV):
    """``<table>``: anything that is not a row, section or column is wrapped in TR."""

    tag = "table"

    def _fixup(self) -> None:
        self._wrap_components((TR, TBODY, THEAD, TFOOT, COL, COLGROUP), TR)


class SCRIPT(DIV):
    """``SCRIPT('js')`` writes the code as is, inside ``<!-- //-->``; ``SCRIPT(_src=url)`` has
    no body at all."""

    tag = "script"

    def xml(self) -> str:
        attributes, _ = self._xml()
        code = "\n".join(c.xml() if hasattr(c, "xml") and callable(c.xml) else str(c)
                         for c in self.children)
        if not code:
            return super().xml()
        return f"<script{attributes}><!--\n{code}\n//--></script>"


class STYLE(DIV):
    """``STYLE('css')``: the rules as is, inside CDATA guards."""

    tag = "style"

    def xml(self) -> str:
        attributes, _ = self._xml()
        rules = "\n".join(str(c) for c in self.children)
        if not rules:
            return super().xml()
        return f"<style{attributes}><!--/*--><![CDATA[/*><!--*/\n{rules}\n/*]]>*/--></style>"


class A(DIV):
    """``A(text, _href=url)``; without text the address is shown. web2py.js options:
    ``callback=url`` (POST, no page change), ``cid=id`` (load into an element), ``target=``,
    ``delete='tr'`` (remove the enclosing element), ``confirm=``/``noconfirm=``, ``component=``."""

    tag = "a"

    def xml(self) -> str:
        if not self.children and self["_href"]:
            self.append(self["_href"])
        if any(self[option] for option in ("callback", "cid", "delete", "component", "target")):
            self["_data-w2p_disable_with"] = self["_disable_with"] or "default"
            self["_disable_with"] = None
        if self["callback"] and not self["_id"]:
            self["_id"] = uuid.uuid4().hex
        if self["delete"]:
            self["_data-w2p_remove"] = self["delete"]
        if self["target"]:
            if self["target"] == "<self>":
                self["target"] = self["_id"]
            self["_data-w2p_target"] = self["target"]
        self._set_method()
        return super().xml()

    def _set_method(self) -> None:
        if self["component"]:
            self["_data-w2p_method"], self["_href"] = "GET", self["component"]
        elif self["callback"]:
            self["_data-w2p_method"], self["_href"] = "POST", self["callback"]
            if self["delete"] and not self["noconfirm"]:
                self["_data-w2p_confirm"] = self["confirm"] or "default"
        elif self["cid"]:
            self["_data-w2p_method"], self["_data-w2p_target"] = "GET", self["cid"]
            if self["pre_call"]:
                self["_data-w2p_pre_call"] = self["pre_call"]


DOCTYPES = {
    "strict": '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN" '
              '"http://www.w3.org/TR/html4/strict.dtd">\n',
    "transitional": '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" '
                    '"http://www.w3.org/TR/html4/loose.dtd">\n',
    "frameset": '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Frameset//EN" '
                '"http://www.w3.org/TR/html4/frameset.dtd">\n',
    "html5": "<!DOCTYPE HTML>\n",
    "": "",
}

XHTML_DOCTYPES = {
    "strict": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
              '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n',
    "transitional": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n',
    "frameset": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Frameset//EN" '
                '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-frameset.dtd">\n',
}


class HTML(DIV):
    """``<html lang=...>`` after a doctype: ``doctype='strict'|'transitional'`` (the default)
    ``|'frameset'|'html5'|''`` or your own line; ``lang`` defaults to ``en``."""

    tag = "html"

    def xml(self) -> str:
        self.attributes["_lang"] = self["lang"] or "en"
        doctype = self["doctype"]
        doctype = DOCTYPES["transitional"] if doctype is None else \
            DOCTYPES.get(doctype, f"{doctype}\n")
        attributes, content = self._xml()
        return f"{doctype}<html{attributes}>{content}</html>"


class XHTML(DIV):
    """``HTML`` for XHTML 1.0: also ``xmlns`` and ``xml:lang``."""

    tag = "html"
    xmlns = "http://www.w3.org/1999/xhtml"

    def xml(self) -> str:
        lang = self["lang"] or "en"
        self.attributes.update({"_xmlns": self["xmlns"] or self.xmlns, "_lang": lang,
                                "_xml:lang": lang})
        doctype = self["doctype"]
        doctype = XHTML_DOCTYPES.get(doctype, f"{doctype}\n") if doctype else \
            XHTML_DOCTYPES["transitional"]
        attributes, content = self._xml()
        return f"{doctype}<html{attributes}>{content}</html>"


__all__ = ["A", "B", "BODY", "BR", "BUTTON", "CENTER", "COL", "COLGROUP", "EM", "EMBED",
           "FIELDSET", "H1", "H2", "H3", "H4", "H5", "H6", "HEAD", "HR", "HTML", "I", "IFRAME",
           "IMG", "LABEL", "LEGEND", "LI", "LINK", "META", "OBJECT", "OL", "P", "PRE", "SCRIPT",
           "SPAN", "STRONG", "STYLE", "TABLE", "TBODY", "TD", "TFOOT", "TH", "THEAD", "TITLE",
           "TR", "TT", "UL", "XHTML"]
