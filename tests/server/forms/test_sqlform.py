"""SQLFORM against a real SQLite file: widgets, insert, update, delete, uploads, bad input."""

import io
import re

import pytest
from form_support import post
from pydal import Field
from pydal.validators import IS_EMPTY_OR, IS_IN_SET, IS_NOT_EMPTY
from support import assert_answer

from server.forms import SQLFORM
from server.http import HTTP


class Upload:
    """What the request layer gives for a posted file: ``.filename`` and ``.file``."""

    def __init__(self, filename, data: bytes):
        self.filename = filename
        self.file = io.BytesIO(data)


@pytest.fixture
def tables(db):
    db.define_table("owner", Field("name", length=20), format="%(name)s")
    db.define_table(
        "thing",
        Field("title", length=10, requires=IS_NOT_EMPTY(), comment="short"),
        Field("body", "text"),
        Field("flag", "boolean"),
        Field("qty", "integer"),
        Field("price", "double"),
        Field("cost", "decimal(10,2)"),
        Field("day", "date"),
        Field("moment", "datetime"),
        Field("at", "time"),
        Field("secret", "password"),
        Field("doc", "upload"),
        Field("tags", "list:string"),
        Field("owner", "reference owner"),
        Field("friends", "list:reference owner"),
        Field("color", requires=IS_EMPTY_OR(IS_IN_SET(["red", "blue"]))),
        Field("hidden_note", readable=False, writable=False, default="n"),
    )
    db.owner.insert(name="Ann")
    db.owner.insert(name="Bob")
    db.commit()
    return db


def row_html(form, field):
    match = re.search(rf'<tr id="thing_{field}__row">.*?</tr>', form.xml())
    return match.group(0) if match else ""


def test_every_field_has_a_bound_label_and_a_widget_of_its_type(web, tables):
    form = SQLFORM(tables.thing)
    form.process()
    expected = {
        "title": 'class="string" id="thing_title" maxlength="10" name="title" type="text"',
        "body": '<textarea class="text" cols="40" id="thing_body" name="body" rows="10">',
        "flag": 'class="boolean" id="thing_flag" name="flag" type="checkbox" value="on"',
        "qty": 'class="integer" id="thing_qty"',
        "price": 'class="double" id="thing_price"',
        "cost": 'class="decimal" id="thing_cost"',
        "day": 'class="date" id="thing_day"',
        "moment": 'class="datetime" id="thing_moment"',
        "at": 'class="time" id="thing_at"',
        "secret": 'id="thing_secret" name="secret" type="password"',
        "doc": 'class="upload" id="thing_doc" name="doc" type="file"',
        "tags": 'id="thing_tags" name="tags" type="text"',
        "owner": '<option value="1">Ann</option><option value="2">Bob</option>',
        "friends": 'id="thing_friends" multiple="multiple" name="friends"',
        "color": '<option value="red">red</option><option value="blue">blue</option>',
    }
    for name, markup in expected.items():
        row = row_html(form, name)
        assert f'<label for="thing_{name}" id="thing_{name}__label">' in row, name
        assert markup in row, name
    assert "short" in row_html(form, "title")
    assert "hidden_note" not in form.xml()
    assert "thing_id__row" not in form.xml()


def test_insert_converts_every_type(web, tables):
    SQLFORM(tables.thing).process()
    post("thing/create", title="Pen", body="long text", flag="on", qty="3", price="1.5",
         cost="2.25", day="2024-02-29", moment="2024-01-02 03:04:05", at="10:20:30",
         secret="pw", doc=Upload("notes.txt", b"hello"), tags=["a", "b", ""], owner="2",
         friends=["1", "2"], color="blue")
    form = SQLFORM(tables.thing).process()
    assert form.accepted, form.errors
    row = tables.thing(form.vars.id)
    assert (row.title, row.body, row.flag, row.qty, row.price) == ("Pen", "long text", True, 3, 1.5)
    assert str(row.cost) == "2.25" and str(row.day) == "2024-02-29"
    assert str(row.moment) == "2024-01-02 03:04:05" and str(row.at) == "10:20:30"
    assert row.tags == ["a", "b"] and row.owner == 2 and row.friends == [1, 2]
    assert row.color == "blue" and row.hidden_note == "n" and row.secret == "pw"
    assert row.doc.startswith("thing.doc.") and row.doc.endswith(".txt")
    stored = web.request.folder + "uploads/" + row.doc
    with open(stored, "rb") as handle:
        assert handle.read() == b"hello"


@pytest.mark.parametrize("field, bad, message", [
    ("title", "x" * 11, "Enter from 0 to 10 characters"),
    ("title", "", "Enter a value"),
    ("qty", "three", "Enter an integer"),
    ("price", "1,5,5", "Enter a number"),
    ("day", "2023-02-30", "Enter date as"),
    ("moment", "yesterday", "Enter date and time as"),
    ("at", "25:99", "Enter time as"),
    ("owner", "99", "Value not in database"),
    ("friends", ["1", "77"], "Value not in database"),
    ("color", "green", "Value not allowed"),
])
def test_bad_input_is_a_form_error_and_nothing_is_written(web, tables, field, bad, message):
    SQLFORM(tables.thing).process()
    values = {"title": "ok", field: bad}
    post("thing/create", **values)
    form = SQLFORM(tables.thing).process()
    assert not form.accepted
    assert message in form.errors[field]
    assert f'id="thing_{field}__error" role="alert">' in form.xml()
    assert tables(tables.thing).count() == 0


def test_unknown_record_id_is_404_and_bad_id_too(web, tables):
    for record in (42, "abc", "1 or 1=1"):
        with pytest.raises(HTTP) as answer:
            SQLFORM(tables.thing, record)
        assert answer.value.status == 404


def test_update_keeps_password_and_upload_and_tampered_id_is_refused(web, tables):
    thing_id = tables.thing.insert(title="Old", secret="pw", doc="thing.doc.aa.bb.txt", qty=1)
    form = SQLFORM(tables.thing, thing_id)
    form.process()
    html = form.xml()
    assert f'name="id" type="hidden" value="{thing_id}"' in html
    assert 'value="********"' in html and "pw" not in html
    post(f"thing/{thing_id}", id=str(thing_id + 1), title="New", secret="********")
    form = SQLFORM(tables.thing, thing_id).process()
    assert not form.accepted and "id" in form.errors
    assert tables.thing(thing_id).title == "Old"
    post(f"thing/{thing_id}", id=str(thing_id), title="New", secret="********", qty="7")
    form = SQLFORM(tables.thing, thing_id).process()
    assert form.accepted, form.errors
    row = tables.thing(thing_id)
    assert (row.title, row.secret, row.doc, row.qty) == ("New", "pw", "thing.doc.aa.bb.txt", 7)
    assert 'value="New"' in form.xml()


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


def test_delete_with_checkbox_when_deletable(web, tables):
    thing_id = tables.thing.insert(title="Gone")
    form = SQLFORM(tables.thing, thing_id, deletable=True, delete_label="Remove it")
    form.process()
    assert '<label for="delete_record" id="delete_record__label">Remove it</label>' in form.xml()
    post(f"thing/{thing_id}", id=str(thing_id), title="", delete_this_record="on")
    form = SQLFORM(tables.thing, thing_id, deletable=True).process()
    assert form.accepted and form.vars.delete_this_record
    assert tables.thing(thing_id) is None


def test_delete_checkbox_is_ignored_when_not_deletable(web, tables):
    thing_id = tables.thing.insert(title="Stays")
    SQLFORM(tables.thing, thing_id).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="Stays", delete_this_record="on")
    assert SQLFORM(tables.thing, thing_id).process().accepted
    assert tables.thing(thing_id).title == "Stays"


def test_readonly_shows_values_without_inputs_and_never_accepts(web, tables):
    thing_id = tables.thing.insert(title="Look", owner=1, flag=True)
    form = SQLFORM(tables.thing, thing_id, readonly=True, separator=":")
    form.process()
    html = form.xml()
    assert '<label id="thing_title__label">Title:</label>' in html
    assert '<span id="thing_title">Look</span>' in html
    assert 'type="submit"' not in html and "<select" not in html
    post(f"thing/{thing_id}", id=str(thing_id), title="Changed")
    assert not SQLFORM(tables.thing, thing_id, readonly=True).process().accepted
    assert tables.thing(thing_id).title == "Look"


def test_fields_labels_col3_submit_and_formstyles(web, tables):
    form = SQLFORM(tables.thing, fields=["title", "qty"], labels={"title": "Name"},
                   col3={"qty": "how many"}, submit_button="Save", formstyle="divs")
    html = form.xml()
    assert '<label for="thing_title" id="thing_title__label">Name</label>' in html
    assert '<div class="w2p_fc">how many</div>' in html
    assert 'type="submit" value="Save"' in html and "thing_body" not in html
    boot = SQLFORM(tables.thing, fields=["title"], formstyle="bootstrap").xml()
    assert 'class="form-group mb-3" id="thing_title__row"' in boot
    assert 'class="string form-control"' in boot


def test_factory_validates_without_database(web, tables):
    def build():
        return SQLFORM.factory(Field("email", requires=IS_NOT_EMPTY()),
                               Field("n", "integer"), table_name="contact")

    build().process()
    post("contact/create", email="a@b.c", n="4")
    form = build().process()
    assert form.accepted and form.vars.email == "a@b.c" and form.vars.n == 4
    assert '<label for="contact_email"' in form.xml()


def test_custom_parts_for_hand_written_views(web, tables):
    form = SQLFORM(tables.thing, fields=["title"])
    assert 'id="thing_title"' in str(form.custom.widget.title)
    assert "Title" in str(form.custom.label.title)
    assert 'type="submit"' in str(form.custom.submit)


# ----------------------------------------------------------------------------- over real HTTP

CONTROLLER = '''
def create():
    form = SQLFORM(db.thing, upload=URL("download")).process()
    return dict(body=form.xml() + "<p id='new'>%s</p>" % form.vars.id)

def edit():
    form = SQLFORM(db.thing, request.args(0), deletable=True, upload=URL("download"))
    form.process()
    return dict(body=form.xml())

def download():
    return response.download(request, db)

def count():
    return dict(body="<p id='count'>%s</p>" % db(db.thing).count())
'''

EVERY_TYPE = {
    "title": "Pen", "body": "Line one\nLine <two>", "flag": "on", "qty": "3", "price": "1.5",
    "cost": "2.25", "day": "2024-02-29", "moment": "2024-01-02 03:04:05", "at": "10:20:30",
    "secret": "s3cret", "tags": ["red", "green"], "owner": "2", "friends": ["1", "2"],
    "color": "blue",
}


@pytest.fixture
def shop(root, wsgi_server):
    from form_support import write_forms_app

    write_forms_app(root, CONTROLLER)
    return wsgi_server(root) + "/shop/default"


def submit(browser, url, formname, values, files=None):
    """GET the form, then post ``values`` (and files) with the key the page carries."""
    from form_support import formkey, multipart

    page = browser.get(url)
    assert page.status == 200, page.text
    fields = {"_formname": formname, "_formkey": formkey(page.text, formname), **values,
              **(files or {})}
    body, headers = multipart(fields)
    return browser.post(url, body, headers=headers)


def test_http_every_type_round_trips_insert_update_download_delete(shop, browser):
    answer = submit(browser, shop + "/create", "thing/create", EVERY_TYPE,
                    {"doc": ("notes.txt", b"file body")})
    assert answer.status == 200 and "Success!" in answer.text, answer.text
    new_id = re.search(r"<p id='new'>(\d+)</p>", answer.text).group(1)

    page = browser.get(f"{shop}/edit/{new_id}").text
    for shown in ('value="Pen"', ">Line one\nLine &lt;two&gt;</textarea>", 'checked="checked"',
                  'value="3"', 'value="1.50"', 'value="2.25"', 'value="2024-02-29"',
                  'value="2024-01-02 03:04:05"', 'value="10:20:30"', 'value="********"',
                  'value="red"', 'value="green"', '<option selected="selected" value="2">Bob',
                  '<option selected="selected" value="blue">blue'):
        assert shown in page, shown
    assert "s3cret" not in page
    link = re.search(r'href="(/shop/default/download/thing\.doc\.[^"]+)"', page).group(1)
    download = browser.get(link.replace("/shop/default", shop))
    assert download.status == 200 and download.body == b"file body"
    assert "notes.txt" in download.headers["Content-Disposition"]

    changed = {**EVERY_TYPE, "id": new_id, "title": "Pencil", "flag": "", "qty": "4",
               "secret": "********", "tags": ["solo"], "friends": ["1"]}
    del changed["flag"]
    answer = submit(browser, f"{shop}/edit/{new_id}", f"thing/{new_id}", changed)
    assert "Success!" in answer.text, answer.text
    page = browser.get(f"{shop}/edit/{new_id}").text
    assert 'value="Pencil"' in page and 'value="4"' in page and 'value="solo"' in page
    assert 'class="boolean" id="thing_flag" name="flag" type="checkbox" value="on"' in page
    assert browser.get(link.replace("/shop/default", shop)).body == b"file body"

    answer = submit(browser, f"{shop}/edit/{new_id}", f"thing/{new_id}",
                    {"id": new_id, "title": "x", "delete_this_record": "on"})
    assert "Success!" in answer.text
    assert "<p id='count'>0</p>" in browser.get(shop + "/count").text
    assert_answer(browser.get(f"{shop}/edit/{new_id}"), 404, "Object not found")


def test_http_bad_inputs_are_form_errors_never_500(shop, browser):
    cases = {
        "title": "much too long title", "qty": "lots", "day": "2024-13-45", "owner": "99",
        "friends": ["1", "42"], "price": "cheap", "moment": "now", "color": "green",
    }
    for field, bad in cases.items():
        answer = submit(browser, shop + "/create", "thing/create", {"title": "ok", field: bad})
        assert answer.status == 200, (field, answer.status)
        assert f'id="thing_{field}__error" role="alert"' in answer.text, field
        focused = re.search(r'<(input|select|textarea) [^>]*aria-invalid="true"[^>]*'
                            r'autofocus="autofocus"[^>]*>', answer.text)
        assert focused and f'aria-describedby="thing_{field}__error"' in focused.group(0)
    big = submit(browser, shop + "/create", "thing/create", {"title": "ok"},
                 {"doc": ("big.txt", b"x" * 2001)})
    assert big.status == 200 and 'id="thing_doc__error"' in big.text
    assert "<p id='count'>0</p>" in browser.get(shop + "/count").text


def test_http_csrf_missing_forged_replayed_and_tampered(shop, browser):
    from form_support import formkey, multipart

    def post(values):
        body, headers = multipart(values)
        return browser.post(shop + "/create", body, headers=headers)

    key = formkey(browser.get(shop + "/create").text)
    assert "Success!" not in post({"_formname": "thing/create", "title": "A"}).text
    assert "Success!" not in post({"_formname": "thing/create", "_formkey": "forged",
                                   "title": "A"}).text
    assert "Success!" in post({"_formname": "thing/create", "_formkey": key, "title": "A"}).text
    replay = post({"_formname": "thing/create", "_formkey": key, "title": "B"})
    assert "Success!" not in replay.text and "already submitted or has expired" in replay.text
    assert "<p id='count'>1</p>" in browser.get(shop + "/count").text

    other = type(browser)()  # another user cannot use this user's key
    other.get(shop + "/create")
    body, headers = multipart({"_formname": "thing/create", "_formkey": key, "title": "C"})
    assert "Success!" not in other.post(shop + "/create", body, headers=headers).text

    answer = submit(browser, shop + "/edit/1", "thing/1", {"id": "2", "title": "Hacked"})
    assert answer.status == 200 and "Success!" not in answer.text
    assert 'id="id__error"' in answer.text
    assert_answer(browser.get(shop + "/edit/abc"), 404, "Object not found")
    assert browser.get(shop + "/download/..%2F..%2Fmodels%2Fdb.py").status in (400, 404)
    assert_answer(browser.get(shop + "/download/thing.doc.0123.bm9uZQ==.txt"), 404, "not found")


def test_detect_record_change_refuses_a_stale_form(web, tables):
    thing_id = tables.thing.insert(title="First")
    form = SQLFORM(tables.thing, thing_id)
    form.process(detect_record_change=True)
    stale_hash = form.hidden["_record_hash"]
    tables(tables.thing.id == thing_id).update(title="Other")  # someone else saved meanwhile
    post(f"thing/{thing_id}", id=str(thing_id), title="Mine", _record_hash=stale_hash)
    form = SQLFORM(tables.thing, thing_id).process(detect_record_change=True)
    assert not form.accepted and form.record_changed
    assert "Someone else changed this record" in form.xml()
    assert tables.thing(thing_id).title == "Other"
    post(f"thing/{thing_id}", id=str(thing_id), title="Mine",
         _record_hash=form.hidden["_record_hash"])
    assert SQLFORM(tables.thing, thing_id).process(detect_record_change=True).accepted
    assert tables.thing(thing_id).title == "Mine"


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


def test_required_fields_are_announced_and_dictform_edits_a_dict(web, tables):
    html = SQLFORM(tables.thing).xml()
    assert 'aria-required="true" class="string" id="thing_title"' in html
    assert 'aria-required' not in row_html(SQLFORM(tables.thing), "body")
    form = SQLFORM.dictform({"host": "localhost", "port": 8000})
    html = form.xml()
    assert 'id="no_table_host" maxlength="512" name="host" type="text" value="localhost"' in html
    assert 'value="8000"' in html


def test_form_rows_are_helpers_an_app_adds_a_validated_row_to(web, tables):
    """Sahana Eden's register page: find the row holding the password, add a confirmation row
    after it in ``form[0]``; the added input is validated like the table's own."""
    from pydal.validators import IS_EQUAL_TO

    from server.helpers import DIV, INPUT, TAG

    def rows_style(form, rows):
        container = TAG[""]()
        for row_id, label, control, _comment in rows:
            container.append(DIV(label, DIV(control), _id=row_id, _class=form.table._tablename))
        return container

    def confirmed_form(password):
        form = SQLFORM(tables.thing, fields=["title", "secret"], formstyle=rows_style)
        for i, row in enumerate(form[0].components):
            if row.element("input", _name="secret"):
                form[0].insert(i + 1, DIV(INPUT(_name="secret_two", _type="password",
                                                requires=IS_EQUAL_TO(password)),
                                          _id="secret_two__row"))
        return form

    form = confirmed_form("").process()
    ids = [row["_id"] for row in form[0].components]
    assert ids == ["thing_title__row", "thing_secret__row", "secret_two__row",
                   "submit_record__row"]
    assert '<input name="secret_two" type="password" />' in form.xml()
    assert '<div class="thing" id="thing_title__row">' in form.xml()  # the style got the form
    post("thing/create", title="A", secret="pw1", secret_two="pw2")
    form = confirmed_form("pw1")
    assert not form.process().accepted and "secret_two" in form.errors
    post("thing/create", title="A", secret="pw1", secret_two="pw1")
    assert confirmed_form("pw1").process().accepted


# ----------------------------------------------------------------------------- options, in-process

def test_a_record_form_shows_its_id_and_submit_but_no_delete_box_by_default(web, tables):
    thing_id = tables.thing.insert(title="Pen")
    html = SQLFORM(tables.thing, thing_id).xml()
    assert ('<tr id="thing_id__row"><td class="w2p_fl"><label id="thing_id__label">Id'
            f'</label></td><td class="w2p_fw"><span id="thing_id">{thing_id}</span>') in html
    assert '<input type="submit" value="Submit" />' in html
    assert "delete_record" not in html and "delete_this_record" not in html
    assert '<td class="w2p_fc">short</td>' in html  # comments are shown unless comments=False
    assert "hidden_note" not in html  # neither readable nor writable: left out
    deletable = SQLFORM(tables.thing, thing_id, deletable=True).xml()
    assert ('<label for="delete_record" id="delete_record__label">Check to delete</label>'
            '</td><td class="w2p_fw"><input class="delete" id="delete_record" '
            'name="delete_this_record" type="checkbox" value="on" />') in deletable
    assert "thing_id__row" not in SQLFORM(tables.thing, thing_id, showid=False).xml()
    renamed = SQLFORM(tables.thing, thing_id, labels={"id": "Number"}).xml()
    assert '<label id="thing_id__label">Number</label>' in renamed
    tables.thing.id.readable = False  # as in web2py, a hidden id is not shown
    assert "thing_id__row" not in SQLFORM(tables.thing, thing_id).xml()


def test_the_record_is_a_row_an_id_or_record_id_and_empty_means_create(web, tables):
    thing_id = tables.thing.insert(title="Pen")
    for form in (SQLFORM(tables.thing, record_id=thing_id),
                 SQLFORM(tables.thing, tables.thing(thing_id)),
                 SQLFORM(tables.thing, str(thing_id), record_id=thing_id + 5)):
        assert form.record_id == thing_id and 'value="Pen"' in form.xml()
        assert f'<input name="id" type="hidden" value="{thing_id}" />' in form.xml()
    for empty in ("", None):
        create = SQLFORM(tables.thing, empty)
        assert create.record is None and 'name="id"' not in create.xml()
        assert "thing_id__row" not in create.xml()
    for missing in (0, "0", "-1", thing_id + 1):
        with pytest.raises(HTTP) as answer:
            SQLFORM(tables.thing, missing)
        assert (answer.value.status, answer.value.body) == (404, "Object not found")


def test_separator_comments_off_col3_and_attributes(web, tables):
    form = SQLFORM(tables.thing, fields=["title", "qty"], separator=": ", comments=False,
                   _id="thing_form", _class="wide")
    html = form.xml()
    assert html.startswith('<form action="" class="wide" enctype="multipart/form-data" '
                           'id="thing_form" method="post">')
    assert '<label for="thing_title" id="thing_title__label">Title: </label>' in html
    assert "short" not in html and form.custom.comment.title == ""
    plain = SQLFORM(tables.thing, fields=["title"], col3={"title": "max ten"}).xml()
    assert '<label for="thing_title" id="thing_title__label">Title</label>' in plain
    assert '<td class="w2p_fc">max ten</td>' in plain and "short" not in plain


def test_the_formstyle_comes_from_response_unless_given(web, tables):
    web.response.formstyle = "divs"
    html = SQLFORM(tables.thing, fields=["title"]).xml()
    assert '<div id="thing_title__row"><div class="w2p_fl">' in html and "<table>" not in html
    ul = SQLFORM(tables.thing, fields=["title"], formstyle="ul").xml()
    assert '<ul><li id="thing_title__row"><div class="w2p_fl">' in ul


def test_fields_keep_their_order_and_unknown_names_are_ignored(web, tables):
    thing_id = tables.thing.insert(title="Pen", qty=2)
    form = SQLFORM(tables.thing, fields=["qty", "nope", "title"])
    ids = [row["_id"] for row in form[0].components]
    assert ids == ["thing_qty__row", "thing_title__row", "submit_record__row"]
    assert [f.name for f in form.input_fields] == ["qty", "title"]
    shown = SQLFORM(tables.thing, thing_id, fields=["id", "title"])
    assert [row["_id"] for row in shown[0].components][:2] == ["thing_id__row", "thing_title__row"]
    create = SQLFORM(tables.thing, fields=["id", "title"])
    assert [row["_id"] for row in create[0].components] == ["thing_title__row",
                                                             "submit_record__row"]


@pytest.fixture
def notes(db):
    return db.define_table(
        "note",
        Field("text", default=lambda: "fresh"),
        Field("born", writable=False, default="2020"),
        Field("stamp", writable=False),
        Field("code", compute=lambda row: "C-" + str(row.get("text"))),
        Field("secret_code", compute=lambda row: "S", readable=False),
        Field("internal", readable=False, writable=False, default="i"),
        Field("raw", "blob"),
        Field("mood", requires=IS_IN_SET(["up", "down"]), widget=SQLFORM.widgets.radio.widget),
        Field("shown", represent=lambda value, row: f"<{value}:{row.text}>"),
        Field("broken", represent=lambda value, row: 1 / 0),
        Field("done", "boolean"),
        Field("pw", "password"),
    )


def rows_of(form):
    return [row["_id"].removeprefix("note_").removesuffix("__row") for row in form[0].components]


def test_which_fields_a_create_an_update_and_a_readonly_form_show(web, notes):
    create = SQLFORM(notes)
    assert rows_of(create) == ["text", "born", "raw", "mood", "shown", "broken", "done", "pw",
                               "submit_record"]
    assert '<span id="note_born">2020</span>' in create.xml()
    note_id = notes.insert(text="t", raw=b"x", mood="up", shown="s", broken="b")
    update = SQLFORM(notes, note_id)
    assert rows_of(update) == ["id", "text", "born", "stamp", "code", "raw", "mood", "shown", "broken",
                               "done", "pw", "submit_record"]
    assert [f.name for f in update.input_fields] == ["text", "mood", "shown", "broken", "done",
                                                     "pw"]
    assert '<span id="note_born">2020</span>' in update.xml()
    assert '<span id="note_code">C-t</span>' in update.xml()
    assert rows_of(SQLFORM(notes, readonly=True)) == ["text", "born", "stamp", "raw", "mood", "shown",
                                                      "broken", "done", "pw"]
    everything = SQLFORM(notes, note_id, ignore_rw=True)
    assert "internal" in rows_of(everything) and "secret_code" in rows_of(everything)
    assert [f.name for f in everything.input_fields] == [
        "text", "born", "stamp", "internal", "mood", "shown", "broken", "done", "pw"]


def test_initial_values_come_from_the_record_or_the_fields_default(web, notes):
    assert 'id="note_text" maxlength="512" name="text" type="text" value="fresh"' in \
        SQLFORM(notes).xml()
    note_id = notes.insert(text="stored")
    form = SQLFORM(notes, note_id)
    assert 'value="stored"' in form.xml() and "fresh" not in form.xml()
    assert form.custom.inpval.text == "stored" and form.custom.dspval.text == "stored"


def test_a_radio_group_is_named_by_its_label_id_not_bound_with_for(web, notes):
    row = SQLFORM(notes).custom.label.mood.xml()
    assert row == '<label id="note_mood__label">Mood</label>'
    assert 'aria-labelledby="note_mood__label"' in SQLFORM(notes).custom.widget.mood.xml()


def test_readonly_values_use_represent_and_fall_back_when_it_fails(web, notes):
    note_id = notes.insert(text="t", shown="s", broken="b", done=False, pw="")
    html = SQLFORM(notes, note_id, readonly=True).xml()
    assert '<span id="note_shown">&lt;s:t&gt;</span>' in html
    assert '<span id="note_broken">b</span>' in html
    assert '<span id="note_done">False</span>' in html
    assert '<span id="note_pw"></span>' in html
    done = SQLFORM(notes, notes.insert(done=True, pw="x"), readonly=True)
    assert done.custom.dspval.done == "True" and done.custom.dspval.pw == "********"


def test_a_fields_own_widget_is_used(web, db):
    from server.helpers import INPUT

    table = db.define_table("w", Field("name", widget=lambda field, value: INPUT(
        _name=field.name, _id="mine", _value=f"[{value}]")), Field("other", default="o"),
        Field("text_only", widget=lambda field, value: "no control here"))
    form = SQLFORM(table, table.insert(name="n"))
    assert form.custom.label.text_only.xml() == '<label id="w_text_only__label">Text Only</label>'
    assert '<td class="w2p_fw">no control here</td>' in form.xml()
    assert '<input id="mine" name="name" type="text" value="[n]" />' in form.xml()
    assert form.custom.label.name.xml() == '<label id="w_name__label">Name</label>'
    assert form.custom.label.other.xml() == \
        '<label for="w_other" id="w_other__label">Other</label>'


def test_a_stored_file_shows_as_a_link_or_its_name(web, tables):
    thing_id = tables.thing.insert(title="T", doc="thing.doc.aa.bb.txt")
    linked = SQLFORM(tables.thing, thing_id, readonly=True, upload="/app/download")
    assert '<span id="thing_doc"><a href="/app/download/thing.doc.aa.bb.txt">file</a></span>' \
        in linked.xml()
    named = SQLFORM(tables.thing, thing_id, readonly=True)
    assert '<span id="thing_doc">thing.doc.aa.bb.txt</span>' in named.xml()
    empty = SQLFORM(tables.thing, tables.thing.insert(title="E"), readonly=True, upload="/d")
    assert '<span id="thing_doc"></span>' in empty.xml()


def test_buttons_replace_the_submit_button(web, tables):
    from server.helpers import A

    both = SQLFORM(tables.thing, fields=["title"], buttons=["submit", A("Back", _href="/b")])
    assert ('<tr id="submit_record__row"><td class="w2p_fl"></td><td class="w2p_fw"><span>'
            '<input type="submit" value="Submit" /><a href="/b">Back</a></span>') in both.xml()
    assert both.custom.submit.xml() == '<input type="submit" value="Submit" />'
    alone = SQLFORM(tables.thing, fields=["title"], buttons=[A("Back", _href="/b")])
    assert '<td class="w2p_fw"><a href="/b">Back</a></td>' in alone.xml()
    assert 'type="submit"' not in alone.xml()
    thing_id = tables.thing.insert(title="T")
    readonly = SQLFORM(tables.thing, thing_id, readonly=True, deletable=True)
    assert "submit_record__row" not in readonly.xml() and "delete_record" not in readonly.xml()
    assert "delete_record" not in SQLFORM(tables.thing, deletable=True).xml()
    assert 'id="delete_record"' in SQLFORM(tables.thing, thing_id, deletable=True).custom.delete.xml()


def test_an_accepted_create_form_is_shown_empty_again_unless_keepvalues(web, tables):
    SQLFORM(tables.thing, fields=["title"]).process()
    post("thing/create", title="Pen")
    form = SQLFORM(tables.thing, fields=["title"]).process()
    assert form.accepted and 'name="title" type="text" value="" />' in form.xml()
    post("thing/create", title="Ink")
    kept = SQLFORM(tables.thing, fields=["title"]).process(keepvalues=True)
    assert kept.accepted and 'name="title" type="text" value="Ink" />' in kept.xml()
    assert [r.title for r in tables(tables.thing).select(orderby=tables.thing.id)] == [
        "Pen", "Ink"]


def test_a_readonly_form_and_a_form_of_another_record_refuse_the_post(web, tables):
    thing_id = tables.thing.insert(title="Look")
    SQLFORM(tables.thing, thing_id, readonly=True).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="Changed")
    form = SQLFORM(tables.thing, thing_id, readonly=True).process()
    assert not form.accepted and form.errors == {"_form": "This form is read only"}
    assert '<div class="error" id="_form__error" role="alert">This form is read only</div>' \
        in form.xml()
    for forged in ({}, {"id": "999"}):
        SQLFORM(tables.thing, thing_id).process()
        post(f"thing/{thing_id}", title="Changed", **forged)
        form = SQLFORM(tables.thing, thing_id).process()
        assert not form.accepted
        assert form.errors == {"id": "This form does not belong to that record"}
    assert tables.thing(thing_id).title == "Look"


def test_a_stale_form_is_accepted_without_detect_record_change_and_refused_if_deleted(
        web, tables):
    thing_id = tables.thing.insert(title="First")
    form = SQLFORM(tables.thing, thing_id).process()
    stale = form.hidden["_record_hash"]
    tables(tables.thing.id == thing_id).update(title="Other")
    post(f"thing/{thing_id}", id=str(thing_id), title="Mine", _record_hash=stale)
    assert SQLFORM(tables.thing, thing_id).process().accepted
    assert tables.thing(thing_id).title == "Mine"
    form = SQLFORM(tables.thing, thing_id).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="Late",
         _record_hash=form.hidden["_record_hash"])
    form = SQLFORM(tables.thing, thing_id)
    tables(tables.thing.id == thing_id).delete()
    assert not form.process(detect_record_change=True).accepted and form.record_changed


def test_deleting_sets_vars_and_skips_validation(web, tables):
    thing_id = tables.thing.insert(title="Gone")
    SQLFORM(tables.thing, thing_id, deletable=True).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="x" * 50, qty="bad",
         delete_this_record="on")
    form = SQLFORM(tables.thing, thing_id, deletable=True).process()
    assert form.accepted and form.errors == {}
    assert form.vars == {"delete_this_record": True, "id": thing_id}
    assert tables.thing(thing_id) is None


def test_passwords_change_only_when_a_new_one_is_typed(web, tables):
    thing_id = tables.thing.insert(title="T", secret="old")
    for typed, stored in (("********", "old"), ("new", "new")):
        SQLFORM(tables.thing, thing_id).process()
        post(f"thing/{thing_id}", id=str(thing_id), title="T", secret=typed)
        form = SQLFORM(tables.thing, thing_id).process()
        assert form.accepted and tables.thing(thing_id).secret == stored
        assert ("secret" in form.vars) is (typed != "********")
    SQLFORM(tables.thing).process()
    post("thing/create", title="T", secret="********")  # on a new record it is just a value
    form = SQLFORM(tables.thing).process()
    assert tables.thing(form.vars.id).secret == "********"


@pytest.mark.parametrize("posted, stored", [
    ("on", True), ("yes", True), ("1", True), (None, False), ("", False), ("off", False),
    ("false", False), ("False", False), ("0", False)])
def test_a_checkbox_is_true_unless_posted_empty_or_as_a_false_word(web, tables, posted, stored):
    SQLFORM(tables.thing, fields=["title", "flag"]).process()
    post("thing/create", title="T", **({} if posted is None else {"flag": posted}))
    form = SQLFORM(tables.thing, fields=["title", "flag"]).process()
    assert form.accepted and form.vars.flag is stored
    assert tables.thing(form.vars.id).flag is stored


def test_list_values_are_converted_and_bad_integers_refused(web, db):
    table = db.define_table("lists", Field("n", "list:integer"), Field("s", "list:string"))
    SQLFORM(table).process()
    post("lists/create", n=["3", "", "4"], s=["a", "", "b"])
    form = SQLFORM(table).process()
    assert form.accepted and (form.vars.n, form.vars.s) == ([3, 4], ["a", "b"])
    assert (table(form.vars.id).n, table(form.vars.id).s) == ([3, 4], ["a", "b"])
    SQLFORM(table).process()
    post("lists/create", n=["3", "x"])
    form = SQLFORM(table).process()
    assert not form.accepted and form.errors == {"n": "Enter a list of integers"}
    SQLFORM(table).process()
    post("lists/create")
    form = SQLFORM(table).process()
    assert form.accepted and (form.vars.n, form.vars.s) == ([], [])


def test_a_field_posted_twice_takes_the_last_value_and_a_file_is_no_text(web, tables):
    from server.storage import Storage

    SQLFORM(tables.thing, fields=["title", "body"]).process()
    post("thing/create")
    web.request.post_vars = Storage(_formname="thing/create",
                                    _formkey=web.session["_formkey[thing/create]"][-1],
                                    title=["First", "Middle", "Last"],
                                    body=Upload("x.txt", b"data"))
    form = SQLFORM(tables.thing, fields=["title", "body"]).process()
    assert form.accepted and form.vars.title == "Last" and form.vars.body is None
    assert tables.thing(form.vars.id).body is None
    SQLFORM(tables.thing, fields=["title"]).process()
    post("thing/create", title=[])
    assert SQLFORM(tables.thing, fields=["title"]).process().errors == {"title": "Enter a value"}


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


def test_a_database_error_is_a_form_error_and_rolls_back(web, db):
    table = db.define_table("tag", Field("name", unique=True, requires=IS_NOT_EMPTY()))
    table.insert(name="a")
    db.commit()
    table.insert(name="uncommitted")
    SQLFORM(table).process()
    post("tag/create", name="a")
    form = SQLFORM(table).process()
    assert not form.accepted
    assert form.errors._form.startswith("The record could not be saved: ")
    assert "UNIQUE" in form.errors._form
    assert [r.name for r in db(table).select()] == ["a"]


def test_an_http_answer_raised_while_saving_goes_through(web, tables):
    def refuse(fields):
        raise HTTP(403, "not today")

    tables.thing._before_insert.append(refuse)
    SQLFORM(tables.thing, fields=["title"]).process()
    post("thing/create", title="T")
    with pytest.raises(HTTP) as answer:
        SQLFORM(tables.thing, fields=["title"]).process()
    assert (answer.value.status, answer.value.body) == (403, "not today")


def test_an_update_with_nothing_to_change_is_accepted_with_the_records_id(web, tables):
    thing_id = tables.thing.insert(title="T")
    SQLFORM(tables.thing, thing_id, fields=[]).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="ignored")
    form = SQLFORM(tables.thing, thing_id, fields=[]).process()
    assert form.accepted and form.vars.id == thing_id
    assert tables.thing(thing_id).title == "T"


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


def test_formname_onvalidation_and_hideerror_are_passed_on(web, tables):
    def no_pens(form):
        if form.vars.title == "Pen":
            form.errors.title = "No pens"

    SQLFORM(tables.thing, fields=["title"]).process(formname="mine")
    post("mine", title="Pen")
    form = SQLFORM(tables.thing, fields=["title"]).process(formname="mine", onvalidation=no_pens)
    assert not form.accepted and form.errors == {"title": "No pens"}
    assert 'id="thing_title__error" role="alert">No pens</div>' in form.xml()
    post("mine", title="Pen")
    quiet = SQLFORM(tables.thing, fields=["title"]).process(formname="mine", hideerror=True,
                                                             onvalidation=no_pens)
    assert quiet.errors and "No pens" not in quiet.xml()
    post("mine", title="Ink")
    assert SQLFORM(tables.thing, fields=["title"]).process(formname="mine").accepted
    assert tables(tables.thing).select().first().title == "Ink"


def test_only_the_forms_own_values_end_up_in_vars(web, tables):
    thing_id = tables.thing.insert(title="T", doc="thing.doc.aa.bb.txt")
    SQLFORM(tables.thing, thing_id, fields=["title", "doc"], deletable=True).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="New", doc__delete="")
    form = SQLFORM(tables.thing, thing_id, fields=["title", "doc"], deletable=True).process()
    assert form.accepted and form.vars == {"title": "New", "id": thing_id}
    assert tables.thing(thing_id).doc == "thing.doc.aa.bb.txt"


def test_custom_has_the_form_parts_and_errors_only_on_field_widgets(web, db):
    from yatl.helpers import INPUT, TR

    table = db.define_table("pad", Field("title", requires=IS_NOT_EMPTY()))

    def build():
        form = SQLFORM(table, submit_button="Go")
        form[0].insert(-1, TR(INPUT(_name="agree", _type="checkbox", requires=IS_NOT_EMPTY())))
        return form

    form = build()
    assert form.custom.begin.xml().startswith('<form action="" enctype="multipart/form-data"')
    assert form.custom.end.xml().endswith("</form>")
    assert form.custom.submit.xml() == '<input type="submit" value="Go" />'
    form.process()
    post("pad/create", title="", agree="")
    form = build().process()
    assert set(form.errors) == {"title", "agree"} and "agree" not in form.custom.widget
    widget = form.custom.widget.title.xml()
    assert widget.startswith('<input aria-describedby="pad_title__error" aria-invalid="true" ')
    assert widget.endswith('<div class="error" id="pad_title__error" role="alert">Enter a value'
                           '</div>')


def test_grid_smartgrid_and_dictform_take_their_options(web, tables):
    web.request.update(application="a", controller="default", function="index",
                       extension="html", get_vars={})
    tables.thing.insert(title="Pen")
    tables.thing.insert(title="Ink")
    grid = SQLFORM.grid(tables.thing.title == "Pen", user_signature=False, create=False,
                        csv=False, fields=[tables.thing.title]).xml()
    assert '<p class="w2p_counter" role="status">1 records found</p>' in grid
    assert "<td>Pen</td>" in grid and "Ink" not in grid and "Add record" not in grid
    smart = SQLFORM.smartgrid(tables.owner, user_signature=False, create=False, csv=False).xml()
    assert '<a href="/a/default/index/owner">Owner</a>' in smart
    assert "<td>Ann</td>" in smart and "Add record" not in smart
    form = SQLFORM.dictform({"host": "h"}, submit_button="Keep", table_name="settings")
    assert 'id="settings_host"' in form.xml() and 'value="Keep"' in form.xml()


def test_web2py_style_accepts_writes_shows_errors_and_checks_the_key(web, tables):
    form = SQLFORM(tables.thing, fields=["title", "friends"])
    assert not form.accepts(web.request.post_vars, web.session)
    post("thing/create", title="", friends=["1"])
    form = SQLFORM(tables.thing, fields=["title", "friends"])
    assert not form.accepts(web.request.post_vars, web.session)
    assert 'id="thing_title__error" role="alert">Enter a value</div>' in form.xml()
    post("thing/create", title="Pen", friends=["1", "2"])
    form = SQLFORM(tables.thing, fields=["title", "friends"])
    assert form.accepts(web.request.post_vars, web.session)
    assert form.vars.friends == [1, 2] and tables.thing(form.vars.id).title == "Pen"
    post("thing/create", title="Ink")
    form = SQLFORM(tables.thing, fields=["title", "friends"])
    assert form.accepts(web.request, web.session) and form.vars.friends == []
    post("thing/create", title="Forged")
    web.request.post_vars._formkey = "forged"
    forged = SQLFORM(tables.thing)
    assert not forged.accepts(web.request.post_vars, web.session) and forged.expired
    thing_id = form.vars.id
    stale = SQLFORM(tables.thing, thing_id)
    stale.accepts({}, web.session)
    tables(tables.thing.id == thing_id).update(title="Other")
    post(f"thing/{thing_id}", id=str(thing_id), title="Mine",
         _record_hash=stale.hidden["_record_hash"])
    assert SQLFORM(tables.thing, thing_id).accepts(web.request.post_vars, web.session)
    assert tables.thing(thing_id).title == "Mine"


def test_an_updated_record_shows_the_saved_values_and_a_deleted_one_does_not(web, tables):
    thing_id = tables.thing.insert(title="Old")
    SQLFORM(tables.thing, thing_id, deletable=True).process()
    post(f"thing/{thing_id}", id=str(thing_id), title="New")
    form = SQLFORM(tables.thing, thing_id, deletable=True).process(keepvalues=False)
    assert form.accepted and 'name="title" type="text" value="New" />' in form.xml()
    post(f"thing/{thing_id}", id=str(thing_id), title="Posted", delete_this_record="on")
    form = SQLFORM(tables.thing, thing_id, deletable=True).process(keepvalues=False)
    assert form.accepted and tables.thing(thing_id) is None
    assert 'name="title" type="text" value="New" />' in form.xml() and "Posted" not in form.xml()
    other_id = tables.thing.insert(title="Other")
    SQLFORM(tables.thing, other_id, deletable=True).process()
    post(f"thing/{other_id}", id=str(other_id), title="Posted", delete_this_record="on")
    form = SQLFORM(tables.thing, other_id, deletable=True).process()  # keepvalues: a record's
    assert form.accepted and 'name="title" type="text" value="Posted" />' in form.xml()


def test_validators_see_the_record_being_edited_and_keep_converted_values(web, db):
    from pydal.validators import IS_INT_IN_RANGE, IS_NOT_IN_DB

    table = db.define_table("tag", Field("name", requires=IS_NOT_IN_DB(db, "tag.name")),
                            Field("rank", requires=IS_INT_IN_RANGE(0, 10)))
    first, second = table.insert(name="a", rank=1), table.insert(name="b", rank=2)
    taken = "Value already in database or empty"
    for record, name, error in ((first, "a", None), (second, "a", taken)):
        SQLFORM(table, record).process()
        post(f"tag/{record}", id=str(record), name=name, rank="3")
        form = SQLFORM(table, record).process()
        assert form.errors.get("name") == error
    assert form.vars.rank == 3 and table(first).rank == "3"  # a string column keeps the text


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


def test_a_form_outside_a_request_uses_the_default_formstyle(web, tables):
    response = web.response
    del web.response
    try:
        html = SQLFORM(tables.thing, fields=["title"]).xml()
    finally:
        web.response = response
    assert '<table><tr id="thing_title__row"><td class="w2p_fl">' in html


def test_a_multiple_choice_takes_every_posted_value_and_an_added_id_input_is_ignored(web, db):
    from server.helpers import INPUT

    table = db.define_table("pick", Field("colors", "list:string", requires=IS_IN_SET(
        ["r", "g", "b"], multiple=True)), Field("one", requires=IS_IN_SET(["x", "y"],
                                                                          multiple=True)))

    def build():
        form = SQLFORM(table)
        form[0].append(INPUT(_name="id", _type="hidden"))
        return form

    build().process()
    post("pick/create", colors=["r", "g"], one=["x", "y"], id="77")
    form = build().process()
    assert form.accepted and form.vars.colors == ["r", "g"] and form.vars.one == ["x", "y"]
    assert form.vars.id == 1 and table(1).colors == ["r", "g"] and table(77) is None


def test_a_validator_that_makes_one_value_of_a_list_stores_a_one_item_list(web, db):
    def joined(value, record_id=None):
        return ",".join(value), None

    table = db.define_table("joined", Field("tags", "list:string", requires=joined))
    SQLFORM(table).process()
    post("joined/create", tags=["a", "b"])
    form = SQLFORM(table).process()
    assert form.accepted and form.vars.tags == ["a,b"] and table(form.vars.id).tags == ["a,b"]


def test_rows_without_a_comment_leave_the_comment_cell_empty_and_labels_translate(
        web, tables, monkeypatch):
    words = {"True": "Yes", "False": "No", "Submit": "Send"}
    monkeypatch.setattr(web, "T", lambda text: words.get(text, text), raising=False)
    thing_id = tables.thing.insert(title="T", flag=True)
    form = SQLFORM(tables.thing, thing_id, fields=["title", "body", "flag"], deletable=True,
                   separator=":")
    html = form.xml()
    assert form.custom.comment.title == "short" and form.custom.comment.body == ""
    assert '<td class="w2p_fw"><textarea class="text" cols="40" id="thing_body" name="body" ' \
           'rows="10"></textarea></td><td class="w2p_fc"></td></tr>' in html
    assert ('<tr id="delete_record__row"><td class="w2p_fl"><label for="delete_record" '
            'id="delete_record__label">Check to delete:</label></td><td class="w2p_fw"><input '
            'class="delete" id="delete_record" name="delete_this_record" type="checkbox" '
            'value="on" /></td><td class="w2p_fc"></td></tr>') in html
    assert ('<tr id="submit_record__row"><td class="w2p_fl"></td><td class="w2p_fw"><input '
            'type="submit" value="Send" /></td><td class="w2p_fc"></td></tr>') in html
    shown = SQLFORM(tables.thing, thing_id, readonly=True)
    assert shown.custom.dspval.flag == "Yes" and '<span id="thing_flag">Yes</span>' in shown.xml()
    assert SQLFORM(tables.thing, tables.thing.insert(flag=False), readonly=True
                   ).custom.dspval.flag == "No"
