"""The wiki's tables: web2py's names and columns, tags copied into wiki_tag on every save."""

import pytest
from pydal import DAL, Field

from server.auth import Auth
from server.current import current
from server.storage import Storage
from server.wiki.tables import define_wiki_tables, save_tags


@pytest.fixture
def auth(tmp_path):
    current.request = Storage(folder=str(tmp_path) + "/", env=Storage(http_host="h"), args=[], environ={},
                              vars=Storage(), application="kb", controller="default",
                              function="wiki")
    current.session, current.response = Storage(), Storage(headers={})
    db = DAL("sqlite://storage.sqlite", folder=str(tmp_path))
    auth = Auth(db)
    auth.define_tables(username=False, signature=False)
    yield auth
    db.close()
    for name in ("request", "session", "response"):
        delattr(current, name)


def define(auth, **options):
    settings = dict(renderer=lambda row: f"<p>{row.body}</p>", engines={"markmin", "html"},
                    show_engine=False, manage_permissions=False, migrate=True)
    settings.update(options)
    define_wiki_tables(auth, **settings)


def test_web2py_s_tables_and_columns(auth):
    define(auth)
    db = auth.db
    assert db.wiki_page.fields[:10] == ["id", "slug", "title", "body", "tags", "can_read",
                                        "can_edit", "changelog", "html", "render"]
    assert "created_by" in db.wiki_page.fields and "modified_on" in db.wiki_media.fields
    assert db.wiki_tag.wiki_page.type == "reference wiki_page"
    assert db.wiki_media.filename.type == "upload"
    assert db.wiki_page.can_read.default == ["everybody"] and not db.wiki_page.can_read.writable
    page_id = db.wiki_page.insert(slug="a", title="A", body="hi")
    assert db.wiki_page(page_id).html == "<p>hi</p>"


def test_permissions_and_engines_show_when_managed(auth):
    define(auth, manage_permissions=True, show_engine=True, engines={"markmin", "html", "md"})
    assert auth.db.wiki_page.can_edit.writable and auth.db.wiki_page.render.writable
    assert auth.db.wiki_page.render.requires.other.theset == ["html", "markmin", "md"]


def test_tags_follow_every_insert_and_update(auth):
    define(auth)
    db = auth.db
    page_id = db.wiki_page.insert(slug="a", title="A", body="x", tags=[" Pets ", "", "News"])
    assert sorted(r.name for r in db(db.wiki_tag).select()) == ["news", "pets"]
    db(db.wiki_page.id == page_id).update(tags=["cats"])
    assert [(r.name, r.wiki_page) for r in db(db.wiki_tag).select()] == [("cats", page_id)]
    save_tags(db, page_id, None)
    assert db(db.wiki_tag).isempty()


def test_an_app_s_own_table_and_extra_fields_are_kept(auth):
    db = auth.db
    db.define_table("wiki_tag", Field("name"), Field("wiki_page", "integer"), Field("color"))
    auth.settings.extra_fields = {"wiki_page": [Field("summary")]}
    define(auth)
    assert "color" in db.wiki_tag.fields and db.wiki_page.fields[1] == "summary"
