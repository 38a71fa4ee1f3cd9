"""Crud over real HTTP: tables, create, read, update, delete (confirmed), select, search."""

import re

import pytest
from form_support import formkey, write_forms_app
from support import assert_answer

CONTROLLER = '''
crud = Crud(db)

def data():
    return dict(body=str(crud()))

def make():
    form = crud.create(db.thing, next=URL("data", args=["read", "thing", "[id]"]))
    return dict(body=form.xml())

def make_named():
    form = crud.create(db.thing, next="companies")
    return dict(body=form.xml())

def edit_named():
    form = crud.update(db.thing, request.args(0), next="show/[id]", deletable=False)
    return dict(body=form.xml())

def find():
    form, rows = crud.search(db.thing, fields=["title", "qty"])
    return dict(body=form.xml() + (SQLTABLE(rows).xml() if rows else "<p>no rows</p>"))

def seed():
    db.thing.insert(title="pen", qty=1)
    db.thing.insert(title="ink", qty=5)
    return dict(body="ok")

def guarded():
    auth = Auth(db)
    auth.define_tables(username=False, signature=False)
    everybody = db(db.auth_group.role == "everybody").select().first()
    if everybody is None:
        everybody = auth.add_group("everybody")
        auth.add_permission(everybody, "read", "thing")
    auth.settings.everybody_group_id = int(everybody)
    guarded_crud = Crud(db)
    guarded_crud.settings.auth = auth
    return dict(body=str(guarded_crud()))

def count():
    return dict(body="<p id='count'>%s</p>" % db(db.thing).count())
'''


@pytest.fixture
def shop(root, wsgi_server, browser):
    write_forms_app(root, CONTROLLER)
    base = wsgi_server(root) + "/shop/default"
    browser.get(base + "/seed")
    return base


def count(browser, shop):
    return int(re.search(r"<p id='count'>(\d+)</p>", browser.get(shop + "/count").text).group(1))


def post_form(browser, url, formname, values):
    page = browser.get(url)
    return browser.post(url, {"_formname": formname, "_formkey": formkey(page.text, formname),
                              **values})


def test_tables_select_and_read(shop, browser):
    tables = browser.get(shop + "/data").text
    assert 'href="/shop/default/data/select/thing"' in tables
    assert 'href="/shop/default/data/create/thing"' in tables
    select = browser.get(shop + "/data/select/thing").text
    assert '<a href="/shop/default/data/read/thing/2">2</a>' in select and "ink" in select
    read = browser.get(shop + "/data/read/thing/1").text
    assert '<span id="thing_title">pen</span>' in read
    assert 'type="text"' not in read and 'type="submit"' not in read


def test_create_flashes_and_redirects_to_next(shop, browser):
    answer = post_form(browser, shop + "/data/create/thing", "thing/create", {"title": "cap"})
    assert answer.status == 200 and "Record Created" in answer.text
    answer = post_form(browser, shop + "/make", "thing/create", {"title": "lid"})
    assert_answer(answer, 303, Location="/shop/default/data/read/thing/4")
    assert "Record Created" in browser.get(shop + "/data/read/thing/4").text
    bad = post_form(browser, shop + "/make", "thing/create", {"title": "", "qty": "x"})
    assert bad.status == 200 and 'id="thing_qty__error"' in bad.text
    assert count(browser, shop) == 4


def test_a_bare_next_is_a_function_of_this_controller_whatever_the_args(shop, browser):
    answer = post_form(browser, shop + "/make_named/some/args", "thing/create", {"title": "mug"})
    assert_answer(answer, 303, Location="/shop/default/companies")
    answer = post_form(browser, shop + "/edit_named/1", "thing/1",
                       {"id": "1", "title": "nib", "qty": "3"})
    assert_answer(answer, 303, Location="/shop/default/show/1")


def test_update_and_delete_from_the_update_form(shop, browser):
    answer = post_form(browser, shop + "/data/update/thing/1", "thing/1",
                       {"id": "1", "title": "quill", "qty": "2"})
    assert "Record Updated" in answer.text and 'value="quill"' in answer.text
    answer = post_form(browser, shop + "/data/update/thing/1", "thing/1",
                       {"id": "1", "title": "quill", "delete_this_record": "on"})
    assert "Record Deleted" in answer.text and count(browser, shop) == 1


def test_delete_page_asks_and_only_its_post_deletes(shop, browser):
    confirm = browser.get(shop + "/data/delete/thing/2")
    assert confirm.status == 200 and "Delete record 2?" in confirm.text
    assert count(browser, shop) == 2
    forged = browser.post(shop + "/data/delete/thing/2",
                          {"_formname": "crud_delete/thing/2", "_formkey": "forged"})
    assert forged.status == 200 and count(browser, shop) == 2
    answer = post_form(browser, shop + "/data/delete/thing/2", "crud_delete/thing/2", {})
    assert_answer(answer, 303, Location="/shop/default/data")
    assert count(browser, shop) == 1


def test_search_by_field_operators_and_bad_values(shop, browser):
    page = browser.get(shop + "/find").text
    assert '<label for="crud_search_thing_title">Title</label>' in page
    assert "<p>no rows</p>" in page
    found = browser.get(shop + "/find?_formname=crud_search&op_title=contains&value_title=pe"
                        "&op_qty=equals&value_qty=").text
    assert "pen" in found and "ink" not in found.split("</form>")[1]
    more = browser.get(shop + "/find?_formname=crud_search&op_title=equals&value_title="
                       "&op_qty=greater+than&value_qty=2").text
    assert "ink" in more.split("</form>")[1] and "pen" not in more.split("</form>")[1]
    bad = browser.get(shop + "/find?_formname=crud_search&op_qty=equals&value_qty=lots")
    assert bad.status == 200 and "Invalid search value" in bad.text


def test_unknown_tables_and_records_are_404(shop, browser):
    assert_answer(browser.get(shop + "/data/select/nothing"), 404, "unknown table")
    assert_answer(browser.get(shop + "/data/read/thing/99"), 404, "record not found")
    assert_answer(browser.get(shop + "/data/update/thing/abc"), 404, "record not found")
    assert_answer(browser.get(shop + "/data/explode/thing/1"), 404, "unknown crud page")


def test_with_auth_each_action_needs_its_permission(shop, browser):
    assert browser.get(shop + "/guarded/read/thing/1").status == 200  # granted to everybody
    for page in ("update/thing/1", "delete/thing/1", "create/thing", "select/thing"):
        refused = browser.get(f"{shop}/guarded/{page}")  # web2py: on_failed_authorization
        assert refused.status == 303, page
        assert refused.headers["Location"].endswith("/default/user/not_authorized"), page
    assert count(browser, shop) == 2
