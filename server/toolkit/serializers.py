"""web2py's ``gluon.serializers``: JSON, XML, CSV and RSS of the values actions return.

``custom_json`` is the fallback for what :mod:`json` cannot write: objects with their own
``custom_json()``/``as_list()``/``as_dict()``, helpers (their XML), lazy ``T`` (its text), dates,
decimals and sets. ``json`` escapes ``<``, ``>`` and ``&`` so its output is safe inside a
``<script>``.
"""

from __future__ import annotations

import csv as csv_module
import datetime
import decimal
import io
import json as json_module
from collections.abc import Callable
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from server.toolkit.rss2 import RSS2, RSSItem

HTML_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def custom_json(value: Any) -> Any:
    """What ``value`` stands for in JSON; TypeError when nothing fits."""
    for method in ("custom_json", "as_list", "as_dict"):
        if callable(getattr(value, method, None)):
            return getattr(value, method)()
    if callable(getattr(value, "xml", None)):
        return str(value.xml(), "utf-8") if isinstance(value.xml(), bytes) else value.xml()
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()[:19].replace("T", " ")
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (set, frozenset)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if type(value).__name__ == "lazyT":
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def json(value: Any, default: Callable[[Any], Any] = custom_json, indent: int | str | None = None,
         sort_keys: bool = False, cls: type[json_module.JSONEncoder] | None = None) -> str:
    text = json_module.dumps(value, default=default, indent=indent, sort_keys=sort_keys, cls=cls)
    for char, escaped in HTML_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def loads_json(text: str | bytes, unicode_keys: bool = True, **kwargs: Any) -> Any:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return json_module.loads(text, **kwargs)


def xml_safe_key(key: Any) -> str:
    """A tag name from a key: characters not allowed in a name become ``_``."""
    name = "".join(c if c.isalnum() or c in "_-." else "_" for c in str(key)) or "item"
    return name if name[0].isalpha() or name[0] == "_" else "_" + name


def _xml_text(value, quote: bool) -> str:
    text = "" if value is None else str(value)
    return escape(text, {'"': "&quot;", "'": "&#x27;"} if quote else {})


def xml_rec(value: Any, key: str, quote: bool = True) -> str:
    if hasattr(value, "custom_xml") and callable(value.custom_xml):
        return value.custom_xml()
    if isinstance(value, dict):
        inner = "".join(xml_rec(v, xml_safe_key(k), quote) for k, v in value.items())
        return f"<{key}>{inner}</{key}>"
    if isinstance(value, (list, tuple, set)) or hasattr(value, "as_list"):
        items = value.as_list() if hasattr(value, "as_list") else value
        return f"<{key}>" + "".join(xml_rec(v, "item", quote) for v in items) + f"</{key}>"
    return f"<{key}>{_xml_text(value, quote)}</{key}>"


def xml(value: Any, encoding: str = "UTF-8", key: str = "document", quote: bool = True) -> str:
    """``<?xml ...?><document>...</document>``: dicts become elements, lists ``<item>``s."""
    return f'<?xml version="1.0" encoding={quoteattr(encoding)}?>' + xml_rec(value, key, quote)


def csv(value: Any) -> str:
    """Rows (anything with ``export_to_csv_file``) or a list of rows as CSV text."""
    out = io.StringIO()
    if hasattr(value, "export_to_csv_file"):
        value.export_to_csv_file(out)
    else:
        writer = csv_module.writer(out)
        for row in value or ():
            writer.writerow(row.values() if isinstance(row, dict) else row)
    return out.getvalue()


def rss(feed: dict) -> str:
    """RSS 2.0 from ``dict(title=, link=, description=, created_on=, entries=[dict(title=,
    link=, description=, created_on=)])``, web2py's generic.rss shape."""
    now = datetime.datetime.now()
    items = [RSSItem(title=entry.get("title", "(notitle)"), link=entry.get("link"),
                     description=entry.get("description", ""),
                     pubDate=entry.get("created_on", now))
             for entry in feed.get("entries", [])]
    return RSS2(title=str(feed.get("title", "(notitle)")), link=str(feed.get("link", "")),
                description=str(feed.get("description", "")),
                lastBuildDate=feed.get("created_on", now), items=items).to_xml("utf-8")
