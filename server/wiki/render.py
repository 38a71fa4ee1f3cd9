"""How a wiki page's body becomes HTML: markmin (the default) or HTML, then its tags as
search links. ``@/app/controller/function/args`` links (``@////slug`` for another page of this
wiki) become URLs of this site, and ``@{component:controller/function/args}`` the output of
that action, in both engines."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from server.helpers import DIV, LOAD, MARKMIN, A
from server.routing import URL
from server.toolkit.autolinks import expand_html
from server.toolkit.markmin import replace_components

AT_URL = re.compile(r"(?<=[\"'(\s])@(/[\w\-./]*)")


def at_url(link: str) -> str:
    """``@/app/controller/function/args...`` as a URL; empty parts are the current ones."""
    parts = link.lstrip("@").split("/")[1:]
    app, controller, function, *args = (parts + ["", "", ""])[:3] + parts[3:]
    return URL(a=app or None, c=controller or None, f=function or None,
               args=[a for a in args if a])


def render_tags(tags: Any) -> DIV:
    """The page's tags, each a link to the wiki's search for it."""
    links = [A(tag.strip(), _href=URL(args="_search", vars=dict(q=tag.strip())))
             for tag in tags or [] if tag.strip()]
    return DIV(*links, _class="w2p_wiki_tags")


def markmin_render(page: Any, extra: dict | None = None, environment: dict | None = None) -> str:
    body = MARKMIN(page.body or "", extra=extra or {}, url=at_url, environment=environment)
    return body.xml() + render_tags(page.tags).xml()


def component(text: str | None) -> str:
    """``@{component:controller/function/args}`` in a page: that action's output, loaded into
    the page by the browser (web2py's ``LOAD(..., ajax=True)``)."""
    controller, function, *args = (text or "").split("/") + ([""] if "/" not in (text or "") else [])
    if not controller or not function:
        raise ValueError("a component is named controller/function[/args]")
    return LOAD(controller, function, args=args, ajax=True).xml()


def html_render(page: Any, environment: dict | None = None) -> str:
    """The body as the author wrote it (authors are trusted members of the wiki's groups),
    its ``@/...`` links made URLs, bare media links made players and ``@{name:...}`` calls
    made."""
    html = AT_URL.sub(lambda match: at_url("@" + match.group(1)), page.body or "")
    html = replace_components(expand_html(html), environment or {})
    return html + render_tags(page.tags).xml()


def choose_renderer(render: Any, extra: dict, environment: dict) -> Callable[[Any], str]:
    """web2py's ``render=``: ``'markmin'``/``'html'``, a function, or a dict of named
    engines (a page's ``render`` column picks one; ``{}`` offers the built-in two)."""
    builtin = {"markmin": lambda page: markmin_render(page, extra, environment),
               "html": lambda page: html_render(page, environment)}
    if isinstance(render, str):
        if render not in builtin:
            raise ValueError(f"unknown wiki render engine: {render!r}")
        return builtin[render]
    if callable(render):
        return render
    if isinstance(render, dict):
        engines = {**builtin, **render}
        return lambda page: engines.get(page.render or "markmin", builtin["markmin"])(page)
    raise ValueError(f"invalid wiki render: {type(render).__name__}")
