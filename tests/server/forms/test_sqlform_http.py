"""SQLFORM over real HTTP: every type round-tripped through a served app, bad inputs as form
errors, the form key against missing, forged, replayed and tampered posts."""

import re

import pytest
from support import assert_answer

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
