"""Uploads: stored under uploads/ with pydal's names; served back only for real stored names."""

import io
import os

import pytest
from pydal import Field

from server.forms import uploads
from server.http import HTTP
from server.storage import Storage


class Posted:
    def __init__(self, filename, data):
        self.filename, self.file = filename, io.BytesIO(data)


@pytest.fixture
def table(db):
    return db.define_table("doc", Field("name"), Field("body", "upload"),
                           Field("secret", "upload", authorize=lambda row: row.name == "open"))


def test_store_in_app_uploads_and_download_with_headers(web, table):
    name = uploads.store(table.body, Posted("Report 2024.pdf", b"%PDF data"))["body"]
    assert name.startswith("doc.body.") and name.endswith(".pdf")
    with open(web.request.folder + "uploads/" + name, "rb") as stored:
        assert stored.read() == b"%PDF data"
    web.request.args = [name]
    body = b"".join(uploads.download(web.request, table._db))
    assert body == b"%PDF data"
    headers = web.response.headers
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"] == \
        "attachment; filename=\"Report_2024.pdf\"; filename*=UTF-8''Report_2024.pdf"
    assert headers["Content-Length"] == "9"


@pytest.mark.parametrize("name", [
    "", "../databases/storage.sqlite", "doc.body.abc", "nope.body.0123.eA==.txt",
    "doc.name.0123.eA==.txt", "doc.body.0123.eA==.txt", "doc.body.0123.eA==.txt/../../x",
])
def test_anything_but_a_stored_upload_is_404(web, table, name):
    web.request.args = [name] if name else []
    with pytest.raises(HTTP) as answer:
        list(uploads.download(web.request, table._db))
    assert answer.value.status == 404


def test_authorize_is_checked(web, table):
    closed = uploads.store(table.secret, Posted("a.txt", b"closed"))["secret"]
    table.insert(name="shut", secret=closed)
    web.request.args = [closed]
    with pytest.raises(HTTP) as answer:
        uploads.download(web.request, table._db)
    assert answer.value.status == 403
    opened = uploads.store(table.secret, Posted("b.txt", b"open"))["secret"]
    table.insert(name="open", secret=opened)
    web.request.args = [opened]
    assert b"".join(uploads.download(web.request, table._db)) == b"open"


def test_limits_per_field_then_per_app(web, table):
    posted = Posted("x.bin", b"12345")
    assert uploads.upload_limit(table.body) is None
    web.response.upload_maxsize = 4
    assert uploads.upload_limit(table.body) == 4 and uploads.upload_size(posted) == 5
    table.body.upload_maxsize = 10
    assert uploads.upload_limit(table.body) == 10


def test_is_file_upload_refuses_plain_strings():
    assert uploads.is_file_upload(Posted("a.txt", b""))
    assert not uploads.is_file_upload("a.txt")
    assert not uploads.is_file_upload(Storage(filename="", file=None))


def test_autodelete_removes_a_replaced_file_on_update(web, db):
    from form_support import post

    from server.forms import SQLFORM

    table = db.define_table("pic", Field("img", "upload", autodelete=True))
    old_name = uploads.store(table.img, Posted("a.png", b"old"))["img"]
    pic_id = table.insert(img=old_name)
    folder = web.request.folder + "uploads/"
    SQLFORM(table, pic_id).process()
    post(f"pic/{pic_id}", id=str(pic_id), img=Posted("b.png", b"new"))
    assert SQLFORM(table, pic_id).process().accepted
    new_name = table(pic_id).img
    assert new_name != old_name
    assert not os.path.exists(folder + old_name)
    with open(folder + new_name, "rb") as stored:
        assert stored.read() == b"new"
    uploads.remove(table.img, "../databases/storage.sqlite")  # refused silently
    assert os.path.exists(web.request.folder + "databases/storage.sqlite")


def test_files_kept_in_a_blob_column_round_trip(web, db):
    from form_support import post

    from server.forms import SQLFORM

    table = db.define_table("blobbed", Field("f", "upload", uploadfield="f_data"),
                            Field("f_data", "blob", readable=False, writable=False))
    SQLFORM(table).process()
    post("blobbed/create", f=Posted("in-db.txt", b"bytes in the database"))
    form = SQLFORM(table).process()
    assert form.accepted
    name = table(form.vars.id).f
    assert os.listdir(web.request.folder + "uploads") == []
    web.request.args = [name]
    assert b"".join(uploads.download(web.request, db)) == b"bytes in the database"
    assert "in-db.txt" in web.response.headers["Content-Disposition"]
