"""The wiki's search (by tag, or words of a title) and its tag cloud."""

from __future__ import annotations

from functools import reduce
from typing import Any

from pydal.validators import IS_NOT_EMPTY

from server.current import current
from server.forms.form import FORM, translate
from server.helpers import CAT, DIV, H3, INPUT, MARKMIN, A
from server.routing import URL


def search(wiki: Any, tags: list | None = None, query: Any = None, cloud: bool = True,
           preview: bool = True, limitby: tuple = (0, 100), orderby: Any = None) -> Any:
    """``_search?q=tag1,tag2``: pages with one of the tags (most matches first) or with the
    words in their title; without a query, the search box and the tag cloud. As JSON (or
    any extension but html/load) the readable pages' fields."""
    if not wiki.can_search():
        return wiki.not_authorized()
    request = current.request
    words = request.vars.q if isinstance(request.vars.q, str) else ""
    content = CAT()
    if tags is None and query is None:
        form = FORM(INPUT(_name="q", requires=IS_NOT_EMPTY(), _value=words,
                          **{"_aria-label": translate("Search")}),
                    INPUT(_type="submit", _value=translate("Search")), _method="GET")
        content.append(DIV(form, _class="w2p_wiki_form"))
        tags = [tag.strip().lower() for tag in words.split(",") if tag.strip()]
    if not tags and query is None:
        if cloud:
            content.append(wiki.cloud()["content"])
        return content if request.extension == "load" else dict(content=content)
    pages = _found(wiki, tags, query, words, preview, limitby, orderby)
    if request.extension not in ("html", "load", None):
        return dict(content=[p.wiki_page.as_dict() for p in pages if wiki.can_read(p.wiki_page)])
    if not pages:
        content.append(DIV(translate("No results"), _class="w2p_wiki_form"))
    content.append(DIV(*[_item(wiki, p.wiki_page, preview) for p in pages],
                       _class="w2p_wiki_pages"))
    return content if request.extension == "load" else dict(content=content)


def _found(wiki, tags, query, words, preview, limitby, orderby):
    """Pages joined to their matching tags, counted: an explicit ``query`` (a user's recent
    pages), else pages with one of ``tags`` or with ``words`` in their title."""
    db = wiki.auth.db
    page, tag = db.wiki_page, db.wiki_tag
    count = tag.wiki_page.count()
    fields = [page.id, page.slug, page.title, page.tags, page.can_read, page.can_edit,
              page.created_by]
    if preview:
        fields.append(page.body)
    joined = tag.wiki_page == page.id
    if query is None:
        joined &= tag.name.belongs(tags or [""])
        query = tag.id != None  # noqa: E711 - pydal's IS NOT NULL
        if words:
            query |= page.title.contains(words)
    if wiki.settings.restrict_search and not wiki.can_manage():
        query &= page.created_by == wiki.auth.user_id
    return db(query).select(count, *fields, left=tag.on(joined), orderby=orderby or ~count,
                            groupby=reduce(lambda a, b: a | b, fields), limitby=limitby)


def _item(wiki, page, preview):
    tags = [A(tag.strip(), _href=URL(args="_search", vars=dict(q=tag.strip())))
            for tag in page.tags or [] if tag.strip()]
    return DIV(H3(A(page.title, _href=URL(args=page.slug))),
               MARKMIN(wiki.first_paragraph(page)) if preview else "",
               DIV(*tags, _class="w2p_wiki_tags"), _class="w2p_wiki_search_item")


def cloud(wiki: Any) -> dict:
    """The twenty most used tags, the more pages a tag has the bigger its link."""
    db = wiki.auth.db
    count = db.wiki_tag.wiki_page.count(distinct=True)
    rows = db(db.wiki_tag).select(db.wiki_tag.name, count, distinct=True,
                                  groupby=db.wiki_tag.name, orderby=~count, limitby=(0, 20))
    most, least = (rows[0](count), rows[-1](count)) if rows else (0, 0)
    items = []
    for row in rows:
        size = 1.5 * (row(count) - least) / max(most - least, 1) + 1.3
        items += [A(row.wiki_tag.name, _style=f"padding:0 0.2em;line-height:1.30em;"
                                              f"font-size:{size:.2f}em",
                    _href=URL(args="_search", vars=dict(q=row.wiki_tag.name))), " "]
    return dict(content=DIV(*items, _class="w2p_cloud"))
