"""SQLFORM's upload fields: stored files, the delete checkbox, size limits, validators of the
posted file, autodelete, factories that store uploads."""


from form_support import Upload, post, row_html
from pydal import Field
from pydal.validators import IS_NOT_EMPTY

from server.forms import SQLFORM


def test_upload_delete_checkbox_clears_the_file(web, tables):
    thing_id = tables.thing.insert(title="T", doc="thing.doc.aa.bb.txt")
    form = SQLFORM(tables.thing, thing_id, upload="/app/default/download")
    form.process()
    row = row_html(form, "doc")
    assert 'href="/app/default/download/thing.doc.aa.bb.txt"' in row
    assert '<input id="doc__delete" name="doc__delete" type="checkbox" value="on" />' in row
    assert '<label for="doc__delete">delete</label>' in row
    post(f"thing/{thing_id}", id=str(thing_id), title="T", doc__delete="on")
    assert SQLFORM(tables.thing, thing_id).process().accepted
    assert tables.thing(thing_id).doc == ""


def test_posted_text_instead_of_a_file_is_never_stored_as_a_name(web, tables):
    SQLFORM(tables.thing).process()
    post("thing/create", title="T", doc="../../etc/passwd")
    form = SQLFORM(tables.thing).process()
    assert form.accepted
    assert tables.thing(form.vars.id).doc == ""


def test_upload_over_the_app_limit_is_a_form_error(web, tables):
    web.response.upload_maxsize = 10
    SQLFORM(tables.thing).process()
    post("thing/create", title="T", doc=Upload("big.bin", b"x" * 11))
    form = SQLFORM(tables.thing).process()
    assert not form.accepted and "too large" in form.errors.doc
    assert list((web.request.folder and __import__("pathlib").Path(web.request.folder)
                 / "uploads").iterdir()) == []


def test_unchanged_upload_with_required_file_and_extra_inputs(web, db):
    from yatl.helpers import INPUT, TR

    table = db.define_table("paper", Field("title"),
                            Field("scan", "upload", requires=IS_NOT_EMPTY()))
    paper_id = table.insert(title="A", scan="paper.scan.aa.bb.txt")

    def build():
        form = SQLFORM(table, paper_id, extra_fields=[Field("note", requires=IS_NOT_EMPTY())])
        form[0].insert(-1, TR(INPUT(_name="agree", _type="checkbox", requires=IS_NOT_EMPTY())))
        return form

    build().process()
    post(f"paper/{paper_id}", id=str(paper_id), title="B", note="", agree="")
    form = build().process()
    assert set(form.errors) == {"note", "agree"}  # the kept scan is not "missing"
    assert "Enter a value" in str(form.custom.widget.note)  # hand-written views see it
    post(f"paper/{paper_id}", id=str(paper_id), title="B", note="n", agree="on")
    form = build().process()
    assert form.accepted and form.vars.note == "n" and form.vars.agree == "on"
    assert table(paper_id).title == "B" and table(paper_id).scan == "paper.scan.aa.bb.txt"


def test_upload_validators_from_pydal_apply_to_the_posted_file(web, db):
    from pydal.validators import IS_LENGTH, IS_UPLOAD_FILENAME

    table = db.define_table("att", Field("f", "upload", requires=[
        IS_UPLOAD_FILENAME(extension="txt"), IS_LENGTH(5)]))
    for upload, error in ((Upload("a.exe", b"x"), "Enter valid filename"),
                          (Upload("a.txt", b"123456"), "Enter from 0 to 5 characters")):
        SQLFORM(table).process()
        post("att/create", f=upload)
        form = SQLFORM(table).process()
        assert not form.accepted and form.errors.f == error
    SQLFORM(table).process()
    post("att/create", f=Upload("a.txt", b"12345"))
    assert SQLFORM(table).process().accepted


def test_a_stored_file_shows_as_a_link_or_its_name(web, tables):
    thing_id = tables.thing.insert(title="T", doc="thing.doc.aa.bb.txt")
    linked = SQLFORM(tables.thing, thing_id, readonly=True, upload="/app/download")
    assert '<span id="thing_doc"><a href="/app/download/thing.doc.aa.bb.txt">file</a></span>' \
        in linked.xml()
    named = SQLFORM(tables.thing, thing_id, readonly=True)
    assert '<span id="thing_doc">thing.doc.aa.bb.txt</span>' in named.xml()
    empty = SQLFORM(tables.thing, tables.thing.insert(title="E"), readonly=True, upload="/d")
    assert '<span id="thing_doc"></span>' in empty.xml()


def stored_files(web):
    from pathlib import Path

    return sorted(p.name for p in (Path(web.request.folder) / "uploads").iterdir())


def test_an_upload_at_the_limit_passes_and_one_byte_more_is_refused(web, tables):
    tables.thing.doc.upload_maxsize = 5
    for data, error in ((b"12345", None), (b"123456", "File is too large (at most 5 bytes)")):
        SQLFORM(tables.thing, fields=["title", "doc"]).process()
        post("thing/create", title="T", doc=Upload("a.txt", data))
        form = SQLFORM(tables.thing, fields=["title", "doc"]).process()
        assert form.errors.get("doc") == error
    assert len(stored_files(web)) == 1


def test_a_required_upload_must_be_posted_or_kept(web, db):
    table = db.define_table("paper", Field("title"),
                            Field("scan", "upload", requires=IS_NOT_EMPTY()))
    SQLFORM(table).process()
    post("paper/create", title="A")
    form = SQLFORM(table).process()
    assert form.errors == {"scan": "Enter a value"}
    paper_id = table.insert(title="A", scan="paper.scan.aa.bb.txt")
    SQLFORM(table, paper_id).process()
    post(f"paper/{paper_id}", id=str(paper_id), title="B", scan__delete="on")
    form = SQLFORM(table, paper_id).process()
    assert form.errors == {"scan": "Enter a value"}
    assert table(paper_id).scan == "paper.scan.aa.bb.txt"


def test_without_dbio_the_posted_file_is_in_vars_and_nothing_is_written(web, tables):
    SQLFORM(tables.thing, fields=["title", "doc"]).process()
    upload = Upload("a.txt", b"data")
    post("thing/create", title="T", doc=upload)
    form = SQLFORM(tables.thing, fields=["title", "doc"]).process(dbio=False)
    assert form.accepted and form.vars.title == "T" and form.vars.doc is upload
    assert tables(tables.thing).count() == 0 and stored_files(web) == []


def test_autodelete_removes_a_replaced_or_cleared_file(web, tables):
    from pathlib import Path

    folder = Path(web.request.folder) / "uploads"
    for autodelete in (False, True):
        tables.thing.doc.autodelete = autodelete
        (folder / "thing.doc.aa.old.txt").write_bytes(b"old")
        thing_id = tables.thing.insert(title="T", doc="thing.doc.aa.old.txt")
        SQLFORM(tables.thing, thing_id).process()
        post(f"thing/{thing_id}", id=str(thing_id), title="T", doc=Upload("new.txt", b"new"))
        assert SQLFORM(tables.thing, thing_id).process().accepted
        new_name = tables.thing(thing_id).doc
        assert new_name.startswith("thing.doc.") and new_name.endswith(".txt")
        assert (folder / "thing.doc.aa.old.txt").exists() is not autodelete
        assert (folder / new_name).read_bytes() == b"new"
        SQLFORM(tables.thing, thing_id).process()
        post(f"thing/{thing_id}", id=str(thing_id), title="Kept")  # no new file: unchanged
        assert SQLFORM(tables.thing, thing_id).process().accepted
        assert (folder / new_name).exists()
        SQLFORM(tables.thing, thing_id).process()
        post(f"thing/{thing_id}", id=str(thing_id), title="T", doc__delete="on")
        assert SQLFORM(tables.thing, thing_id).process().accepted
        assert tables.thing(thing_id).doc == ""
        assert (folder / new_name).exists() is not autodelete


def test_a_factory_stores_uploads_and_reuses_a_tables_fields(web, tables):
    def build():
        return SQLFORM.factory(tables.thing.title, Field("doc", "upload"))

    form = build()
    assert form.table._tablename == "no_table" and tables.thing.title.tablename == "thing"
    assert '<label for="no_table_title" id="no_table_title__label">Title</label>' in form.xml()
    form.process()
    post("no_table/create", title="T", doc=Upload("a.txt", b"data"))
    form = build().process()
    assert form.accepted and form.vars.title == "T" and form.vars.id is None
    assert form.vars.doc.startswith("no_table.doc.") and stored_files(web) == [form.vars.doc]
    assert tables(tables.thing).count() == 0
    SQLFORM.factory(tables.thing.title).process()
    post("no_table/create", title="x" * 11)
    assert SQLFORM.factory(tables.thing.title).process().errors.title == \
        "Enter from 0 to 10 characters"


def test_autodelete_finds_the_file_in_the_apps_uploads_when_the_database_is_elsewhere(
        web, tmp_path):
    from pathlib import Path

    from pydal import DAL

    elsewhere = tmp_path / "shared"
    elsewhere.mkdir()
    db = DAL("sqlite://shared.sqlite", folder=str(elsewhere))
    table = db.define_table("doc", Field("f", "upload", autodelete=True))
    folder = Path(web.request.folder) / "uploads"
    (folder / "doc.f.aa.old.txt").write_bytes(b"old")
    doc_id = table.insert(f="doc.f.aa.old.txt")
    SQLFORM(table, doc_id).process()
    post(f"doc/{doc_id}", id=str(doc_id), f=Upload("new.txt", b"new"))
    assert SQLFORM(table, doc_id).process().accepted
    assert stored_files(web) == [table(doc_id).f]
    db.close()
