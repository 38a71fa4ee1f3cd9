"""The wiki's menu: the app's own items from the ``wiki-menu`` page, then ``[Wiki]`` with
what the visitor may do on the page shown (view, edit, media, create, manage, search)."""

from __future__ import annotations

import re
from typing import Any

from server.current import current
from server.routing import URL

ITEM = re.compile(r"[\r\n\t]*(?P<depth>(\s*-\s*)+)(?P<title>\w.*?)\s+>\s+(?P<link>\S+)")


def wiki_menu(wiki: Any, controller: str = "default", function: str = "index") -> list:
    """``response.menu`` entries: ``(title, active, link, submenu)``."""
    menu = _page_items(wiki, controller, function)
    if wiki.can_see_menu():
        menu.append((current.T("[Wiki]"), None, None, _wiki_items(wiki, controller, function)))
    return menu


def _page_items(wiki, controller, function) -> list:
    """``- Title > link`` lines of the ``wiki-menu`` page; ``- - Sub > link`` nest."""
    menu_page = wiki.auth.db.wiki_page(slug="wiki-menu")
    menu: list = []
    if not menu_page:
        return menu
    request, levels = current.request, {"": menu}
    for match in ITEM.finditer(wiki.fix_hostname(menu_page.body)):
        depth, title, link = match.group("depth").replace(" ", ""), match.group("title"), \
            match.group("link")
        page_slug = None
        if link.startswith("@"):
            parts = link[2:].split("/")
            if len(parts) > 3:
                page_slug = parts[3]
                link = URL(a=parts[0] or None, c=parts[1] or controller,
                           f=parts[2] or function, args=parts[3:])
        submenu: list = []
        levels.get(depth[1:], menu).append(
            (current.T(title), page_slug is not None and request.args(0) == page_slug, link,
             submenu))
        levels[depth] = submenu
    return menu


def _wiki_items(wiki, controller, function) -> list:
    request, T = current.request, current.T
    items = []
    if URL() == URL(controller, function):
        first = str(request.args(0) or "")
        slug = (request.args(0) if not first.startswith("_") else request.args(1)) or "index"
        mode = {"": 1, "_edit": 2, "_editmedia": 3}.get(first if first.startswith("_") else "", 0)
        if mode in (2, 3):
            items.append((T("View Page"), None, URL(controller, function, args=slug)))
        if mode in (1, 3):
            items.append((T("Edit Page"), None, URL(controller, function, args=("_edit", slug))))
        if mode in (1, 2):
            items.append((T("Edit Page Media"), None,
                          URL(controller, function, args=("_editmedia", slug))))
    items.append((T("Create New Page"), None, URL(controller, function, args="_create")))
    if wiki.can_manage():
        items.append((T("Manage Pages"), None, URL(controller, function, args="_pages")))
        items.append((T("Edit Menu"), None,
                      URL(controller, function, args=("_edit", "wiki-menu"))))
    items.append((T("Search Pages"), None, URL(controller, function, args="_search")))
    return items
