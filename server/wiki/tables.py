"""The wiki's tables under web2py's names and columns: ``wiki_page``, ``wiki_tag``,
``wiki_media``; a page's ``tags`` are copied into ``wiki_tag`` whenever it is saved, so
search and the tag cloud are queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydal import Field
from pydal.validators import IS_EMPTY_OR, IS_IN_SET, IS_NOT_IN_DB, IS_SLUG

EVERYBODY = "everybody"


def define_wiki_tables(auth: Any, renderer: Callable, engines: set[str], show_engine: bool,
                       manage_permissions: bool, migrate: bool) -> None:
    """Define the three tables that are not there yet (an app may define its own first), with
    ``auth.settings.extra_fields['wiki_page']`` (...) in front, as web2py does."""
    db = auth.db
    signature = [auth.signature] if auth.signature is not None else []
    definitions = {
        "wiki_page": [
            Field("slug", requires=[IS_SLUG(), IS_NOT_IN_DB(db, "wiki_page.slug")],
                  writable=False),
            Field("title", length=255, unique=True),
            Field("body", "text", notnull=True),
            Field("tags", "list:string"),
            Field("can_read", "list:string", writable=manage_permissions,
                  readable=manage_permissions, default=[EVERYBODY]),
            Field("can_edit", "list:string", writable=manage_permissions,
                  readable=manage_permissions, default=[EVERYBODY]),
            Field("changelog"),
            Field("html", "text", compute=renderer, readable=False, writable=False),
            Field("render", default="markmin", readable=show_engine, writable=show_engine,
                  requires=IS_EMPTY_OR(IS_IN_SET(sorted(engines)))),
            *signature,
        ],
        "wiki_tag": [Field("name"), Field("wiki_page", "reference wiki_page"), *signature],
        "wiki_media": [Field("wiki_page", "reference wiki_page"),
                       Field("title", required=True),
                       Field("filename", "upload", required=True), *signature],
    }
    extra_fields = auth.settings.extra_fields or {}
    for name, fields in definitions.items():
        if name not in db.tables:
            db.define_table(name, *(extra_fields.get(name) or []), *fields,
                            format="%(title)s", migrate=migrate)
    db.wiki_page._after_insert.append(lambda page, page_id: save_tags(db, page_id, page.get("tags")))
    db.wiki_page._after_update.append(_retag_updated)


def save_tags(db: Any, page_id: int, tags: Any) -> None:
    """``wiki_tag`` rows for ``page_id``: its tags, trimmed and lower-case, replacing any."""
    db(db.wiki_tag.wiki_page == page_id).delete()
    for tag in tags or []:
        name = str(tag).strip().lower()
        if name:
            db.wiki_tag.insert(name=name, wiki_page=page_id)


def _retag_updated(dbset: Any, changes: Any) -> None:
    db = dbset.db
    for page in dbset.select(db.wiki_page.id, db.wiki_page.tags):
        save_tags(db, page.id, page.tags)
